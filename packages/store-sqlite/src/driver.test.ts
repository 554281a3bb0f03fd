import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { type SqliteDatabase, migrate, sqliteConsentStore } from './index.js';

const run = promisify(execFile);
const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const workspace = join(pkg, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * An app folder outside the workspace with this package's build installed in its node_modules and
 * its dependencies linked, but no better-sqlite3 anywhere on the resolution path.
 */
function appWithoutDriver(): string {
  const dist = join(pkg, 'dist');
  if (!existsSync(join(dist, 'index.js'))) throw new Error('build @tactful/store-sqlite first (pnpm build)');
  const app = mkdtempSync(join(tmpdir(), 'tactful-no-sqlite-'));
  dirs.push(app);
  const installed = join(app, 'node_modules', '@tactful', 'store-sqlite');
  mkdirSync(installed, { recursive: true });
  cpSync(dist, join(installed, 'dist'), { recursive: true });
  cpSync(join(pkg, 'package.json'), join(installed, 'package.json'));
  symlinkSync(join(workspace, 'packages', 'core'), join(app, 'node_modules', '@tactful', 'core'), 'dir');
  symlinkSync(join(workspace, 'packages', 'audit'), join(app, 'node_modules', '@tactful', 'audit'), 'dir');
  symlinkSync(join(pkg, 'node_modules', 'zod'), join(app, 'node_modules', 'zod'), 'dir');
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  return app;
}

const probe = (load: string) => `${load}
try { openDatabase(':memory:'); console.log(JSON.stringify({ opened: true })); }
catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }`;

describe('better-sqlite3 as an optional peer dependency', () => {
  it('a database opened with better-sqlite3 itself is a SqliteDatabase the stores accept', async () => {
    // Type-level: this file typechecks only if better-sqlite3's Database is assignable.
    const db: SqliteDatabase = new Database(':memory:');
    migrate(db, 'probe', [{ version: 1, up: 'CREATE TABLE t (id INTEGER PRIMARY KEY)' }]);
    const store = sqliteConsentStore({ db });
    expect((await store.latest('u-1')).size).toBe(0);
    await store.close?.();
    db.close();
  });

  it.each([
    ['ESM', 'app.mjs', "import { openDatabase } from '@tactful/store-sqlite';"],
    ['CommonJS', 'app.cjs', "const { openDatabase } = require('@tactful/store-sqlite');"],
  ])(
    'openDatabase without better-sqlite3 installed (%s) throws MISSING_DEPENDENCY saying how to install it',
    async (_, file, load) => {
      const app = appWithoutDriver();
      writeFileSync(join(app, file), probe(load));
      // No NODE_PATH (pnpm sets one that reaches the workspace's packages): resolution as in an app.
      const env = { ...process.env, NODE_PATH: '' };
      const { stdout } = await run(process.execPath, [join(app, file)], { cwd: app, env });
      const error = JSON.parse(stdout.trim()) as { name: string; code: string; message: string };
      expect(error.code, stdout).toBe('MISSING_DEPENDENCY');
      expect(error.name).toBe('TactfulError');
      expect(error.message).toContain('npm install better-sqlite3@"^12.11.1"');
    },
  );

  it('the published types name no better-sqlite3 types (its @types package is only a dev dependency)', () => {
    for (const file of ['index.d.ts', 'index.d.cts']) {
      const text = readFileSync(join(pkg, 'dist', file), 'utf8');
      expect(text).not.toMatch(/from ['"]better-sqlite3['"]|import\(['"]better-sqlite3['"]\)/);
    }
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    };
    expect(manifest.dependencies?.['better-sqlite3']).toBeUndefined();
    expect(manifest.peerDependenciesMeta?.['better-sqlite3']?.optional).toBe(true);
  });
});
