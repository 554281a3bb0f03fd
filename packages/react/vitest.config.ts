import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.mjs';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'react',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
