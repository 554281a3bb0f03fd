import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.mjs';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'client',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
