import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.mjs';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'example-content-session',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
