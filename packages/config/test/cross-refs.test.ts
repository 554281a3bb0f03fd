import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/index.js';

const controller = { name: 'Shop', contact: 'privacy@shop.example' };
const segments = {
  segments: [
    {
      name: 'interested-in-kids',
      description: { en: 'Said they like kids things' },
      condition: { 'profile.preferences.interests': 'kids' },
      topics: ['kids'],
    },
    {
      name: 'interested-in-home',
      description: { en: 'Said they like home goods' },
      condition: { 'profile.preferences.interests': 'home' },
    },
  ],
};
const catalog = (variants: unknown[]) => ({
  slots: [{ id: 'home.hero', default: { content: { title: 'New' } }, variants }],
});

function config(overrides: Record<string, unknown> = {}) {
  return {
    controller,
    strategies: {
      segments,
      dynamicContent: [
        {
          catalog: catalog([
            { id: 'kids', when: { segments: 'interested-in-kid' }, content: { title: 'Kids' } },
            {
              id: 'home',
              when: { segments: { $in: ['interested-in-home', 'loyal'] } },
              content: { title: 'Home' },
            },
            { id: 'ok', when: { segments: 'interested-in-kids' }, content: { title: 'Kids too' } },
          ]),
        },
      ],
      anonymousSession: { slots: { categories: 'home.hreo' } },
      contextual: {
        rules: [
          {
            id: 'rain',
            slot: 'home.hero',
            when: { 'weather.raining': true },
            content: 'x',
            reason: { en: 'r' },
          },
          {
            id: 'bad',
            slot: 'home.hero',
            when: { 'weather.raining': { $bogus: 1 } },
            content: 'x',
            reason: { en: 'r' },
          },
          { id: 'bad2', slot: 'home.hero', when: { wether: 1 }, content: 'x', reason: { en: 'r' } },
        ],
      },
    },
    ...overrides,
  };
}

const byPath = (problems: Array<{ path: Array<string | number> }>) => problems.map((p) => p.path.join('.'));

describe('validate: cross-references, every problem at once', () => {
  it('reports a content variant that names a segment nobody defines, with a "did you mean"', async () => {
    const result = await validateConfig(config());
    const dead = result.problems.find(
      (p) => p.code === 'UNKNOWN_SEGMENT' && p.message.includes('"interested-in-kid"'),
    );
    expect(dead?.path).toEqual([
      'strategies',
      'dynamicContent',
      0,
      'catalog',
      'slots',
      0,
      'variants',
      0,
      'when',
      'segments',
    ]);
    expect(dead?.hint).toContain('did you mean "interested-in-kids"?');
    const loyal = result.problems.find((p) => p.code === 'UNKNOWN_SEGMENT' && p.message.includes('"loyal"'));
    expect(loyal?.path.slice(-2)).toEqual(['segments', '$in']);
    expect(result.problems.some((p) => p.message.includes('"interested-in-home"'))).toBe(false);
  });

  it('reports a slot name that is one typo away from a slot the catalog defines', async () => {
    const result = await validateConfig(config());
    const slot = result.problems.find((p) => p.code === 'UNKNOWN_SLOT');
    expect(slot?.path).toEqual(['strategies', 'anonymousSession', 'slots', 'categories']);
    expect(slot?.hint).toContain('did you mean "home.hero"?');
  });

  it("reports every bad contextual rule, not only the first, next to the other plugins' problems", async () => {
    const result = await validateConfig(config());
    const paths = byPath(result.problems);
    expect(paths.some((p) => p.startsWith('strategies.contextual.rules.1'))).toBe(true);
    expect(paths.some((p) => p.startsWith('strategies.contextual.rules.2'))).toBe(true);
    const wether = result.problems.find((p) => p.path.join('.').startsWith('strategies.contextual.rules.2'));
    expect(wether?.hint).toContain('did you mean "weather"?');
    expect(result.problems.filter((p) => p.code === 'UNKNOWN_SEGMENT')).toHaveLength(2);
  });

  it('still checks the rest of the file when one section has the wrong shape', async () => {
    const result = await validateConfig(config({ merge: 'loudest', audit: { sampling: 2 } }));
    const paths = byPath(result.problems);
    expect(paths).toContain('merge');
    expect(paths).toContain('audit.sampling');
    expect(result.problems.filter((p) => p.code === 'UNKNOWN_SEGMENT')).toHaveLength(2);
    expect(paths.some((p) => p.startsWith('strategies.contextual.rules.1'))).toBe(true);
  });

  it('suggests the purpose meant by a misspelled one', async () => {
    const result = await validateConfig({
      controller,
      strategies: {
        dynamicContent: [{ catalog: catalog([]), purposes: ['personalization.contextal'] }],
      },
    });
    const purpose = result.problems.find((p) => p.message.includes('personalization.contextal'));
    expect(purpose?.hint).toContain('did you mean "personalization.contextual"?');
  });

  it('accepts a configuration whose cross-references all resolve', async () => {
    const good = config();
    const result = await validateConfig({
      ...good,
      strategies: {
        ...good.strategies,
        dynamicContent: [
          {
            catalog: catalog([
              { id: 'ok', when: { segments: 'interested-in-kids' }, content: { title: 'Kids' } },
            ]),
          },
        ],
        anonymousSession: { slots: { categories: 'home.rail' } },
        contextual: {
          rules: [
            {
              id: 'evening',
              slot: 'home.hero',
              when: { daypart: 'evening' },
              content: 'x',
              reason: { en: 'r' },
            },
          ],
        },
      },
    });
    expect(result.problems).toEqual([]);
  });

  it('walks a hostile, deeply nested condition without failing', async () => {
    let when: Record<string, unknown> = { segments: 'nobody' };
    for (let i = 0; i < 5000; i++) when = { $and: [when] };
    const result = await validateConfig({
      controller,
      strategies: { segments, dynamicContent: [{ catalog: catalog([{ id: 'deep', when, content: 'x' }]) }] },
    });
    expect(result.ok).toBe(false);
    expect(result.problems.length).toBeGreaterThan(0);
  });
});
