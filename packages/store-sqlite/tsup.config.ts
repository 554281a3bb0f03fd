import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker threads' scripts are their own entries, loaded by file name: audit-worker for
  // sqliteAuditThreadStore, sqlite-worker for openSqliteStores.
  entry: ['src/index.ts', 'src/audit-worker.ts', 'src/sqlite-worker.ts'],
  // import.meta.url (to find the worker files) in the CommonJS build too.
  shims: true,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
});
