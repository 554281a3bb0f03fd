import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.mjs';

export default defineProject({
  resolve: { alias: workspaceAliases },
  test: { name: 'example-orchestrator', include: ['src/**/*.test.ts'], testTimeout: 30_000 },
});
