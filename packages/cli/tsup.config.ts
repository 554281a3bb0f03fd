import { defineConfig } from 'tsup';

export default defineConfig({
  // `bin` is the `tactful` executable (its shebang is kept); `index` the programmatic API.
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
});
