import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { validateConfig } from '@tactful/config';
import { DecisionRequestSchema, compileCondition } from '@tactful/core';
import { re2Regex } from '@tactful/core/regex';
import { parseCatalog } from '@tactful/dynamic-content';
import { segments } from '@tactful/segments';
import { ErasureReceiptSchema } from '@tactful/subject';
import { type ParseError, parse } from 'jsonc-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { FIELD_NOTES, configFieldPaths } from '../src/config-reference.js';
import { generatedDocs } from '../src/docs-files.js';
import { CONFIG_TEMPLATE_NAMES } from '../src/templates/index.js';
import {
  type DocSample,
  type PageModule,
  fencedBlocks,
  installedNames,
  pageModule,
  repoCommands,
  runnableSamples,
  unrunReason,
} from './doc-samples.js';
import { BIN, REPO, tempDir } from './run-cli.js';

async function markdownPages(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'api') out.push(...(await markdownPages(path)));
    } else if (entry.name.endsWith('.md')) out.push(path);
  }
  return out.sort();
}

const pages = await markdownPages(join(REPO, 'docs'));
const samplesByPage = new Map<string, DocSample[]>();
for (const page of pages) {
  const rel = relative(REPO, page);
  const samples = runnableSamples(await readFile(page, 'utf8'), rel);
  if (samples.length > 0) samplesByPage.set(rel, samples);
}

describe('generated docs', () => {
  it('docs/reference/configuration.md and docs/recipes/*.json are current (run `pnpm --filter @tactful/cli docs:config`)', async () => {
    for (const [path, text] of Object.entries(generatedDocs())) {
      const committed = await readFile(join(REPO, path), 'utf8').catch(() => '(missing)');
      expect(committed, `${path} is stale: run pnpm --filter @tactful/cli docs:config`).toBe(text);
    }
  });

  it('the reference lists every field of the schema, and its notes name only fields that exist', () => {
    const paths = new Set(configFieldPaths());
    for (const path of [
      'controller.contact',
      'strategies.segments.segments[].condition',
      'server.limits.bodyBytes',
      'audit.sampling',
    ]) {
      expect(paths.has(path), path).toBe(true);
    }
    for (const path of Object.keys(FIELD_NOTES)) expect(paths.has(path), `FIELD_NOTES["${path}"]`).toBe(true);
  });

  it.each(CONFIG_TEMPLATE_NAMES)(
    'the %s recipe passes every load-time check, and its $schema points at the JSON Schema',
    async (name) => {
      const file = join(REPO, 'docs/recipes', `${name}.json`);
      const text = await readFile(file, 'utf8');
      const result = await validateConfig(text, { baseDir: dirname(file) });
      expect(result.problems).toEqual([]);
      const schemaPath = join(dirname(file), (JSON.parse(text) as { $schema: string }).$schema);
      const schema = JSON.parse(await readFile(schemaPath, 'utf8')) as { title: string };
      expect(schema.title).toBe('Tactful configuration');
    },
  );
});

describe('every guide links the API reference', () => {
  // Through a package README: typedoc makes it the package's page of the reference site, and GitHub
  // renders it, so the link works in both (a link into docs/api works in neither).
  it.each(pages.filter((p) => p.includes('/docs/guides/')).map((p) => relative(REPO, p)))(
    '%s',
    async (page) => {
      expect(await readFile(join(REPO, page), 'utf8')).toMatch(
        /\]\(\.\.\/\.\.\/packages\/[a-z-]+\/README\.md[^)]*\)/,
      );
    },
  );
});

/** The target of every Markdown link of a page that is not a URL or an anchor of the page itself. */
function relativeLinks(markdown: string): string[] {
  const prose = markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^([a-z]+:|#)/.test(target));
}

describe('links', () => {
  it.each(pages.map((p) => relative(REPO, p)))(
    '%s: every relative link names a file of the repository',
    async (page) => {
      for (const target of relativeLinks(await readFile(join(REPO, page), 'utf8'))) {
        const file = resolve(dirname(join(REPO, page)), target.replace(/#.*$/, ''));
        expect(existsSync(file) && statSync(file).isFile(), `${page}: ${target} is not a file`).toBe(true);
      }
    },
  );

  it.each(
    readdirSync(join(REPO, 'packages')).filter((dir) => existsSync(join(REPO, 'packages', dir, 'README.md'))),
  )('packages/%s/README.md links only absolutely (it is shown on its own on the registry)', (dir) => {
    const page = readFileSync(join(REPO, 'packages', dir, 'README.md'), 'utf8');
    expect(relativeLinks(page)).toEqual([]);
  });
});

// --- Runnable samples -------------------------------------------------------------------------

const cleanups: Array<() => Promise<void>> = [];

/** A port nobody listens on now, for samples that start a server (`$PORT`). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Stops servers a sample left running: every `*.pid` file a `--pid-file` wrote. */
async function stopLeftovers(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.pid')) continue;
    const pid = Number((await readFile(join(dir, name), 'utf8')).trim());
    if (Number.isInteger(pid) && pid > 0) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
  }
}
afterAll(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function sh(
  script: string,
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-euo', 'pipefail', '-c', script],
      { cwd, env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          output: `${stdout}\n${stderr}`,
        });
      },
    );
  });
}

/** A folder where `npx tactful` runs the built CLI, as after `npm install --save-dev @tactful/cli`. */
async function workspaceFor(): Promise<string> {
  const { dir, remove } = await tempDir('tactful-docs-');
  cleanups.push(async () => {
    await stopLeftovers(dir);
    await remove();
  });
  const bin = join(dir, 'node_modules', '.bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'tactful'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  await chmod(join(bin, 'tactful'), 0o755);
  // What `npm install @tactful/config @tactful/notice` would add, linked to the workspace's built packages.
  for (const name of ['config', 'notice', 'core']) {
    const at = join(dir, 'node_modules', '@tactful', name);
    await mkdir(dirname(at), { recursive: true });
    await symlink(join(REPO, 'packages', name), at, 'dir');
  }
  return dir;
}

function parseJsonc(code: string, where: string): unknown {
  const errors: ParseError[] = [];
  const value = parse(code, errors, { allowTrailingComma: true });
  expect(errors, `${where}: not JSON`).toEqual([]);
  return value;
}

/** What a page's runnable samples share while they run in order. */
interface PageRun {
  dir: string;
  /** The last `json runnable facts` sample: what a later `condition matches=…` sample is checked against. */
  facts?: unknown;
  /** The page's ts samples as one module, run at the place of its last ts sample. */
  module?: PageModule;
  lastTs?: DocSample;
}

const RUN_DIR = join(REPO, 'packages/cli/.docs-run');
const moduleFile = (page: string): string => join(RUN_DIR, `${page.replace(/[^A-Za-z0-9]+/g, '-')}.ts`);

/** Runs a page's ts samples, as one module, in the sample folder; imports of @tactful/* resolve to the workspace. */
async function runPageModule(page: string, module: PageModule, dir: string): Promise<void> {
  await mkdir(RUN_DIR, { recursive: true });
  const path = moduleFile(page);
  await writeFile(path, module.source);
  const before = process.cwd();
  process.chdir(dir);
  try {
    await import(/* @vite-ignore */ `${path}?t=${Date.now()}`);
  } catch (error) {
    const at = new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^:]*:(\\d+)`).exec(
      String((error as Error).stack),
    );
    const line = at ? module.lines[Number(at[1]) - 1] || undefined : undefined;
    throw new Error(
      `${line ?? page}: the ts samples of ${page} fail: ${String((error as Error).stack ?? error)}`,
    );
  } finally {
    process.chdir(before);
    await rm(path, { force: true });
  }
}

async function runSample(sample: DocSample, run: PageRun): Promise<void> {
  const { dir } = run;
  const where = `${sample.page}:${sample.line}`;
  const file = typeof sample.attrs.file === 'string' ? sample.attrs.file : undefined;
  if (file) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), sample.code);
  }
  if (sample.lang === 'json' || sample.lang === 'jsonc') {
    const value = parseJsonc(sample.code, where);
    if (sample.attrs.config === 'part') {
      // A section of a configuration: checked inside the smallest whole configuration.
      const whole = {
        controller: { name: 'Shop', contact: 'privacy@shop.example' },
        strategies: { contextual: { rules: [] } },
      };
      const result = await validateConfig(JSON.stringify({ ...whole, ...(value as object) }), {
        baseDir: dir,
      });
      expect(result.problems, `${where}: configuration problems`).toEqual([]);
    } else if (sample.attrs.config) {
      const result = await validateConfig(sample.code, { baseDir: dir });
      expect(result.problems, `${where}: configuration problems`).toEqual([]);
    }
    if (sample.attrs.request) {
      const parsed = DecisionRequestSchema.safeParse(value);
      expect(parsed.success, `${where}: not a decision request`).toBe(true);
    }
    if (sample.attrs.facts) run.facts = value;
    if (sample.attrs.condition) {
      const rule = compileCondition(value, { regex: re2Regex });
      if (typeof sample.attrs.matches === 'string') {
        expect(run.facts, `${where}: matches= needs an earlier \`json runnable facts\` sample`).toBeDefined();
        expect(rule(run.facts), `${where}: does the rule match the facts above?`).toBe(
          sample.attrs.matches === 'true',
        );
      }
    }
    if (sample.attrs.catalog) parseCatalog(sample.code);
    if (sample.attrs.segment) segments({ segments: [value as never] });
    if (sample.attrs.receipt === 'erasure') {
      const parsed = ErasureReceiptSchema.safeParse(value);
      expect(parsed.error?.issues, `${where}: not an erasure receipt`).toBeUndefined();
    }
    return;
  }
  if (sample.lang === 'sh' || sample.lang === 'bash') {
    const expected = typeof sample.attrs.exit === 'string' ? Number(sample.attrs.exit) : 0;
    const env = {
      npm_config_offline: 'true',
      npm_config_update_notifier: 'false',
      NO_COLOR: '1',
      PORT: String(await freePort()),
    };
    const result = await sh(sample.code, dir, env).finally(() => stopLeftovers(dir));
    expect(result.code, `${where} exited ${result.code}:\n${result.output}`).toBe(expected);
    return;
  }
  if (sample.lang === 'js' && file) return; // written above; a later `sh` sample runs it with node
  if (sample.lang === 'ts' && sample.attrs.test === true) return; // registered as a test file below
  if (sample.lang === 'ts') {
    if (sample === run.lastTs && run.module) await runPageModule(sample.page, run.module, dir);
    return;
  }
  throw new Error(`${where}: runnable samples in "${sample.lang}" are not supported (use sh, json or ts)`);
}

/** The scripts of every package and example of the workspace, by package name. */
async function workspaceScripts(): Promise<Map<string, Set<string>>> {
  const scripts = new Map<string, Set<string>>();
  for (const group of ['packages', 'examples', 'tooling']) {
    for (const dir of await readdir(join(REPO, group))) {
      const manifest = await readFile(join(REPO, group, dir, 'package.json'), 'utf8').catch(() => undefined);
      if (manifest === undefined) continue;
      const { name, scripts: own = {} } = JSON.parse(manifest) as {
        name: string;
        scripts?: Record<string, string>;
      };
      scripts.set(name, new Set(Object.keys(own)));
    }
  }
  return scripts;
}

describe('every code sample in the docs runs', () => {
  it.each(pages.map((p) => relative(REPO, p)))(
    '%s: each ts, js, json or sh block is runnable, a fragment of one, or an install line',
    async (page) => {
      const blocks = fencedBlocks(await readFile(join(REPO, page), 'utf8'), page);
      const hasTs = blocks.some((b) => b.lang === 'ts' && b.attrs.runnable === true);
      const unrun = blocks
        .filter((b) => unrunReason(b, hasTs) === undefined)
        .map(
          (b) =>
            `${b.page}:${b.line} \`\`\`${b.lang}${Object.keys(b.attrs)
              .map((a) => ` ${a}`)
              .join('')}`,
        );
      expect(
        unrun,
        'mark each block `runnable` (and make it run), or ```text for output, or `fragment` when the page runs it in full',
      ).toEqual([]);
      const workspace = new Set((await readdir(join(REPO, 'packages'))).map((dir) => `@tactful/${dir}`));
      for (const block of blocks.filter((b) => unrunReason(b, hasTs) === 'repo')) {
        for (const { filter, script } of repoCommands(block.code)) {
          const scripts = await workspaceScripts();
          expect(
            scripts.get(filter)?.has(script),
            `${page}:${block.line}: ${filter} has no "${script}" script`,
          ).toBe(true);
        }
      }
      for (const block of blocks.filter((b) => unrunReason(b, hasTs) === 'install')) {
        for (const name of installedNames(block.code)) {
          if (name.startsWith('@tactful/'))
            expect(workspace.has(name), `${page}:${block.line}: ${name} is no package of the workspace`).toBe(
              true,
            );
        }
      }
    },
  );
});

// Samples marked `ts runnable test` are test files of the reader's project (a conformance suite …):
// each is imported here, while this file's tests are collected, so the suites it declares run too.
// A test file imports the page's `ts runnable file=<name>` samples as its neighbours (`./<name>.js`).
for (const [page, samples] of samplesByPage) {
  const tests = samples.filter((s) => s.lang === 'ts' && s.attrs.test === true);
  if (tests.length === 0) continue;
  const folder = join(RUN_DIR, page.replace(/[^A-Za-z0-9]+/g, '-'));
  await mkdir(folder, { recursive: true });
  try {
    for (const sample of samples) {
      if (sample.lang === 'ts' && typeof sample.attrs.file === 'string') {
        await writeFile(join(folder, sample.attrs.file), sample.code);
      }
    }
    for (const sample of tests) {
      const path = join(folder, `sample-${sample.line}.test-file.ts`);
      await writeFile(path, pageModule([sample]).source);
      await import(/* @vite-ignore */ path);
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/**
 * Writes every page's ts samples as the modules the runner imports (test-file samples with their
 * `file=` neighbours) into one folder with a strict tsconfig, and type-checks them with one `tsc`
 * run. Returns the errors in the samples, each at its `page:line`.
 */
async function typecheckSamples(): Promise<string[]> {
  const folder = join(RUN_DIR, 'typecheck');
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  const modules = new Map<string, PageModule>();
  for (const [page, samples] of samplesByPage) {
    const slug = page.replace(/[^A-Za-z0-9]+/g, '-');
    const ts = samples.filter((s) => s.lang === 'ts' && s.attrs.test !== true);
    if (ts.length > 0) modules.set(join(folder, `${slug}.ts`), pageModule(ts));
    const tests = samples.filter((s) => s.lang === 'ts' && s.attrs.test === true);
    if (tests.length === 0) continue;
    await mkdir(join(folder, slug));
    for (const sample of ts) {
      if (typeof sample.attrs.file === 'string')
        await writeFile(join(folder, slug, sample.attrs.file), sample.code);
    }
    for (const sample of tests)
      modules.set(join(folder, slug, `sample-${sample.line}.ts`), pageModule([sample]));
  }
  for (const [path, module] of modules) await writeFile(path, module.source);
  const packages = join(REPO, 'packages');
  await writeFile(
    join(folder, 'tsconfig.json'),
    JSON.stringify({
      extends: join(REPO, 'tsconfig.base.json'),
      compilerOptions: {
        types: ['node'],
        typeRoots: [join(REPO, 'packages/cli/node_modules/@types')],
        allowImportingTsExtensions: true,
        // The React adapter's sources hold JSX.
        jsx: 'react-jsx',
        paths: {
          '@tactful/anonymous-session/browser': [join(packages, 'anonymous-session/src/browser.ts')],
          '@tactful/consent/tcf': [join(packages, 'consent/src/tcf.ts')],
          '@tactful/dynamic-content/compile': [join(packages, 'dynamic-content/src/compile.ts')],
          '@tactful/dynamic-content/prebuilt': [join(packages, 'dynamic-content/src/prebuilt.ts')],
          '@tactful/core/regex': [join(packages, 'core/src/regex.ts')],
          '@tactful/core/store': [join(packages, 'core/src/store.ts')],
          '@tactful/react/server': [join(packages, 'react/src/server.ts')],
          '@tactful/openfeature/server': [join(packages, 'openfeature/src/server.ts')],
          '@tactful/openfeature/web': [join(packages, 'openfeature/src/web.ts')],
          '@tactful/*': [join(packages, '*/src/index.ts')],
        },
      },
      include: ['**/*.ts'],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const output = await new Promise<string>((resolve) => {
    execFile(
      process.execPath,
      [tsc, '-p', folder, '--pretty', 'false'],
      { maxBuffer: 16 * 1024 * 1024 },
      (_error, stdout) => resolve(stdout),
    );
  });
  const errors: string[] = [];
  for (const line of output.split('\n')) {
    const at = /^(.+?)\((\d+),\d+\): error (.*)$/.exec(line);
    if (!at?.[1] || !at[2]) continue;
    const file = resolve(at[1]);
    const module = modules.get(file);
    const where = module?.lines[Number(at[2]) - 1] || `${relative(REPO, file)}:${at[2]}`;
    errors.push(`${where}: ${at[3]}`);
  }
  if (errors.length === 0) await rm(folder, { recursive: true, force: true });
  return errors;
}

describe('runnable samples in the docs', () => {
  it('finds runnable samples on the getting-started page at least', () => {
    expect(samplesByPage.get('docs/guides/getting-started.md')?.length ?? 0).toBeGreaterThan(3);
  });

  for (const [page, samples] of samplesByPage) {
    it(`${page}: its ${samples.length} runnable samples run, in order, in one folder`, async () => {
      const ts = samples.filter((s) => s.lang === 'ts' && s.attrs.test !== true);
      const run: PageRun = { dir: await workspaceFor() };
      const lastTs = ts.at(-1);
      if (lastTs) {
        run.module = pageModule(ts);
        run.lastTs = lastTs;
      }
      for (const sample of samples) await runSample(sample, run);
    }, 240_000);
  }
});

// tsc runs while the samples run: started here, checked last.
const typechecked = typecheckSamples();
typechecked.catch(() => undefined);

describe('ts samples in the docs type-check', () => {
  it("under the strict settings of the workspace, against the packages' sources", async () => {
    expect(await typechecked).toEqual([]);
  }, 180_000);
});
