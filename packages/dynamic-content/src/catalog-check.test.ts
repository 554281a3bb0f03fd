import { expectSameAsSchema } from '@tactful/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineCatalog } from './catalog.js';
import { checkCatalog } from './catalog-check.js';
import { CatalogSchema } from './catalog-schema.js';

const other = fc.oneof(fc.anything({ maxDepth: 1 }), fc.constantFrom(null, [], {}, 'x', 1, true));
const or = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: a }, other);
const strictOf = <T extends Record<string, fc.Arbitrary<unknown>>>(
  shape: T,
  required: (keyof T & string)[] = [],
) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.record(shape, { requiredKeys: required }) },
    fc.record(shape, { requiredKeys: [] }),
    fc.record({ ...shape, extra: other }, { requiredKeys: [] }),
    other,
  );
const number = fc.oneof(
  fc.constantFrom(0, 1, -1, 1.5, 1000, 1001, -1000, -1001, 1_000_000, 1_000_001, Number.NaN),
  fc.double(),
);
const id = fc.oneof(
  fc.constantFrom('home.hero', 'a', '', 'bad id', 'x'.repeat(129)),
  fc.string({ maxLength: 4 }),
);
const instant = fc.oneof(
  fc.constantFrom(
    '2026-02-01T00:00:00Z',
    '2026-02-01T00:00:00+07:00',
    '2024-02-29T10:00:00.5Z',
    '2025-02-29T10:00:00Z',
    'tomorrow',
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);
const content = fc.oneof(
  fc.constantFrom(undefined, 'hi', { title: 'x' }, null, 0),
  fc.jsonValue({ maxDepth: 1 }),
);
const locales = or(
  fc.dictionary(fc.constantFrom('vi', 'en-US', 'EN', 'x', 'toolonglocale-abcdefghi'), content, {
    maxKeys: 3,
  }),
);
const text = strictOf({ en: or(fc.constantFrom('Hi', '')), vi: or(fc.constantFrom('Chào', '')) }, ['en']);
const variant = strictOf(
  {
    id,
    when: or(fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 })),
    priority: or(number),
    weight: or(number),
    schedule: strictOf({ start: or(instant), end: or(instant) }),
    content,
    locales,
    topics: or(fc.array(fc.constantFrom('kids', '', 'x'.repeat(65)), { maxLength: 3 })),
    purpose: or(fc.constantFrom('personalization.profile', 'Bad')),
    reason: text,
  },
  ['id', 'content'],
);
const slot = strictOf(
  {
    id,
    description: or(fc.constantFrom('d', 'x'.repeat(501))),
    format: or(fc.constantFrom('text', 'html', 'url', 'pdf')),
    default: fc.oneof(strictOf({ content, locales }, ['content']), fc.constant(undefined)),
    variants: or(fc.array(variant, { maxLength: 3 })),
    experiment: strictOf({
      id: or(id),
      version: or(number),
      bucketBy: or(fc.constantFrom('session', 'subject', 'ip')),
    }),
  },
  ['id', 'default'],
);
const catalog = strictOf(
  {
    version: or(fc.constantFrom(1, 2, '1')),
    purpose: or(fc.constantFrom('personalization.profile', 'Bad')),
    slots: or(fc.array(slot, { maxLength: 3 })),
  },
  ['slots'],
);

/** Catalogs the schema accepts (most of them), to prove outputs agree and not only rejections. */
const good = (() => {
  const gid = fc.constantFrom('home.hero', 'a', 'promo:1');
  const gcontent = fc.oneof(fc.constantFrom('hi', { title: 'x' }, null), fc.jsonValue({ maxDepth: 1 }));
  const glocales = fc.dictionary(fc.constantFrom('vi', 'en-US'), gcontent, { maxKeys: 2 });
  const gvariant = fc.record(
    {
      id: gid,
      when: fc.dictionary(fc.constantFrom('segments', 'locale'), fc.jsonValue({ maxDepth: 1 }), {
        maxKeys: 2,
      }),
      priority: fc.integer({ min: -1000, max: 1000 }),
      weight: fc.double({ min: 0.001, max: 1_000_000, noNaN: true }),
      schedule: fc.record({ start: instant, end: instant }, { requiredKeys: [] }),
      content: gcontent,
      locales: glocales,
      topics: fc.array(fc.constantFrom('kids', 'shoes'), { maxLength: 3 }),
      purpose: fc.constant('personalization.profile'),
      reason: fc.record({ en: fc.constant('Because'), vi: fc.constant('Vì') }, { requiredKeys: ['en'] }),
    },
    { requiredKeys: ['id', 'content'] },
  );
  const gslot = fc.record(
    {
      id: gid,
      description: fc.constant('d'),
      format: fc.constantFrom('text', 'html', 'url'),
      default: fc.record({ content: gcontent, locales: glocales }, { requiredKeys: ['content'] }),
      variants: fc.array(gvariant, { maxLength: 3 }),
      experiment: fc.record(
        { id: gid, version: fc.integer({ min: 1, max: 9 }), bucketBy: fc.constantFrom('session', 'subject') },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['id', 'default'] },
  );
  return fc.record(
    {
      version: fc.constant(1),
      purpose: fc.constant('measurement'),
      slots: fc.array(gslot, { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: ['slots'] },
  );
})();

describe('catalog shape check', () => {
  it('accepts and rejects exactly what CatalogSchema does, with the same value and first field', () => {
    fc.assert(
      fc.property(fc.oneof(good, catalog), (input) => expectSameAsSchema(checkCatalog, CatalogSchema, input)),
      { numRuns: 4000 },
    );
  });

  it('throws INVALID_CONFIG naming the field and how to fix it', () => {
    expect(() => defineCatalog({ slots: [{ id: 'home.hero' }] } as never)).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        path: ['slots', 0, 'default'],
        message: expect.stringContaining('every slot needs a default'),
      }),
    );
  });
});
