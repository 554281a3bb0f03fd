import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCompiledOrchestrator } from '@tactful/orchestrator/compiled';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tactful, tempDir } from './run-cli.js';

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir());
});
afterEach(async () => {
  await remove();
});

/** A page module of plain plugin objects (a plugin needs no import: a manifest and functions). */
function pageModule(read = 'context.device', purpose = 'personalization.contextual'): string {
  return `
export function pagePlugins() {
  return {
    consent: [{
      manifest: { kind: 'consent', name: 'banner', version: '1.0.0', core: '^0.1.0' },
      resolve: ({ purposes }) => ({ purposes: Object.fromEntries(purposes.map((p) => [p, { status: 'granted', provider: 'banner' }])) }),
    }],
    sources: [{
      manifest: { kind: 'source', name: 'health-records', version: '1.0.0', core: '^0.1.0', provides: [{ category: 'health' }], rights: { erase: true } },
      load: () => ({}),
      erase: async () => ({ erased: 0 }),
    }],
    strategies: [{
      manifest: { kind: 'strategy', name: 'hero', version: '1.0.0', core: '^0.1.0', purposes: ['personalization.contextual'],
        reads: [{ category: ${JSON.stringify(read)}, purpose: ${JSON.stringify(purpose)} }] },
      decide: ({ slots }) => ({ proposals: slots.map((s) => ({ slot: s.id, content: 'hello', reason: { en: 'Hello.' } })) }),
    }],
  };
}
`;
}

describe('tactful compile', () => {
  it('writes the plan of a page module, and the page engine starts from it with the same plugins', async () => {
    await writeFile(join(dir, 'page.mjs'), pageModule());
    const run = await tactful(['compile', 'page.mjs', '--export', 'pagePlugins', '--out', 'plan.json'], dir);
    expect(run.stderr).toContain('compiling pagePlugins');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ wrote plan\.json \(\d+ bytes, tactful-plan\/1;/);
    const plan = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8'));
    const { pagePlugins } = await import(pathToFileURL(join(dir, 'page.mjs')).href);
    const engine = createCompiledOrchestrator({ plan, ...pagePlugins() });
    const decision = await engine.decide({ slots: [{ id: 'home.hero', default: 'welcome' }] });
    expect(decision.slots[0]).toMatchObject({ content: 'hello', strategy: 'hero', isDefault: false });
  });

  it('writes a JS module when --out ends in .mjs, the same plan', async () => {
    await writeFile(join(dir, 'page.mjs'), pageModule());
    const json = await tactful(['compile', 'page.mjs', '--export', 'pagePlugins', '--json'], dir);
    expect(json.code, json.stderr).toBe(0);
    const printed = JSON.parse(json.stdout);
    expect(printed).toMatchObject({ ok: true, strategies: ['hero'] });
    const run = await tactful(['compile', 'page.mjs', '--export', 'pagePlugins', '--out', 'plan.mjs'], dir);
    expect(run.code, run.stderr).toBe(0);
    const mod = await import(pathToFileURL(join(dir, 'plan.mjs')).href);
    expect(mod.default).toEqual(printed.plan);
    expect(mod.plan.stamp).toBe(printed.stamp);
  });

  it('fails the build with every problem and its path for a configuration registration refuses (P3)', async () => {
    await writeFile(join(dir, 'page.mjs'), pageModule('health', 'personalization.profile'));
    const run = await tactful(['compile', 'page.mjs', '--export', 'pagePlugins', '--out', 'plan.json'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT');
    expect(run.stdout).toContain('strategies.0.manifest.reads.0');
    await expect(readFile(join(dir, 'plan.json'), 'utf8')).rejects.toThrow();
  });

  it('names a missing export and a module that does not load, exit 1', async () => {
    await writeFile(join(dir, 'page.mjs'), pageModule());
    const missing = await tactful(['compile', 'page.mjs'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('has no export "default" (it exports: pagePlugins)');
    const broken = await tactful(['compile', 'nowhere.mjs'], dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('cannot load nowhere.mjs');
  });
});
