import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.mjs';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: { name: 'store-postgres', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
