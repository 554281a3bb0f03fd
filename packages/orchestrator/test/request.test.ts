import { DecisionRequestSchema, decisionRequest, isTactfulError } from '@tactful/core';
import { expectSameAsSchema } from '@tactful/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOrchestrator, fastParseRequest, parseRequest } from '../src/index.js';
import { consentProvider, strategy } from './fixtures.js';

/** Values that are wrong in interesting ways. */
const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 60),
  fc.string({ maxLength: 8 }),
  fc.constant([]),
  fc.constant({}),
);
/** Mostly a valid value, now and then junk: about a third of generated requests are valid. */
const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 40, arbitrary: arb }, { weight: 1, arbitrary: junk });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(maybe(arb), { nil: undefined, freq: 3 });
const chars = (set: string) => fc.constantFrom(...set.split(''));
const ALNUM = 'abcxyzABCXYZ0189';
/** Strings over `set`, now and then with a character outside it. */
const idString = (set: string, min: number, max: number) =>
  fc.oneof(
    { weight: 30, arbitrary: fc.string({ unit: chars(set), minLength: min, maxLength: max }) },
    {
      weight: 1,
      arbitrary: fc.string({ unit: chars(`${set} /é`), minLength: Math.max(0, min - 1), maxLength: max + 1 }),
    },
  );
const datetime = fc.oneof(
  {
    weight: 20,
    arbitrary: fc
      .date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString()),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '2026-01-15T10:00:00+07:00',
      '2026-02-29T10:00:00Z',
      '2024-02-29T00:00:00Z',
      '2026-01-15',
      '2026-01-15T25:00:00Z',
      '2026-01-15T10:00:00.123456Z',
    ),
  },
);
/** Strings usually short, sometimes right at (or just past) `max`. */
const text = (max: number) =>
  fc.oneof(
    { weight: 20, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ minLength: max, maxLength: max + 1 }) },
  );
const record = (value: fc.Arbitrary<unknown>, keyMax: number) =>
  fc.oneof(
    {
      weight: 20,
      arbitrary: fc.dictionary(
        fc.oneof(
          { weight: 10, arbitrary: fc.string({ maxLength: 6 }) },
          fc.constant('__proto__'),
          text(keyMax),
        ),
        value,
        { maxKeys: 4 },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constant(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i]))),
    },
  );

const context = fc.record(
  {
    now: optional(datetime),
    timeZone: optional(text(64)),
    userAgent: optional(fc.string({ maxLength: 40 })),
    clientHints: optional(record(maybe(fc.string({ maxLength: 5 })), 64)),
    acceptLanguage: optional(text(512)),
    locale: optional(text(35)),
    geo: optional(
      fc.record(
        {
          country: optional(
            fc.oneof({ weight: 10, arbitrary: fc.constantFrom('VN', 'US') }, fc.constantFrom('vn', 'VNM')),
          ),
          region: optional(text(2048)),
          city: optional(fc.string()),
        },
        { requiredKeys: [] },
      ),
    ),
    preciseLocation: optional(
      fc.record(
        {
          latitude: maybe(fc.double({ min: -90.5, max: 90.5, noNaN: true })),
          longitude: maybe(fc.double({ min: -180.5, max: 180.5, noNaN: true })),
          accuracyMeters: optional(fc.double({ min: -1, max: 50, noNaN: true })),
        },
        { requiredKeys: ['latitude', 'longitude'] },
      ),
    ),
    url: optional(fc.webUrl()),
    referrer: optional(fc.string({ maxLength: 10 })),
    gpc: optional(fc.boolean()),
    dnt: optional(fc.boolean()),
    tcString: optional(fc.string({ maxLength: 10 })),
    attributes: optional(
      record(
        maybe(fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null))),
        128,
      ),
    ),
    extra: optional(fc.string()),
  },
  { requiredKeys: [] },
);
const event = fc.record(
  {
    type: maybe(
      fc.oneof(
        {
          weight: 20,
          arbitrary: fc.constantFrom(
            'page_view',
            'product_view',
            'category_view',
            'search',
            'add_to_cart',
            'dwell',
          ),
        },
        fc.constant('click'),
      ),
    ),
    at: maybe(datetime),
    target: optional(fc.string({ maxLength: 10 })),
    topics: optional(fc.array(maybe(text(64)), { maxLength: 21 })),
    durationMs: optional(
      fc.oneof({ weight: 10, arbitrary: fc.integer({ min: -1, max: 86_400_001 }) }, fc.double()),
    ),
  },
  { requiredKeys: ['type', 'at'] },
);
const requestArb = fc.record(
  {
    subject: optional(fc.record({ id: maybe(idString(`${ALNUM}._:@-`, 1, 20)) }, { requiredKeys: ['id'] })),
    context: optional(context),
    session: optional(
      fc.record(
        { id: maybe(idString(`${ALNUM}_-`, 16, 24)), events: optional(fc.array(event, { maxLength: 3 })) },
        { requiredKeys: ['id'] },
      ),
    ),
    slots: maybe(
      fc.array(
        fc.record(
          { id: maybe(idString(`${ALNUM}._:-`, 1, 10)), default: optional(fc.jsonValue({ maxDepth: 2 })) },
          { requiredKeys: ['id'] },
        ),
        { minLength: 1, maxLength: 3 },
      ),
    ),
    traceId: optional(idString(`${ALNUM}_-`, 8, 16)),
    unknownKey: optional(fc.string()),
  },
  { requiredKeys: ['slots'] },
);

describe('request validation', () => {
  it('accepts and rejects exactly what DecisionRequestSchema does, and returns the same value', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.oneof({ weight: 9, arbitrary: requestArb }, { weight: 1, arbitrary: fc.jsonValue() }),
        (input) => {
          const zod = DecisionRequestSchema.safeParse(input);
          const fast = fastParseRequest(input);
          expect(fast !== undefined).toBe(zod.success);
          if (zod.success) expect(fast).toEqual(zod.data);
          if (zod.success) accepted++;
          else rejected++;
        },
      ),
      { numRuns: 3000 },
    );
    // Both sides of the boundary were exercised, not just the easy one.
    expect(accepted).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(300);
  });

  it('also agrees on requests read from JSON (own "__proto__" keys included)', () => {
    fc.assert(
      fc.property(requestArb, (input) => {
        const body = JSON.parse(JSON.stringify(input).replace('"unknownKey"', '"__proto__"'));
        expect(fastParseRequest(body) !== undefined).toBe(DecisionRequestSchema.safeParse(body).success);
      }),
      { numRuns: 1000 },
    );
  });

  it('the zod-free request check names the same first field as DecisionRequestSchema, with the same value', () => {
    fc.assert(
      fc.property(
        fc.oneof({ weight: 9, arbitrary: requestArb }, { weight: 1, arbitrary: fc.jsonValue() }),
        (input) => expectSameAsSchema(decisionRequest, DecisionRequestSchema, input),
      ),
      { numRuns: 3000 },
    );
  });

  it('names the offending field with the schema message', () => {
    try {
      parseRequest({ slots: [{ id: 'home hero' }], context: { geo: { country: 'Vietnam' } } });
      expect.unreachable();
    } catch (error) {
      expect(isTactfulError(error) && error.code).toBe('INVALID_REQUEST');
      // The first problem in the schema's field order (context comes before slots).
      expect(isTactfulError(error) && error.path).toEqual(['context', 'geo', 'country']);
      expect(String((error as Error).message)).toContain('ISO 3166-1 alpha-2');
    }
    expect(() => parseRequest({ slots: [{ id: 'home hero' }] })).toThrow(
      expect.objectContaining({
        path: ['slots', 0, 'id'],
        message: expect.stringContaining('letters, digits'),
      }),
    );
  });

  it('decide throws INVALID_REQUEST for a malformed request, and only then', async () => {
    const tactful = createOrchestrator({ consent: [consentProvider('allow')], strategies: [strategy('a')] });
    await expect(tactful.decide({ slots: [] })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      path: ['slots'],
    });
    await expect(tactful.decide(null as never)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(tactful.decide({ slots: [{ id: 'ok' }] })).resolves.toMatchObject({
      slots: [{ slot: 'ok' }],
    });
  });

  it('skips validation only when told the request is trusted', async () => {
    const tactful = createOrchestrator({ consent: [consentProvider('allow')], strategies: [strategy('a')] });
    const trusted = DecisionRequestSchema.parse({ slots: [{ id: 'ok' }] });
    const decision = await tactful.decide(trusted, { trusted: true });
    expect(decision.slots[0]?.content).toBe('a:ok');
  });
});
