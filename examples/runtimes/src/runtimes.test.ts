// One decision suite (src/suite.js), bundled once from the sources, run on five runtimes: Node,
// Chromium, workerd (Cloudflare's runtime, through miniflare), Deno and Bun. Every case must pass
// on every runtime; a case a runtime cannot run fails here under its own name.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { Miniflare } from 'miniflare';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceAliases } from '../../../vitest.shared.mjs';
import { caseNames } from './suite.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const bin = (name: string) => join(here, '..', 'node_modules', '.bin', name);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface Result {
  name: string;
  ok: boolean;
  error?: string;
}

/** The workspace packages from their sources (as the other tests see them), never a stale build. */
const sources: Plugin = {
  name: 'workspace-sources',
  setup(b) {
    b.onResolve({ filter: /^@tactful\// }, (args) => {
      for (const { find, replacement } of workspaceAliases) {
        if (find.test(args.path)) return { path: args.path.replace(find, replacement) };
      }
      return undefined;
    });
  },
};

let dir: string;
let moduleBundle: string;
let scriptBundle: string;
let workerBundle: string;

async function bundle(contents: string, format: 'esm' | 'iife'): Promise<string> {
  const out = await build({
    stdin: { contents, resolveDir: here, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format,
    ...(format === 'iife' ? { globalName: 'TactfulSuite' } : {}),
    target: 'es2022',
    write: false,
    plugins: [sources],
    logLevel: 'error',
  });
  return out.outputFiles[0]!.text;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tactful-runtimes-'));
  moduleBundle = join(dir, 'suite.mjs');
  writeFileSync(
    moduleBundle,
    await bundle(
      `import { runSuite } from './suite.js';\nconsole.log(JSON.stringify(await runSuite()));`,
      'esm',
    ),
  );
  scriptBundle = await bundle(`export { runSuite } from './suite.js';`, 'iife');
  workerBundle = await bundle(
    `import { runSuite } from './suite.js';\nexport default { async fetch() { return Response.json(await runSuite()); } };`,
    'esm',
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function expectAllPassed(results: Result[]): void {
  expect(results.map((r) => r.name)).toEqual(caseNames);
  expect(results.filter((r) => !r.ok)).toEqual([]);
}

async function fromProcess(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<Result[]> {
  const { stdout } = await run(command, args, {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 60_000,
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Result[];
}

describe('the decision suite on five runtimes', () => {
  it('the bundle uses no Node API (it is built for the browser platform)', () => {
    const code = readFileSync(moduleBundle, 'utf8');
    expect(code).not.toMatch(/\bfrom ["']node:|\brequire\(|\bimport\(["']node:/);
  });

  it('passes on Node', async () => {
    expectAllPassed(await fromProcess(process.execPath, [moduleBundle]));
  });

  it('passes on Deno', async () => {
    expectAllPassed(
      await fromProcess(bin('deno'), ['run', '--no-prompt', '--no-config', '--no-remote', moduleBundle], {
        DENO_DIR: join(dir, 'deno'),
        DENO_NO_UPDATE_CHECK: '1',
      }),
    );
  });

  it('passes on Bun', async () => {
    expectAllPassed(
      await fromProcess(bin('bun'), ['run', moduleBundle], { BUN_INSTALL_CACHE_DIR: join(dir, 'bun') }),
    );
  });

  it('passes on workerd (miniflare)', async () => {
    const mf = new Miniflare({
      modules: true,
      script: workerBundle,
      compatibilityDate: '2026-07-01',
      host: '127.0.0.1',
      port: 0,
    });
    try {
      const response = await mf.dispatchFetch('http://localhost/');
      expectAllPassed((await response.json()) as Result[]);
    } finally {
      await mf.dispose();
    }
  });

  it('passes in Chromium', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      await page.addScriptTag({ content: scriptBundle });
      const results = await page.evaluate(() =>
        (
          globalThis as unknown as { TactfulSuite: { runSuite(): Promise<Result[]> } }
        ).TactfulSuite.runSuite(),
      );
      expectAllPassed(results);
    } finally {
      await browser.close();
    }
  });
});
