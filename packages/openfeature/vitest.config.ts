import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.mjs';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'openfeature',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
