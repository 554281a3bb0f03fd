import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.mjs';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The tests spawn the built `tactful` executable, as a user would; this builds it when stale.
    globalSetup: ['./test/build-once.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
