import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM example without type declarations
import { runDemo } from './demo.js';

interface Slot {
  slot: string;
  content: unknown;
  strategy: string;
  isDefault: boolean;
  explanation: { summary: { en: string; vi?: string }; signals: string[]; categories: string[] };
}

describe('example: contextual and segment personalization', () => {
  it('decides the same page differently for Hanoi and Berlin, and for a loyal and a new customer', async () => {
    const lines: string[] = [];
    const { results, weatherRequests } = await runDemo({ log: (l: string) => lines.push(l) });
    const slot = (visitor: string, id: string): Slot =>
      results
        .find((r: { visitor: string }) => r.visitor === visitor)
        .decision.slots.find((s: Slot) => s.slot === id);

    const hanoiHero = slot('visitor-hanoi', 'home.hero');
    expect(hanoiHero).toMatchObject({
      isDefault: false,
      strategy: '@tactful/contextual',
      content: { title: 'Rain jackets and umbrellas' },
    });
    expect(hanoiHero.explanation.summary.vi).toBeTruthy();
    expect(hanoiHero.explanation.signals).toContain('weather.raining=true');
    expect(hanoiHero.explanation.categories).toContain('context.weather');

    const berlinHero = slot('visitor-berlin', 'home.hero');
    expect(berlinHero).toMatchObject({
      isDefault: false,
      content: { title: 'Sunny morning: the winter lookbook' },
    });
    expect(berlinHero.explanation.signals).toEqual([
      'daypart=morning',
      'weather.condition=clear',
      'device.class=desktop',
    ]);

    expect(slot('visitor-hanoi', 'home.offer')).toMatchObject({
      strategy: '@tactful/segments',
      content: { title: 'Thank you: 15% off your next order' },
    });
    expect(slot('visitor-hanoi', 'home.offer').explanation.signals).toContain('segment:loyal-customer');
    expect(slot('visitor-berlin', 'home.offer')).toMatchObject({
      strategy: '@tactful/segments',
      content: { title: 'Welcome back: free delivery on your second order' },
    });
    expect(slot('visitor-berlin', 'home.offer').explanation.categories).toEqual(['behavior.purchases']);

    // Only rounded city centroids went to the weather API.
    expect(weatherRequests).toEqual([
      '/v1/forecast?latitude=21&longitude=105.9&current=temperature_2m,weather_code,precipitation',
      '/v1/forecast?latitude=52.5&longitude=13.4&current=temperature_2m,weather_code,precipitation',
    ]);
    expect(lines.length).toBeGreaterThanOrEqual(10);
  });

  it('runs as a plain ESM script (over the built packages, or bundled from the sources when not built)', async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const packages = join(here, '..', '..', '..', 'packages');
    const names = ['core', 'consent', 'contextual', 'orchestrator', 'segments', 'subject'];
    let script = join(here, 'start.js');
    let outDir: string | undefined;
    if (!names.every((p) => existsSync(join(packages, p, 'dist', 'index.js')))) {
      outDir = join(here, '..', 'node_modules', '.cache', `contextual-segments-${process.pid}`);
      await build({
        config: false,
        silent: true,
        entry: { start: script },
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
      script = join(outDir, 'start.js');
    }
    try {
      const out = execFileSync(process.execPath, [script], { encoding: 'utf8' });
      expect(out).toMatch(/home\.hero +@tactful\/contextual: \{"title":"Rain jackets and umbrellas"/);
      expect(out).toMatch(
        /home\.offer +@tactful\/segments: \{"title":"Thank you: 15% off your next order"\}/,
      );
      expect(out).toMatch(/vì sao: /);
    } finally {
      if (outDir) rmSync(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});
