import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM example without type declarations
import { runEmail } from './email.js';
// @ts-expect-error plain ESM example without type declarations
import { runVisit } from './visit.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');

describe('example: content and session', () => {
  it('renders one template for three recipients: two personalized, one generic', async () => {
    const emails = await runEmail();
    expect(emails.map((e: { recipient: string; status: string }) => [e.recipient, e.status])).toEqual([
      ['ann', 'personalized'],
      ['binh', 'personalized'],
      ['chi', 'generic'],
    ]);
    const [ann, binh, chi] = emails;
    expect(ann.html).toContain('Hi Ann,');
    expect(ann.html).toContain('https://shop.example/summer');
    expect(['Your June picks', 'Summer is here!']).toContain(ann.subject);
    expect(binh.html).toContain('Chào Bình,');
    expect(binh.html).toContain('Bộ sưu tập hè dành cho bạn');
    // Bình did not agree to measurement: the subject-line split falls back to its control, never her id
    expect(binh.subject).toBe('Gợi ý tháng Sáu cho bạn');
    expect(binh.decision.categoriesUsed).not.toContain('subject.id');
    expect(chi.subject).toBe('News from Tactful Shop');
    expect(chi.html).toContain('Hello there,');
    expect(chi.html).not.toContain('Chi');
    expect(chi.decision).toBeUndefined();
  });

  it("changes a first-time visitor's home page as the session browses kids' products", async () => {
    const { pages, sessionId, afterSignIn } = await runVisit();
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(sessionId).not.toBe('forged-or-stale-cookie-value');
    expect(afterSignIn).not.toBe(sessionId);
    const first = pages[0];
    expect(first.hero.isDefault).toBe(true);
    expect(first.categories.isDefault).toBe(true);
    const last = pages.at(-1);
    expect(last.hero).toMatchObject({ isDefault: false, variant: 'kids' });
    expect(last.categories.content.order.slice(0, 2)).toEqual(['kids', 'toys']);
    expect(last.continue.content.items.map((i: { target: string }) => i.target)).toEqual([
      'rain-boots',
      'wooden-train',
    ]);
    const heroes = pages.map((p: { hero: { isDefault: boolean } }) => p.hero.isDefault);
    expect(heroes.indexOf(false)).toBeGreaterThan(0);
  });

  it('prints both parts when started as plain ESM in its own process', async () => {
    // Bundled from the workspace sources (not the dist folders), so the run never depends on a stale build.
    const packages = join(root, 'packages');
    const names = ['core', 'orchestrator', 'consent', 'dynamic-content', 'anonymous-session'];
    const outDir = join(here, '..', 'node_modules', '.cache', `content-session-${process.pid}`);
    await build({
      config: false,
      silent: true,
      entry: { start: join(here, 'start.js') },
      outDir,
      format: ['esm'],
      platform: 'node',
      target: 'node20',
      dts: false,
      noExternal: [/.*/],
      esbuildOptions(options) {
        // Each package's src folder: `@tactful/x` is its index.ts, `@tactful/x/y` its y.ts (as the exports map).
        options.alias = Object.fromEntries(names.map((p) => [`@tactful/${p}`, join(packages, p, 'src')]));
      },
    });
    const out = execFileSync(process.execPath, [join(outDir, 'start.js')], { encoding: 'utf8' });
    rmSync(outDir, { recursive: true, force: true });
    expect(out).toContain('▸ ann: personalized');
    expect(out).toContain('▸ chi: generic');
    expect(out).toContain('Hero:       For little explorers');
    expect(out).toContain('Categories: kids · toys');
  });
});
