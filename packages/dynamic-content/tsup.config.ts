import { defineConfig } from 'tsup';
import { browserPackage } from '../../tsup.browser.js';

export default defineConfig(
  browserPackage({ index: 'src/index.ts', compile: 'src/compile.ts', prebuilt: 'src/prebuilt.ts' }),
);
