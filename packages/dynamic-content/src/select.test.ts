import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineCatalog } from './catalog.js';
import { alternativesTo, selectInOrder, selectionOrder, selectVariant } from './select.js';

const DAYPARTS = ['morning', 'afternoon', 'evening', 'night'] as const;

/** A slot of variants with random priorities, weights, schedules, purposes, topics and conditions. */
const variant = fc.record({
  priority: fc.integer({ min: -2, max: 2 }),
  weight: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  when: fc.option(
    fc.oneof(
      fc.record({ 'context.daypart': fc.constantFrom(...DAYPARTS) }),
      fc.record({ 'interests.kids': fc.record({ $gte: fc.constantFrom(0.2, 0.5, 0.8) }) }),
      fc.record({ segments: fc.constantFrom('loyal', 'new') }),
    ),
    { nil: undefined },
  ),
  topics: fc.option(fc.constantFrom(['kids'], ['rain'], ['kids', 'rain']), { nil: undefined }),
  start: fc.option(fc.constantFrom('2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z'), { nil: undefined }),
});

describe('selectInOrder', () => {
  it('chooses the same variant and the same fallbacks as selectVariant then alternativesTo, in one walk (property)', () => {
    fc.assert(
      fc.property(
        fc.array(variant, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.record({
          daypart: fc.constantFrom(...DAYPARTS),
          kids: fc.double({ min: 0, max: 1, noNaN: true }),
          segments: fc.subarray(['loyal', 'new']),
          now: fc.constantFrom(Date.UTC(2026, 3, 1), Date.UTC(2026, 8, 1)),
          session: fc.option(fc.constantFrom('s-000000000001', 's-000000000002'), { nil: undefined }),
        }),
        fc.integer({ min: 0, max: 10 }),
        (variants, experiment, at, max) => {
          const catalog = defineCatalog({
            slots: [
              {
                id: 'home.hero',
                default: { content: 'default' },
                ...(experiment ? { experiment: { id: 'hero-test', version: 2 } } : {}),
                variants: variants.map((v, i) => ({
                  id: `v${i}`,
                  priority: v.priority,
                  ...(v.weight === undefined ? {} : { weight: v.weight }),
                  ...(v.when === undefined ? {} : { when: v.when }),
                  ...(v.topics === undefined ? {} : { topics: [...v.topics] }),
                  ...(v.start === undefined ? {} : { schedule: { start: v.start } }),
                  content: `content ${i}`,
                })),
              },
            ],
          });
          const slot = catalog.slots.get('home.hero')!;
          const context = {
            facts: { context: { daypart: at.daypart }, interests: { kids: at.kids }, segments: at.segments },
            granted: new Set(['personalization.contextual']),
            now: at.now,
            keys: at.session === undefined ? {} : { session: at.session },
          };
          const alternatives: unknown[] = [];
          const one = selectInOrder(slot, selectionOrder(slot), context, max, alternatives as never[]);
          const selection = selectVariant(slot, context);
          expect(one).toEqual(selection);
          expect(alternatives).toEqual(
            selection === undefined ? [] : alternativesTo(slot, context, selection.variant, max),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
