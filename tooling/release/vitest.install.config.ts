import { defineConfig } from 'vitest/config';

// The registry install suite: minutes, not seconds, and run on its own after the build
// (`pnpm test:install`), so it never competes with the unit tests for the machine.
export default defineConfig({
  test: {
    name: 'install',
    include: ['src/**/*.e2e.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
