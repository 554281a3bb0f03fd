import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.mjs';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: { name: 'example-vendor-plugin', include: ['src/**/*.test.ts'] },
});
