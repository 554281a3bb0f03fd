import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every entry point of every published package gives the same names whether it is imported (ESM) or
// required (CJS): the two builds are made differently (ESM unbundled, CJS bundled per entry), and a
// mismatch ships an entry whose types promise names its runtime lacks.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

interface Conditions {
  import?: { default?: string } | string;
  require?: { default?: string } | string;
}

// @tactful/testing runs inside vitest, which refuses to be required: its CJS build can't load outside
// vitest's own ESM runner, so only its ESM build is checked (by its own tests).
const ESM_ONLY = new Set(['@tactful/testing']);

const target = (c: Conditions['import']) => (typeof c === 'string' ? c : c?.default);

const entries = readdirSync(join(root, 'packages')).flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as {
    name: string;
    private?: boolean;
    exports?: Record<string, Conditions | string>;
  };
  if (manifest.private === true || manifest.exports === undefined || ESM_ONLY.has(manifest.name)) return [];
  return Object.entries(manifest.exports)
    .filter((e): e is [string, Conditions] => typeof e[1] === 'object' && e[0] !== './package.json')
    .map(([subpath, conditions]) => ({
      name: `${manifest.name}${subpath.slice(1)}`,
      dir: join(root, 'packages', dir),
      esm: target(conditions.import),
      cjs: target(conditions.require),
    }))
    .filter((e) => e.esm !== undefined && e.cjs !== undefined && !e.esm.endsWith('.json'));
});

describe.each(entries)('$name', ({ dir, esm, cjs }) => {
  it('exports the same names from its ESM and its CJS build', async () => {
    const fromEsm = Object.keys(await import(pathToFileURL(join(dir, esm as string)).href)).filter(
      (k) => k !== 'default' && k !== 'module.exports',
    );
    const fromCjs = Object.keys(createRequire(join(dir, 'package.json'))(join(dir, cjs as string))).filter(
      (k) => k !== 'default' && k !== '__esModule',
    );
    expect(fromEsm.sort()).toEqual(fromCjs.sort());
    expect(fromEsm.length).toBeGreaterThan(0);
  });
});

describe('@tactful/core and @tactful/core/store', () => {
  it('throw one TactfulError class, required (CJS, split chunks) and imported (ESM)', async () => {
    const core = join(root, 'packages', 'core');
    const req = createRequire(join(core, 'package.json'));
    const cjsMain = req(join(core, 'dist', 'index.cjs')) as { TactfulError: new (...a: never[]) => unknown };
    const cjsStore = req(join(core, 'dist', 'store.cjs')) as {
      storeFailed: (store: string, what: string, error: unknown) => unknown;
    };
    expect(cjsStore.storeFailed('s', 'read', new Error('x'))).toBeInstanceOf(cjsMain.TactfulError);
    const esmMain = await import(pathToFileURL(join(core, 'dist', 'index.js')).href);
    const esmStore = await import(pathToFileURL(join(core, 'dist', 'store.js')).href);
    expect(esmStore.storeFailed('s', 'read', new Error('x'))).toBeInstanceOf(esmMain.TactfulError);
  });
});
