import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const REPOSITORY = 'https://github.com/tactful-dev/tactful';

interface Manifest {
  name: string;
  private?: boolean;
  author?: string;
  homepage?: string;
  repository?: { type?: string; url?: string; directory?: string };
  bugs?: { url?: string };
  license?: string;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}

const published = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir,
    manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as Manifest,
  }))
  .filter(({ manifest }) => manifest.private !== true);
const license = readFileSync(join(root, 'LICENSE'), 'utf8');

describe.each(published)('$manifest.name', ({ dir, manifest }) => {
  it('names its repository (with its folder), homepage, issue tracker and author', () => {
    expect(manifest.repository).toEqual({
      type: 'git',
      url: `git+${REPOSITORY}.git`,
      directory: `packages/${dir}`,
    });
    expect(manifest.homepage).toBe(`${REPOSITORY}/tree/main/packages/${dir}#readme`);
    expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    expect(manifest.author).toBe('The Tactful authors');
    expect(manifest.license).toBe('MIT');
  });

  it("carries the repository's LICENSE (npm packs a package folder's LICENSE whatever `files` says)", () => {
    const file = join(root, 'packages', dir, 'LICENSE');
    expect(existsSync(file), `copy LICENSE into packages/${dir}`).toBe(true);
    expect(readFileSync(file, 'utf8'), `packages/${dir}/LICENSE differs from LICENSE`).toBe(license);
  });

  it('takes caret ranges for third-party runtime dependencies, and workspace:^ for its own', () => {
    for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (name.startsWith('@tactful/')) expect(range, name).toBe('workspace:^');
      else if (name !== 'vitest') expect(range, name).toMatch(/^\^\d+\.\d+\.\d+$/);
    }
    for (const [name, range] of Object.entries(manifest.devDependencies ?? {})) {
      if (!name.startsWith('@tactful/')) expect(range, `devDependencies.${name} stays pinned`).toMatch(/^\d/);
    }
  });

  it('takes zod as a peer (one copy, whose types every package shares) and better-sqlite3 only as an optional peer', () => {
    expect(manifest.dependencies?.zod, 'zod belongs in peerDependencies').toBeUndefined();
    const dts = join(root, 'packages', dir, 'src');
    const usesZod = readdirSync(dts, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .some((f) => /from ['"]zod(\/[a-z]+)?['"]/.test(readFileSync(join(dts, f), 'utf8')));
    if (usesZod) {
      expect(manifest.peerDependencies?.zod).toMatch(/^\^4\./);
      expect(manifest.devDependencies?.zod).toMatch(/^4\./);
    }
    expect(manifest.dependencies?.['better-sqlite3']).toBeUndefined();
    if (['store-sqlite', 'config', 'server', 'cli'].includes(dir)) {
      expect(manifest.peerDependencies?.['better-sqlite3']).toBe('^12.11.1');
      expect(manifest.peerDependenciesMeta?.['better-sqlite3']?.optional).toBe(true);
    }
  });
});
