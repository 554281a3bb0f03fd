import { rmSync } from 'node:fs';
import type { Options } from 'tsup';

/**
 * Build of a package that runs in browsers and edge runtimes.
 *
 * - ESM is left unbundled: one module per source file, imports kept as written, so an
 *   application's bundler keeps only the modules it imports (with `sideEffects: false`).
 *   JSON imports (`../package.json` for the version) are inlined, as they can't be imported
 *   as modules in a browser.
 * - CJS is bundled per entry, for Node's `require`.
 * - Types are bundled per entry (`.d.ts` for ESM, `.d.cts` for CJS).
 *
 * `dist` is emptied once here, before both builds start (they run concurrently).
 *
 * @param entries - the package's entry points, e.g. `{ index: 'src/index.ts', browser: 'src/browser.ts' }`.
 */
export function browserPackage(entries: Record<string, string>): Options[] {
  // Unbundled ESM writes `src/x.ts` to `dist/x.js`, while the types and CJS of an entry are named
  // by its key: an entry `tcf: 'src/tcf-entry.ts'` would ship types and CJS of one module and ESM of
  // another. Keys must name their own source file.
  for (const [name, source] of Object.entries(entries)) {
    if (source !== `src/${name}.ts`) {
      throw new Error(
        `browserPackage: entry "${name}" must be "src/${name}.ts" (got "${source}"): the unbundled ESM build names each file by its source`,
      );
    }
  }
  rmSync('dist', { recursive: true, force: true });
  const common: Options = {
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    clean: false,
  };
  return [
    {
      ...common,
      entry: ['src/**/*.ts', '!src/**/*.test.ts', '!src/**/*.test-d.ts'],
      format: ['esm'],
      splitting: false,
      dts: { entry: entries },
      esbuildPlugins: [
        {
          name: 'keep-imports',
          setup(build) {
            build.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === 'entry-point' || args.path.endsWith('.json')) return undefined;
              return { path: args.path, external: true };
            });
          },
        },
      ],
    },
    { ...common, entry: entries, format: ['cjs'], dts: { entry: entries } },
  ];
}
