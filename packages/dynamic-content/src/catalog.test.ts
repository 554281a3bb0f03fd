import { isTactfulError } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { defineCatalog, parseCatalog } from './index.js';
import { shopCatalog } from '../test/shop-catalog.js';

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isTactfulError(error)) return error;
    throw error;
  }
  throw new Error('expected a TactfulError');
}

const slot = (extra: Record<string, unknown> = {}) => ({
  id: 'home.hero',
  default: { content: 'x' },
  ...extra,
});

describe('parseCatalog', () => {
  it('parses JSON text and derives what the catalog reads', () => {
    const catalog = parseCatalog(
      JSON.stringify({
        slots: [
          slot({
            variants: [
              { id: 'a', when: { segments: 'loyal', 'context.daypart': 'evening' }, content: 'a' },
              { id: 'b', when: { 'data.behavior.purchases': { $size: 0 } }, content: 'b' },
            ],
          }),
        ],
      }),
    );
    expect([...catalog.namespaces].sort()).toEqual(['context', 'data', 'segments']);
    expect(catalog.reads).toEqual([{ category: 'behavior.purchases', purpose: 'personalization.profile' }]);
    expect(catalog.slots.get('home.hero')?.variants.map((v) => v.id)).toEqual(['a', 'b']);
  });

  it('reports invalid JSON', () => {
    expect(errorOf(() => parseCatalog('{ "slots": [')).message).toMatch(/catalog is not valid JSON/);
  });

  it('rejects duplicate slot ids, naming the path', () => {
    const e = errorOf(() => defineCatalog({ slots: [slot(), slot()] }));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toContain('slots[1].id: duplicate slot id "home.hero"');
  });

  it('rejects a slot without a default', () => {
    const e = errorOf(() =>
      parseCatalog({ slots: [{ id: 'home.hero', variants: [{ id: 'a', content: 'a' }] }] }),
    );
    expect(e.message).toContain('slots[0].default: every slot needs a default');
  });

  it('rejects a schedule that ends before it starts', () => {
    const e = errorOf(() =>
      defineCatalog({
        slots: [
          slot({
            variants: [
              {
                id: 'a',
                content: 'a',
                schedule: { start: '2026-03-01T00:00:00Z', end: '2026-02-01T00:00:00Z' },
              },
            ],
          }),
        ],
      }),
    );
    expect(e.message).toContain(
      'slots[0].variants[0].schedule.end: slot "home.hero" variant "a": schedule ends',
    );
  });

  it('rejects a schedule that is not an ISO date-time', () => {
    const e = errorOf(() =>
      parseCatalog({
        slots: [slot({ variants: [{ id: 'a', content: 'a', schedule: { start: 'tomorrow' } }] })],
      }),
    );
    expect(e.message).toMatch(/slots\[0\]\.variants\[0\]\.schedule\.start: use an ISO 8601 date-time/);
  });

  it('rejects bad templates and script injection, naming the path', () => {
    const e = errorOf(() =>
      defineCatalog({
        slots: [
          slot({
            format: 'html',
            variants: [
              { id: 'a', content: { body: { $template: '<img src="x" onerror="alert(1)">' } } },
              { id: 'b', content: [{ $template: 'Hi {{ context.city' }] },
            ],
          }),
        ],
      }),
    );
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.issues.map((i) => i.path.join('.'))).toEqual([
      'slots.0.variants.0.content.body.$template',
      'slots.0.variants.1.content.0.$template',
    ]);
    expect(e.message).toMatch(/event handler attribute "onerror"/);
    expect(e.message).toMatch(/unclosed placeholder/);
  });

  it('rejects duplicate variant ids, bad conditions and unknown fact names, reporting all at once', () => {
    const e = errorOf(() =>
      defineCatalog({
        slots: [
          slot({
            variants: [
              { id: 'a', content: 'a', when: { segments: { $where: 'x' } } },
              { id: 'a', content: 'a' },
              { id: 'c', content: 'c', when: { profile: 1 } },
            ],
          }),
        ],
      }),
    );
    expect(e.code).toBe('INVALID_CONDITION');
    expect(e.issues.length).toBe(3);
    expect(e.message).toContain('duplicate variant id');
    expect(e.message).toContain('reads "profile"');
    expect(e.issues[0]?.path.slice(0, 5)).toEqual(['slots', 0, 'variants', 0, 'when']);
  });

  it('rejects a variant that reads a sensitive category without explicit consent, naming slot, variant and category', () => {
    const e = errorOf(() =>
      defineCatalog({
        slots: [
          slot({ variants: [{ id: 'pregnancy', when: { 'data.health.pregnant': true }, content: 'baby' }] }),
        ],
      }),
    );
    expect(e.code).toBe('SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT');
    expect(e.message).toContain(
      'slot "home.hero" variant "pregnancy" uses sensitive category "health" without explicit consent',
    );
    expect(e.path).toEqual(['slots', 0, 'variants', 0]);
  });

  it('rejects a template reading a sensitive category too', () => {
    const e = errorOf(() =>
      defineCatalog({
        slots: [
          slot({
            variants: [{ id: 'near', content: { $template: 'Near {{ data.location.precise.latitude }}' } }],
          }),
        ],
      }),
    );
    expect(e.code).toBe('SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT');
    expect(e.message).toContain('"location.precise"');
  });

  it('accepts a sensitive category under a purpose that gives explicit consent for it', () => {
    const catalog = defineCatalog({
      slots: [
        slot({
          variants: [
            {
              id: 'nearby',
              purpose: 'personalization.precise-location',
              when: { 'data.location.precise.latitude': { $gt: 10 } },
              content: 'store nearby',
            },
          ],
        }),
      ],
    });
    expect(catalog.reads).toEqual([
      { category: 'location.precise', purpose: 'personalization.precise-location' },
    ]);
  });

  it('accepts vendor categories and purposes through a taxonomy extension', () => {
    const taxonomy = {
      purposes: [{ id: 'wellness', label: { en: 'Wellness tips' }, explicitConsentFor: ['health'] }],
      categories: [{ id: 'loyalty.tier', label: { en: 'Loyalty tier' }, origin: 'observed' as const }],
    };
    const catalog = defineCatalog(
      {
        slots: [
          slot({
            variants: [
              { id: 'gold', when: { 'data.loyalty.tier': 'gold' }, content: 'gold' },
              { id: 'tips', purpose: 'wellness', when: { 'data.health.goal': 'sleep' }, content: 'sleep' },
            ],
          }),
        ],
      },
      { taxonomy },
    );
    expect(catalog.categories).toEqual(['health', 'loyalty.tier']);
    expect(
      errorOf(() =>
        defineCatalog({
          slots: [slot({ variants: [{ id: 'g', when: { 'data.loyalty.tier': 'gold' }, content: 'g' }] })],
        }),
      ).code,
    ).toBe('UNKNOWN_CATEGORY');
  });

  it('refuses a locale condition that can never match (the decision locale is a language code) and names where', () => {
    const e = errorOf(() =>
      defineCatalog({
        slots: [
          slot({
            variants: [
              { id: 'a', when: { locale: 'vi-VN' }, content: 'a' },
              { id: 'b', when: { $or: [{ locale: { $in: ['vi', 'EN'] } }] }, content: 'b' },
            ],
          }),
        ],
      }),
    );
    expect(e.code).toBe('INVALID_CONDITION');
    expect(e.message).toContain('when.locale: ');
    expect(e.message).toContain('"vi-VN" can never match');
    expect(e.message).toContain('write "vi"');
    expect(e.message).toContain('when.$or[0].locale.$in[1]');
    expect(e.message).not.toContain('$in[0]');
    // A language code is fine, and matches a request in that language's regions.
    expect(() =>
      defineCatalog({ slots: [slot({ variants: [{ id: 'a', when: { locale: 'vi' }, content: 'a' }] })] }),
    ).not.toThrow();
  });

  it('keeps default content unpersonalized', () => {
    const e = errorOf(() =>
      defineCatalog({ slots: [{ id: 's', default: { content: { $template: 'Hi {{ segments[0] }}' } } }] }),
    );
    expect(e.message).toContain('may read only "locale"');
  });

  it('rejects forbidden content keys and non-JSON content', () => {
    const content = JSON.parse('{"__proto__": {"polluted": true}, "title": "x"}');
    const e = errorOf(() => parseCatalog({ slots: [slot({ variants: [{ id: 'a', content }] })] }));
    expect(e.message).toContain('"__proto__" is not allowed');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('renders localized defaults', () => {
    const catalog = shopCatalog();
    expect(catalog.defaultContent('home.hero', 'vi-VN')).toEqual({
      title: 'Hàng mới tuần này',
      href: '/new',
    });
    expect(catalog.defaultContent('home.hero')).toEqual({ title: 'New this week', href: '/new' });
    expect(catalog.defaultContent('nope')).toBeUndefined();
  });
});
