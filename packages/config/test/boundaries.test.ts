import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FORBIDDEN_KEYS, isTactfulError } from '@tactful/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createTactful, loadConfig, validateConfig } from '../src/index.js';

/** A small valid configuration whose segment condition, contextual `when` and catalog `when` are given. */
function config(parts: { segment?: string; when?: string; variant?: string; extra?: string }): string {
  return `{
    "controller": { "name": "Shop", "contact": "privacy@shop.example" },
    "storage": { "driver": "memory" },
    "strategies": {
      "contextual": { "rules": [{ "id": "r", "slot": "home.hero", "when": ${parts.when ?? '{ "device.class": "mobile" }'},
        "content": { "x": 1 }, "reason": { "en": "r" } }] },
      "segments": { "segments": [{ "name": "s", "description": { "en": "s" },
        "condition": ${parts.segment ?? '{ "stats.purchases.withinDays.d365": { "$gte": 3 } }'} }] },
      "dynamicContent": [{ "catalog": { "slots": [{ "id": "home.banner", "default": { "content": { "b": 0 } },
        "variants": [{ "id": "v", "when": ${parts.variant ?? '{ "segments": "s" }'}, "content": { "b": 1 } }] }] } }]
    }${parts.extra ?? ''}
  }`;
}

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function load(text: string) {
  dir = await mkdtemp(join(tmpdir(), 'tactful-bounds-'));
  const file = join(dir, 'tactful.config.json');
  await writeFile(file, text);
  return loadConfig(file);
}

describe('configuration boundaries', () => {
  it('the base configuration is valid', async () => {
    const result = await validateConfig(config({}));
    expect(result.problems).toEqual([]);
  });

  it('refuses __proto__, constructor and prototype in every rule kind with INVALID_CONFIG and the path', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('segment' as const, 'when' as const, 'variant' as const),
        fc.constantFrom(...FORBIDDEN_KEYS),
        fc.boolean(),
        async (where, key, nested) => {
          const rule = nested
            ? `{ "$and": [{ "${key}": { "device.class": "mobile" } }] }`
            : `{ "${key}": { "x": 1 } }`;
          const text = config({ [where]: rule });
          const result = await validateConfig(text);
          expect(result.ok).toBe(false);
          const problem = result.problems.find((p) => p.path.includes(key));
          expect(problem, JSON.stringify(result.problems)).toBeDefined();
          expect(problem!.code).toBe('INVALID_CONFIG');
          expect(problem!.path.at(-1)).toBe(key);
          await expect(load(text)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
        },
      ),
      { numRuns: 30 },
    );
  });

  it('refuses forbidden keys in a configuration given as an object (validateConfig, createTactful)', async () => {
    const value = JSON.parse(config({ when: '{ "__proto__": { "device.class": "mobile" } }' }));
    const result = await validateConfig(value);
    expect(result.problems[0]).toMatchObject({
      code: 'INVALID_CONFIG',
      path: ['strategies', 'contextual', 'rules', 0, 'when', '__proto__'],
    });
    await expect(createTactful(value, { memory: true })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      path: ['strategies', 'contextual', 'rules', 0, 'when', '__proto__'],
    });
  });

  it('gives INVALID_CONFIG with a path, never a RangeError, for a rule nested 10,000 levels deep', async () => {
    const deep = `${'{ "$not": '.repeat(10_000)}{ "x": 1 }${' }'.repeat(10_000)}`;
    const deepArrays = `{ "$and": ${'['.repeat(10_000)}${']'.repeat(10_000)} }`;
    for (const rule of [deep, deepArrays]) {
      const result = await validateConfig(config({ segment: rule }));
      expect(result.ok).toBe(false);
      expect(result.problems[0]!.code).toBe('INVALID_CONFIG');
      expect(result.problems[0]!.message).toMatch(/deeper than/);
      const error = await load(config({ segment: rule })).catch((e: unknown) => e);
      expect(isTactfulError(error) && error.code).toBe('INVALID_CONFIG');
      // The object form too (JSON.parse itself copes with the depth; what reads it next must not overflow).
      expect((await validateConfig(JSON.parse(config({ segment: rule })))).problems[0]).toMatchObject({
        code: 'INVALID_CONFIG',
      });
      await expect(
        createTactful(JSON.parse(config({ segment: rule })), { memory: true }),
      ).rejects.toMatchObject({
        code: 'INVALID_CONFIG',
      });
    }
  });

  it('refuses a 10 MB configuration with a huge $in before reading it all', async () => {
    const big = JSON.stringify(Array.from({ length: 1_200_000 }, (_, i) => `v${i}`));
    const text = config({ segment: `{ "profile.preferences.interests": { "$in": ${big} } }` });
    expect(text.length).toBeGreaterThan(10_000_000);
    const result = await validateConfig(text);
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ code: 'INVALID_CONFIG' });
    expect(result.problems[0]!.message).toMatch(/bytes|larger/);
    // A huge $in within the byte cap is refused by the array bound, with its path.
    const wide = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => i));
    const second = await validateConfig(config({ segment: `{ "x": { "$in": ${wide} } }` }));
    expect(second.ok).toBe(false);
    expect(second.problems[0]!.path).toEqual([
      'strategies',
      'segments',
      'segments',
      0,
      'condition',
      'x',
      '$in',
    ]);
  });
});
