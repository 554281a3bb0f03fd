import { defineConfig } from 'tsup';

export default defineConfig({
  // audit-worker is the worker thread of sqliteAuditThreadStore, loaded by its file name.
  entry: ['src/index.ts', 'src/audit-worker.ts'],
  // import.meta.url (to find the worker file) in the CommonJS build too.
  shims: true,
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
});
