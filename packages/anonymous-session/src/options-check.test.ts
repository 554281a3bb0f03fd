import { SESSION_EVENT_TYPES } from '@tactful/core';
import { expectSameAsSchema } from '@tactful/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAnonymousSessionOptions } from './options-check.js';
import { AnonymousSessionOptionsSchema } from './options.js';
import { anonymousSession } from './strategy.js';

/** Numbers around every bound the schema sets, and values of other types. */
const number = fc.oneof(
  fc.constantFrom(0, 1, 0.5, -1, 2, 3, 50, 51, 100, 101, 200, 1000, 1001, 10_000, 10_001, 60_000, 60_001),
  fc.constantFrom(3_600_000, 3_600_001, 7 * 86_400_000, 7 * 86_400_000 + 1, -1000, -1001, 0.05, Number.NaN),
  fc.constantFrom(Number.POSITIVE_INFINITY, 2 ** 53, 1.5),
  fc.double(),
  fc.integer({ min: -2000, max: 2000 }),
);
const topic = fc.oneof(fc.constantFrom('', 'shoes', 'x'.repeat(64), 'x'.repeat(65)), fc.string());
const slot = fc.oneof(fc.constantFrom('home.categories', '', 'bad slot', 'x'.repeat(129)), fc.string());
const other = fc.oneof(
  fc.anything(),
  fc.constantFrom(null, [], {}, 'x', true, () => 0.5),
);
const strictOf = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record(shape, { requiredKeys: [] }) },
    fc.record({ ...shape, extra: other }, { requiredKeys: [] }),
    other,
  );
const or = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: a }, other);

const options = fc.record(
  {
    name: or(fc.constantFrom('@tactful/anonymous-session', 'Bad', '', '@v/x')),
    signals: or(
      fc.dictionary(
        fc.oneof(fc.constantFrom(...SESSION_EVENT_TYPES), fc.constantFrom('click', '__proto__')),
        or(number),
      ),
    ),
    dwellUnitMs: or(number),
    halfLifeMs: or(number),
    caps: strictOf({ perEvent: or(number), perTarget: or(number), perTopic: or(number), topics: or(number) }),
    minScore: or(number),
    noise: strictOf({
      probability: or(number),
      topics: or(fc.array(topic, { maxLength: 4 })),
      random: fc.constantFrom(undefined, () => 0.5, 'random'),
    }),
    slots: strictOf({ categories: or(slot), continue: or(slot) }),
    categories: or(fc.oneof(fc.array(topic, { maxLength: 3 }), fc.constant(Array(201).fill('t')))),
    continueLimit: or(number),
    priority: or(number),
    timeoutMs: or(number),
    extra: other,
  },
  { requiredKeys: [] },
);

/** Options the schema accepts, so outputs (defaults applied) are compared too. */
const good = fc.record(
  {
    name: fc.constantFrom('@tactful/anonymous-session', '@v/x'),
    signals: fc.dictionary(
      fc.constantFrom(...SESSION_EVENT_TYPES),
      fc.double({ min: 0, max: 100, noNaN: true }),
    ),
    dwellUnitMs: fc.integer({ min: 1, max: 3_600_000 }),
    halfLifeMs: fc.integer({ min: 1, max: 7 * 86_400_000 }),
    caps: fc.record(
      {
        perEvent: fc.double({ min: 0.001, max: 1000, noNaN: true }),
        perTarget: fc.integer({ min: 1, max: 1000 }),
        perTopic: fc.constantFrom(1, 5, 10_000),
        topics: fc.integer({ min: 1, max: 100 }),
      },
      { requiredKeys: [] },
    ),
    minScore: fc.double({ min: 0, max: 1, noNaN: true }),
    noise: fc.record(
      {
        probability: fc.double({ min: 0, max: 1, noNaN: true }),
        topics: fc.array(fc.constantFrom('a', 'b', 'shoes'), { minLength: 2, maxLength: 4 }),
        random: fc.constantFrom(undefined, () => 0.5),
      },
      { requiredKeys: ['probability', 'topics'] },
    ),
    slots: fc.record(
      { categories: fc.constant('home.categories'), continue: fc.constant('home.continue') },
      { requiredKeys: [] },
    ),
    categories: fc.array(fc.constantFrom('a', 'b'), { maxLength: 3 }),
    continueLimit: fc.integer({ min: 1, max: 50 }),
    priority: fc.integer({ min: -1000, max: 1000 }),
    timeoutMs: fc.integer({ min: 1, max: 60_000 }),
  },
  { requiredKeys: [] },
);

describe('anonymousSession options check', () => {
  it('accepts and rejects exactly what AnonymousSessionOptionsSchema does, naming the same first field', () => {
    fc.assert(
      fc.property(
        fc.oneof({ weight: 3, arbitrary: good }, { weight: 6, arbitrary: options }, other),
        (input) => expectSameAsSchema(checkAnonymousSessionOptions, AnonymousSessionOptionsSchema, input),
      ),
      { numRuns: 3000 },
    );
  });

  it('throws INVALID_OPTIONS naming the field and how to fix it', () => {
    expect(() => anonymousSession({ noise: { probability: 0.1, topics: ['a'] } })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        path: ['noise', 'topics'],
        message: expect.stringContaining('give at least two topics'),
      }),
    );
    expect(() => anonymousSession({ slots: { categories: 'bad slot' } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', path: ['slots', 'categories'] }),
    );
  });
});
