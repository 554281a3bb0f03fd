import { expectSameAsSchema } from '@tactful/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOrchestrator } from '../src/index.js';
import { checkOrchestratorOptions } from '../src/options-check.js';
import { OrchestratorOptionsSchema } from '../src/options-schema.js';
import { consentProvider, memorySource, strategy } from './fixtures.js';

const other = fc.oneof(
  fc.anything({ maxDepth: 1 }),
  fc.constantFrom(null, [], {}, 'x', 1, true, () => 1),
);
const or = <T>(a: fc.Arbitrary<T>, bad: boolean) => (bad ? fc.oneof({ weight: 6, arbitrary: a }, other) : a);
const consent = consentProvider('allow');
const source = memorySource('crm', { profile: { tier: 'gold' } });
const strat = strategy('a');

function options(bad: boolean) {
  const plugin = (p: unknown) =>
    or(fc.constantFrom(p, ...(bad ? [strat, source, consent, { manifest: {} }] : [])), bad);
  const int = (min: number, max: number) =>
    or(
      bad
        ? fc.oneof(fc.integer({ min: min - 1, max: max + 1 }), fc.constantFrom(0.5, Number.NaN))
        : fc.integer({ min, max }),
      bad,
    );
  class Hook {
    afterDecision() {}
  }
  return fc.record(
    {
      consent: or(fc.array(plugin(consent), { maxLength: 2 }), bad),
      sources: or(fc.array(plugin(source), { maxLength: 2 }), bad),
      strategies: or(fc.array(plugin(strat), { minLength: bad ? 0 : 1, maxLength: 2 }), bad),
      merge: or(
        fc.constantFrom('priority', 'score', 'weighted', () => undefined, ...(bad ? ['first'] : [])),
        bad,
      ),
      taxonomy: or(
        fc.record(
          {
            purposes: or(fc.array(fc.anything(), { maxLength: 2 }), bad),
            categories: or(fc.constant([]), bad),
          },
          { requiredKeys: [] },
        ),
        bad,
      ),
      timeouts: or(
        fc.record(
          {
            consentMs: int(1, 60_000),
            sourceMs: int(1, 60_000),
            strategyMs: int(1, 60_000),
            decisionMs: int(1, 60_000),
          },
          { requiredKeys: [] },
        ),
        bad,
      ),
      allowSourcesWithoutErasure: or(fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }), bad),
      limits: or(
        fc.record(
          { maxOutputBytes: int(1, 10_000), maxProposals: int(1, 10), maxDepth: int(1, 256) },
          { requiredKeys: [] },
        ),
        bad,
      ),
      hooks: or(
        fc.array(fc.constantFrom({ afterDecision() {} }, { beforeDecision: () => {}, x: 1 }, new Hook()), {
          maxLength: 2,
        }),
        bad,
      ),
      consentChangeMemory: int(0, 1_000_000),
      onListenerError: or(
        fc.constant(() => {}),
        bad,
      ),
      coreVersion: or(fc.constantFrom('0.1.0', '9.9.9'), bad),
      clock: or(
        fc.constant(() => 0),
        bad,
      ),
      ...(bad ? { extra: other } : {}),
    },
    { requiredKeys: ['consent', 'strategies'] },
  );
}

describe('createOrchestrator options check', () => {
  it('accepts and rejects exactly what OrchestratorOptionsSchema does, with the same options and first field', () => {
    fc.assert(
      fc.property(
        fc.oneof({ weight: 3, arbitrary: options(false) }, { weight: 6, arbitrary: options(true) }, other),
        (input) => expectSameAsSchema(checkOrchestratorOptions, OrchestratorOptionsSchema, input),
      ),
      { numRuns: 3000 },
    );
  });

  it('throws INVALID_OPTIONS naming the field and how to fix it', () => {
    expect(() => createOrchestrator({ consent: [consent], strategies: [] })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        path: ['strategies'],
        message: expect.stringContaining('register at least one strategy'),
      }),
    );
    expect(() =>
      createOrchestrator({ consent: [consent], strategies: [strat], merge: 'first' as never }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', path: ['merge'] }));
  });
});
