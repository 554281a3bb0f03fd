import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOrchestrator } from '../src/index.js';
import { consentProvider, memorySource, strategy } from './fixtures.js';

const PROFILE = 'personalization.profile';
const CAT = 'behavior.purchases';

/** Plugins that tie on everything: same priority, same score, same category from two sources. */
function plugins() {
  const strategies = ['gamma', 'alpha', 'beta'].map((name) =>
    strategy(name, {
      purposes: [PROFILE],
      reads: [{ category: CAT, purpose: PROFILE }],
      decide: (input) => ({
        proposals: input.slots.map((s) => ({
          slot: s.id,
          content: { by: name, saw: input.data[CAT] },
          score: 0.5,
          reason: { en: `by ${name}` },
        })),
      }),
    }),
  );
  const sources = ['src-b', 'src-a'].map((name) => memorySource(name, { [CAT]: [{ from: name }] }));
  const consent = ['grant-z', 'grant-y'].map((name) => consentProvider(name));
  return { strategies, sources, consent };
}

describe("a configuration's order never changes an outcome", () => {
  it('for every order of strategies, sources and consent providers, and every merge policy, the decision is the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([0, 1, 2], { minLength: 3 }),
        fc.shuffledSubarray([0, 1], { minLength: 2 }),
        fc.shuffledSubarray([0, 1], { minLength: 2 }),
        fc.constantFrom('priority' as const, 'score' as const, 'weighted' as const),
        async (so, ro, co, merge) => {
          const decide = async (order: { s: number[]; r: number[]; c: number[] }) => {
            const p = plugins();
            const tactful = createOrchestrator({
              strategies: order.s.map((i) => p.strategies[i]!),
              sources: order.r.map((i) => p.sources[i]!),
              consent: order.c.map((i) => p.consent[i]!),
              merge,
              clock: () => Date.parse('2026-01-15T10:00:00.000Z'),
            });
            return tactful.decide({
              traceId: 'trace-order',
              subject: { id: 'u1' },
              slots: [{ id: 'home.hero' }],
            });
          };
          const reordered = await decide({ s: so, r: ro, c: co });
          const base = await decide({ s: [0, 1, 2], r: [0, 1], c: [0, 1] });
          expect(reordered).toEqual(base);
          if (merge !== 'weighted') {
            // Ties go to the first strategy by name, on the first source's data by name.
            expect(reordered.slots[0]!.strategy).toBe('alpha');
            expect(reordered.slots[0]!.content).toEqual({ by: 'alpha', saw: [{ from: 'src-a' }] });
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
