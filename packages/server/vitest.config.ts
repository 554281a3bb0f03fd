import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.mjs';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The fault suite runs on its own (`pnpm test:faults`, vitest.faults.config.ts).
    exclude: ['test/faults/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
