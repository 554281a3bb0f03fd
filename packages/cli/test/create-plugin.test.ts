import { execFile } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, tactful, tempDir } from './run-cli.js';

const require = createRequire(import.meta.url);

function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, timeout: 240_000, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, CI: 'true' } },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
          output: `${stdout}\n${stderr}`,
        });
      },
    );
  });
}

/** Links what `npm install` would put in node_modules to the workspace's own copies (no network). */
async function linkWorkspacePackages(pkgDir: string): Promise<void> {
  const links: Record<string, string> = {
    '@tactful/core': join(REPO, 'packages/core'),
    '@tactful/testing': join(REPO, 'packages/testing'),
    vitest: join(REPO, 'node_modules/vitest'),
    typescript: join(REPO, 'node_modules/typescript'),
    tsup: join(REPO, 'node_modules/tsup'),
    'fast-check': dirname(
      require.resolve('fast-check/package.json', { paths: [join(REPO, 'packages/testing')] }),
    ),
  };
  for (const [name, target] of Object.entries(links)) {
    const at = join(pkgDir, 'node_modules', name);
    await mkdir(dirname(at), { recursive: true });
    await symlink(target, at, 'dir');
  }
}

describe('tactful create-plugin', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, remove } = await tempDir('tactful-plugin-'));
  });
  afterAll(async () => {
    await remove();
  });

  it('scaffolds a plugin package whose conformance tests and typecheck pass against the workspace packages', async () => {
    const made = await tactful(['create-plugin', 'summer-sale'], dir);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/Created tactful-plugin-summer-sale in summer-sale\//);
    const pkgDir = join(dir, 'summer-sale');
    const pkg = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('tactful-plugin-summer-sale');
    expect(pkg.keywords).toContain('tactful-plugin');
    expect(pkg.peerDependencies['@tactful/core']).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(pkg.devDependencies['@tactful/testing']).toBeDefined();
    const test = await readFile(join(pkgDir, 'src/summer-sale.test.ts'), 'utf8');
    expect(test).toMatch(/describeStrategyConformance\('tactful-plugin-summer-sale'/);

    await linkWorkspacePackages(pkgDir);
    const tests = await run(
      process.execPath,
      [join(pkgDir, 'node_modules/vitest/vitest.mjs'), 'run'],
      pkgDir,
    );
    expect(tests.output).toMatch(/Tests\s+.*\d+ passed/);
    expect(tests.output).not.toMatch(/failed/);
    expect(tests.code).toBe(0);
    const typecheck = await run(
      process.execPath,
      [join(pkgDir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
      pkgDir,
    );
    expect(typecheck.output.trim()).toBe('');
    expect(typecheck.code).toBe(0);
  });

  it('a broken plugin fails its scaffolded conformance suite (the kit is really wired in)', async () => {
    const made = await tactful(['create-plugin', '@acme/tactful-leaky', '--dir', 'leaky', '--quiet'], dir);
    expect(made.code).toBe(0);
    const pkgDir = join(dir, 'leaky');
    const source = join(pkgDir, 'src/leaky.ts');
    // Read a category the manifest does not declare: the projection checks of the kit must catch it.
    const text = (await readFile(source, 'utf8')).replace(
      "const path = pathOf(input.data['context.page']);",
      "const path = pathOf(input.data['context.page']) ?? String(input.data['behavior.purchases']);",
    );
    expect(text).toContain("input.data['behavior.purchases']");
    await writeFile(source, text);
    await linkWorkspacePackages(pkgDir);
    const tests = await run(
      process.execPath,
      [join(pkgDir, 'node_modules/vitest/vitest.mjs'), 'run'],
      pkgDir,
    );
    expect(tests.code).not.toBe(0);
    expect(tests.output).toMatch(/undeclared|behavior\.purchases/i);
  });

  it('refuses a folder that is not empty without --force, and names npm would refuse', async () => {
    await mkdir(join(dir, 'taken'), { recursive: true });
    await writeFile(join(dir, 'taken', 'keep.txt'), 'mine');
    const taken = await tactful(['create-plugin', 'taken'], dir);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/exists and is not empty/);
    expect(await readFile(join(dir, 'taken', 'keep.txt'), 'utf8')).toBe('mine');
    const bad = await tactful(['create-plugin', 'Bad Name!'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a valid package name/);
    const json = await tactful(['create-plugin', 'tactful-plugin-x', '--json'], dir);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ package: 'tactful-plugin-x', dir: 'x' });
  });
});
