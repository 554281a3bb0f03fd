import { defineConfig } from 'tsup';

export default defineConfig({
  // The database thread's script is its own entry: `openSqliteStores` starts it as a worker.
  entry: ['src/index.ts', 'src/sqlite-worker.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  shims: true,
});
