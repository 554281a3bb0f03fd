import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
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
  types?: string;
  default?: string;
}

interface Manifest {
  name: string;
  private?: boolean;
  type?: string;
  main?: string;
  module?: string;
  types?: string;
  exports?: Record<string, Conditions | string>;
}

const target = (c: Conditions['import']) => (typeof c === 'string' ? c : c?.default);

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest,
  }))
  .filter(({ manifest }) => manifest.private !== true && manifest.exports !== undefined);

// A package is ESM-only when its entries name no `require` condition (`@tactful/testing`: it runs
// inside vitest, which refuses to be required, so a CJS build of it could never load).
const esmOnly = packages.filter(({ manifest }) =>
  Object.values(manifest.exports ?? {}).every((c) => typeof c === 'string' || c.require === undefined),
);

const entries = packages.flatMap(({ dir, manifest }) => {
  return Object.entries(manifest.exports ?? {})
    .filter((e): e is [string, Conditions] => typeof e[1] === 'object' && e[0] !== './package.json')
    .map(([subpath, conditions]) => ({
      name: `${manifest.name}${subpath.slice(1)}`,
      dir,
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

describe('require() of every published entry in plain Node (outside vitest)', () => {
  it('loads, with the names import gives, for CJS and ESM-only packages alike (no broken CJS entry)', async () => {
    const names = packages.flatMap(({ dir, manifest }) =>
      Object.entries(manifest.exports ?? {})
        .filter(([subpath, c]) => typeof c === 'object' && subpath !== './package.json')
        .map(([subpath]) => ({ dir, name: `${manifest.name}${subpath.slice(1)}` })),
    );
    // One child process: each entry required by its own name from its package (as a user would),
    // on this Node (>= 20.19, where require() of an ESM-only package loads it).
    const script = `
      const { createRequire } = require('node:module');
      const out = {};
      for (const { dir, name } of JSON.parse(process.argv[1])) {
        try { out[name] = Object.keys(createRequire(dir + '/package.json')(name)).filter((k) => k !== 'default' && k !== '__esModule' && k !== 'module.exports').sort(); }
        catch (error) { out[name] = 'failed: ' + String(error.message).split(String.fromCharCode(10))[0]; }
      }
      process.stdout.write(JSON.stringify(out));`;
    const required = JSON.parse(
      execFileSync(process.execPath, ['-e', script, JSON.stringify(names)], {
        encoding: 'utf8',
        timeout: 60_000,
      }),
    ) as Record<string, string[] | string>;
    for (const { dir, name } of names) {
      const manifest = packages.find((p) => p.dir === dir)!.manifest;
      const subpath = `.${name.slice(manifest.name.length)}`;
      const esm =
        target((manifest.exports![subpath] as Conditions).import) ??
        target(manifest.exports![subpath] as never);
      const imported = Object.keys(await import(pathToFileURL(join(dir, esm as string)).href)).filter(
        (k) => k !== 'default' && k !== 'module.exports',
      );
      expect(required[name], `require('${name}')`).toEqual(imported.sort());
    }
  }, 60_000);
});

describe.each(esmOnly)('$manifest.name (ESM-only)', ({ dir, manifest }) => {
  it('says so: no require condition, no CJS file, and main and types name the ESM build', () => {
    expect(manifest.type).toBe('module');
    expect(manifest.module, 'no "module" field: there is one build').toBeUndefined();
    expect(manifest.main).toMatch(/\.js$/);
    expect(manifest.types).toMatch(/\.d\.ts$/);
    for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
      if (typeof conditions === 'string') continue;
      expect(conditions, subpath).toEqual({
        types: expect.stringMatching(/\.d\.ts$/),
        default: expect.stringMatching(/\.js$/),
      });
      expect(existsSync(join(dir, conditions.default as string)), `${subpath} is built`).toBe(true);
    }
    const files = readdirSync(join(dir, 'dist'));
    expect(files.filter((f) => f.endsWith('.cjs') || f.endsWith('.d.cts'))).toEqual([]);
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
