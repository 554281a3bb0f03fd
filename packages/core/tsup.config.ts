import { defineConfig } from 'tsup';
import { browserPackage } from '../../tsup.browser.js';

// `store` shares modules with `index` (errors above all): the CJS build splits them into shared
// chunks, so `require('@tactful/core/store')` and `require('@tactful/core')` throw one TactfulError class.
export default defineConfig(
  browserPackage({ index: 'src/index.ts', regex: 'src/regex.ts', store: 'src/store.ts' }).map((options) =>
    options.format === 'cjs' || (Array.isArray(options.format) && options.format.includes('cjs'))
      ? { ...options, splitting: true }
      : options,
  ),
);
