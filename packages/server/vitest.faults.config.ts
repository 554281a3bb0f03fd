import { defineConfig } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.mjs';

// The fault suite (`pnpm test:faults`): real servers in child processes (the built packages), real
// SQLite files, other processes holding locks, a full disk, slow clients, floods, kill -9. One file
// at a time: they measure the server, so they must not compete with each other for the CPU.
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'server-faults',
    root: import.meta.dirname,
    include: ['test/faults/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
