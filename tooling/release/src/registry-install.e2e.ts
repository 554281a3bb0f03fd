/**
 * The packages install from a registry exactly as the docs say. This suite starts a local registry
 * (Verdaccio, `verdaccio.yaml`: no uplink for `@tactful/*`), publishes every package there with the
 * release's own path (`changeset publish`), then, in empty folders outside the workspace with npm
 * pointed at that registry only:
 *
 * 1. checks every published tarball (LICENSE, README, metadata, no `workspace:` ranges);
 * 2. runs the getting-started guide's commands verbatim, block by block, through the HTTP step;
 * 3. typechecks the guide's code in a fresh ESM and a fresh CommonJS TypeScript project;
 * 4. scaffolds a vendor plugin with `tactful create-plugin`, installs it and runs its tests;
 * 5. shows that `storage: sqlite` without better-sqlite3 installed fails with MISSING_DEPENDENCY.
 *
 * Run it with `pnpm test:install` after `pnpm build`.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fencedBlocks } from '../../../packages/cli/test/doc-samples.js';
import { type RunResult, addUser, run, servePrebuilt, shown, startRegistry, tarEntries } from './registry.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const GUIDE = 'docs/guides/getting-started.md';

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  [key: string]: unknown;
}
const published: Manifest[] = readdirSync(join(root, 'packages'))
  .map((dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest)
  .filter((m) => m.private !== true);

const work = mkdtempSync(join(tmpdir(), 'tactful-registry-'));
let registry: { url: string; stop(): Promise<void> };
let prebuilt: { url: string; stop(): Promise<void> };
/** The environment of every npm command of a "user": nothing of the workspace, npm → local registry. */
let userEnv: NodeJS.ProcessEnv;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The environment minus what pnpm and the workspace put there (NODE_PATH, npm_*, node_modules/.bin on PATH). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|NODE_PATH$|NODE_OPTIONS$|VITEST|TURBO_|INIT_CWD$)/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((p) => !p.startsWith(root) && !p.includes('node_modules'))
    .join(delimiter);
  return env;
}

const sh = (code: string, cwd: string, env = userEnv, timeoutMs?: number): Promise<RunResult> =>
  run('bash', ['-c', code], { cwd, env, ...(timeoutMs ? { timeoutMs } : {}) });

beforeAll(async () => {
  for (const m of published) {
    const dir = join(root, 'packages', m.name.replace('@tactful/', ''), 'dist');
    if (!existsSync(dir)) throw new Error(`${m.name} is not built: run pnpm build first`);
  }
  registry = await startRegistry(join(here, '..', 'verdaccio.yaml'), join(work, 'registry'));

  // better-sqlite3's prebuilt binary for this Node.js, from the workspace's build of the same version.
  const require = createRequire(join(root, 'packages', 'store-sqlite', 'package.json'));
  const driverDir = dirname(require.resolve('better-sqlite3/package.json'));
  const driver = JSON.parse(readFileSync(join(driverDir, 'package.json'), 'utf8')) as { version: string };
  const file = `better-sqlite3-v${driver.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const tgz = execFileSync('tar', ['-czf', '-', '-C', driverDir, 'build/Release/better_sqlite3.node'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  prebuilt = await servePrebuilt(tgz, file);

  const userconfig = join(work, 'user.npmrc');
  writeFileSync(userconfig, `registry=${registry.url}\n`);
  userEnv = {
    ...cleanEnv(),
    HOME: join(work, 'home'),
    npm_config_userconfig: userconfig,
    npm_config_registry: registry.url,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_better_sqlite3_binary_host: prebuilt.url,
    npm_config_nodedir: join(dirname(process.execPath), '..'),
    TACTFUL_SECRET: undefined,
  };
  mkdirSync(join(work, 'home'), { recursive: true });
}, 60_000);

afterAll(async () => {
  await registry?.stop();
  await prebuilt?.stop();
  if (!process.env.TACTFUL_KEEP_INSTALL_TEST) rmSync(work, { recursive: true, force: true });
});

describe('published to a local registry', () => {
  it("every package publishes with changesets' own publish path", async () => {
    const token = await addUser(registry.url, 'release', 'release-test-password');
    const publishConfig = join(work, 'publish.npmrc');
    const host = registry.url.replace(/^https?:/, '');
    writeFileSync(publishConfig, `registry=${registry.url}\n${host}:_authToken=${token}\n`);
    const env = {
      ...cleanEnv(),
      PATH: process.env.PATH,
      npm_config_userconfig: publishConfig,
      npm_config_registry: registry.url,
    };
    const result = await run(join(root, 'node_modules', '.bin', 'changeset'), ['publish', '--no-git-tag'], {
      cwd: root,
      env,
    });
    expect(result.code, shown(result)).toBe(0);
    for (const m of published) {
      const res = await fetch(new URL(m.name.replace('/', '%2f'), registry.url));
      expect(res.status, `${m.name} is on the registry`).toBe(200);
      const doc = (await res.json()) as { versions: Record<string, unknown> };
      expect(Object.keys(doc.versions), m.name).toContain(m.version);
    }
  }, 300_000);

  it.each(published.map((m) => [m.name, m] as const))(
    '%s: the tarball carries LICENSE, README and its repository metadata, with no workspace: ranges',
    async (name, m) => {
      const doc = (await (await fetch(new URL(name.replace('/', '%2f'), registry.url))).json()) as {
        versions: Record<string, { dist: { tarball: string } }>;
      };
      const tarball = doc.versions[m.version]?.dist.tarball;
      expect(tarball).toBeDefined();
      const entries = tarEntries(Buffer.from(await (await fetch(tarball as string)).arrayBuffer()));
      for (const file of [
        'package/LICENSE',
        'package/README.md',
        'package/package.json',
        'package/dist/index.js',
      ]) {
        expect(entries.has(file), `${name} tarball has ${file}: ${[...entries.keys()].join(', ')}`).toBe(
          true,
        );
      }
      expect(entries.get('package/LICENSE')?.toString()).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
      const manifest = entries.get('package/package.json')?.toString() ?? '';
      expect(manifest, name).not.toContain('workspace:');
      const parsed = JSON.parse(manifest) as { repository?: { directory?: string } };
      expect(parsed.repository?.directory).toBe(`packages/${name.replace('@tactful/', '')}`);
    },
  );
});

describe('the getting-started guide, verbatim, against the local registry', () => {
  const guideRoot = join(work, 'guide');
  let cwd = guideRoot;
  const port = freePort();

  const blocks = fencedBlocks(readFileSync(join(root, GUIDE), 'utf8'), GUIDE).filter(
    (b) => b.attrs.install === true || b.attrs.runnable === true,
  );

  it.each(blocks.map((b) => [`${b.page}:${b.line}`, b] as const))(
    '%s',
    async (_, block) => {
      mkdirSync(cwd, { recursive: true });
      if (typeof block.attrs.file === 'string') {
        writeFileSync(join(cwd, block.attrs.file), block.code);
        return;
      }
      expect(block.lang, 'a block with no file= is a shell command').toBe('sh');
      const cwdFile = join(work, 'cwd');
      const code = `set -e\ntrap 'pwd > "${cwdFile}"' EXIT\n${block.code}`;
      const result = await sh(code, cwd, { ...userEnv, PORT: String(await port) });
      const want = typeof block.attrs.exit === 'string' ? Number(block.attrs.exit) : 0;
      expect(result.code, `${block.page}:${block.line}\n${block.code}\n${shown(result)}`).toBe(want);
      cwd = readFileSync(cwdFile, 'utf8').trim();
      if (block.code.includes('node decide.mjs')) expect(result.stdout).toContain('evening-deals');
      if (block.code.includes('/v1/decide')) expect(result.stdout).toContain('"slots"');
    },
    300_000,
  );

  it('installed every @tactful package from the local registry and nowhere else', () => {
    const lock = JSON.parse(readFileSync(join(cwd, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string }>;
    };
    const tactful = Object.entries(lock.packages).filter(([path]) => path.includes('node_modules/@tactful/'));
    expect(tactful.map(([path]) => path)).toContain('node_modules/@tactful/cli');
    for (const [path, entry] of tactful) expect(entry.resolved, path).toMatch(new RegExp(`^${registry.url}`));
    expect(existsSync(join(cwd, 'privacy.vi.html'))).toBe(true);
  });
});

/** The guide's `decide.mjs`, as it is on the page. */
function guideCode(): string {
  const sample = fencedBlocks(readFileSync(join(root, GUIDE), 'utf8'), GUIDE).find(
    (b) => b.attrs.file === 'decide.mjs',
  );
  if (!sample) throw new Error(`${GUIDE} has no decide.mjs sample`);
  return sample.code;
}

describe("the guide's code in fresh TypeScript projects (tsc --noEmit, library types checked too)", () => {
  const tsconfig = (module: string) =>
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module,
        moduleResolution: module,
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      },
      include: ['*.ts'],
    });

  it.each([
    ['ESM', 'module'],
    ['CommonJS', 'commonjs'],
  ])(
    '%s',
    async (_, type) => {
      const dir = join(work, `ts-${type}`);
      mkdirSync(dir, { recursive: true });
      const code = guideCode();
      let source = code;
      if (type === 'commonjs') {
        // CommonJS has no top-level await: the same statements, inside an async main.
        const lines = code.split('\n');
        const imports = lines.filter((l) => l.startsWith('import '));
        const body = lines.filter((l) => !l.startsWith('import '));
        source = `${imports.join('\n')}\n\nasync function main(): Promise<void> {\n${body.join('\n')}\n}\nvoid main();\n`;
      }
      writeFileSync(join(dir, 'decide.ts'), source);
      writeFileSync(join(dir, 'tsconfig.json'), tsconfig('nodenext'));
      const install = await sh(
        `npm init -y >/dev/null && npm pkg set type=${type} && npm install @tactful/config @tactful/notice && npm install --save-dev typescript@5.9.3 @types/node@20`,
        dir,
      );
      expect(install.code, shown(install)).toBe(0);
      const tsc = await sh('npx tsc -p tsconfig.json', dir);
      expect(tsc.code, `${source}\n${shown(tsc)}`).toBe(0);
    },
    300_000,
  );
});

describe('a vendor plugin scaffolded by tactful create-plugin, installed from the local registry', () => {
  it('installs, typechecks and passes its tests (the conformance kit included)', async () => {
    const shop = join(work, 'guide', 'my-shop');
    const dir = join(work, 'happy-hour');
    const created = await sh(`npx tactful create-plugin happy-hour --dir "${dir}"`, shop);
    expect(created.code, shown(created)).toBe(0);
    const result = await sh('npm install && npm test && npm run typecheck', dir);
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toMatch(/passed/);
  }, 300_000);
});

describe('storage: sqlite without better-sqlite3 installed', () => {
  it('createTactful fails with MISSING_DEPENDENCY naming the package to install', async () => {
    const dir = join(work, 'no-sqlite');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'probe.mjs'),
      `import { createTactful, loadConfig } from '@tactful/config';
const { config, baseDir } = await loadConfig('tactful.config.json');
try { await createTactful(config, { baseDir }); console.log('opened'); }
catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }
`,
    );
    const shop = join(work, 'guide', 'my-shop');
    writeFileSync(join(dir, 'tactful.config.json'), readFileSync(join(shop, 'tactful.config.json')));
    const result = await sh('npm init -y >/dev/null && npm install @tactful/config && node probe.mjs', dir);
    expect(result.code, shown(result)).toBe(0);
    expect(existsSync(join(dir, 'node_modules', 'better-sqlite3')), 'an optional peer is not installed').toBe(
      false,
    );
    const out = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as {
      code?: string;
      message?: string;
    };
    expect(out.code, result.stdout).toBe('MISSING_DEPENDENCY');
    expect(out.message).toContain('npm install better-sqlite3');
    expect(existsSync(join(dir, '.tactful-data')), 'nothing is created before the check').toBe(false);
  }, 300_000);
});
