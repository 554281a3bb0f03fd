import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.mjs';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'store-postgres',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Real PostgreSQL and Redis on a busy machine: generous bounds (nothing asserts on time).
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
