import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SubjectExportDocumentSchema } from '@tactful/subject';
import { build } from 'tsup';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM example without type declarations
import { runLifecycle } from './lifecycle.js';

const dir = mkdtempSync(join(tmpdir(), 'tactful-lifecycle-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('example: consent lifecycle', () => {
  it('grant → personalized → withdraw → default → export → erase → empty export', async () => {
    const lines: string[] = [];
    const r = await runLifecycle({ dir, log: (l: string) => lines.push(l) });
    expect(r.before.isDefault).toBe(true);
    expect(r.granted).toMatchObject({
      isDefault: false,
      strategy: 'kids-corner',
      content: { title: "New in the kids' corner" },
    });
    expect(r.withdrawn.isDefault).toBe(true);
    expect(SubjectExportDocumentSchema.parse(r.exported).empty).toBe(false);
    const consentSection = r.exported.sections.find((s: { kind: string }) => s.kind === 'consent');
    expect(consentSection.records.map((x: { status: string }) => x.status)).toEqual(['granted', 'withdrawn']);
    const auditSection = r.exported.sections.find((s: { kind: string }) => s.kind === 'audit');
    expect(auditSection.data.entries).toHaveLength(3);
    expect(r.receipt.holders.map((h: { name: string }) => h.name)).toEqual([
      'sqlite-subject-store',
      'audit',
      'consent',
    ]);
    expect(r.receipt.erased).toBeGreaterThanOrEqual(8);
    expect(r.replay.droppedErased).toBe(1);
    expect(r.after.empty).toBe(true);
    expect(lines).toHaveLength(7);
  });

  it('runs the start script as plain ESM in its own process', async () => {
    // Bundled from the workspace sources (not the dist folders), so the run never depends on a stale build.
    const here = dirname(fileURLToPath(import.meta.url));
    const packages = join(here, '..', '..', '..', 'packages');
    const names = ['core', 'audit', 'consent', 'orchestrator', 'store-sqlite', 'subject'];
    const outDir = join(here, '..', 'node_modules', '.cache', `lifecycle-${process.pid}`);
    await build({
      config: false,
      silent: true,
      entry: { start: join(here, 'start.js') },
      outDir,
      format: ['esm'],
      platform: 'node',
      target: 'node20',
      dts: false,
      noExternal: [/^(?!better-sqlite3$)/],
      external: ['better-sqlite3'],
      esbuildOptions(options) {
        // Each package's src folder: `@tactful/x` is its index.ts, `@tactful/x/y` its y.ts (as the exports map).
        options.alias = Object.fromEntries(names.map((p) => [`@tactful/${p}`, join(packages, p, 'src')]));
      },
    });
    const script = join(outDir, 'start.js');
    const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
    rmSync(outDir, { recursive: true, force: true });
    expect(out).toMatch(/after grant: +kids-corner/);
    expect(out).toMatch(/after withdrawal: +default/);
    expect(out).toMatch(/export after: +empty = true/);
  }, 60_000);
});
