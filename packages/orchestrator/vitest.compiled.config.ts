import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.mjs';

/**
 * The decision tests again, with the compiled path as their subject: every test that makes an
 * orchestrator through `../src/index.js` gets one compiled by `compilePlan` and started by
 * `createCompiledOrchestrator` (see `test/compiled/subject.ts`).
 */
export default defineProject({
  resolve: {
    alias: [
      {
        find: /^\.\.\/src\/index\.js$/,
        replacement: fileURLToPath(new URL('./test/compiled/subject.ts', import.meta.url)),
      },
      ...workspaceAliases,
    ],
  },
  test: {
    name: 'orchestrator-compiled',
    include: ['test/**/*.test.ts'],
    exclude: ['test/options-check.test.ts', 'test/safe-events.test.ts', 'test/compiled/**'],
  },
});
