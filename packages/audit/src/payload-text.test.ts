import { type ConsentState, type Decision, canonicalJson } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decisionPayload, decisionPayloadJson } from './payload-text.js';

// Any text, lone surrogates and control characters included (JSON.stringify escapes them).
const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 12 }));
const purpose = fc.oneof(
  fc.constantFrom('personalization.profile', 'personalization.contextual', 'marketing.email', 'necessary'),
  text,
);

const consentOf = (purposes: string[]): fc.Arbitrary<ConsentState> =>
  fc
    .tuple(
      ...purposes.map(() =>
        fc.record(
          {
            status: fc.constantFrom('granted', 'granted', 'denied', 'withdrawn'),
            provider: text,
            recordId: text,
            noticeVersion: text,
            reason: text,
          },
          { requiredKeys: ['status', 'provider'] },
        ),
      ),
    )
    .map((states) => ({
      purposes: Object.fromEntries(purposes.map((p, i) => [p, states[i]])),
    })) as unknown as fc.Arbitrary<ConsentState>;

const decision: fc.Arbitrary<{ decision: Decision; consent: ConsentState }> = fc
  .record({
    traceId: text,
    decidedAt: text,
    purposesUsed: fc.array(purpose, { maxLength: 5 }),
    known: fc.array(purpose, { maxLength: 4 }),
    categoriesUsed: fc.array(text, { maxLength: 8 }),
    dropped: fc.array(
      fc.record({
        plugin: text,
        kind: fc.constantFrom('strategy' as const, 'source' as const, 'consent' as const),
        outcome: fc.constantFrom('skipped' as const, 'failed' as const),
        code: text,
        reason: text,
      }),
      { maxLength: 3 },
    ),
    slots: fc.array(
      fc.record(
        { slot: text, strategy: text, variant: text, isDefault: fc.boolean(), content: fc.jsonValue() },
        { requiredKeys: ['slot', 'strategy', 'isDefault'] },
      ),
      { maxLength: 6 },
    ),
  })
  .chain((d) =>
    consentOf([...new Set([...d.purposesUsed, ...d.known])]).map((consent) => ({
      decision: { ...d, consent } as unknown as Decision,
      consent,
    })),
  );

describe('decisionPayloadJson', () => {
  it('is exactly the canonical JSON of the payload recorded, for any decision and consent', () => {
    fc.assert(
      fc.property(
        decision,
        fc.option(text, { nil: null }),
        text,
        ({ decision: d, consent }, subject, salt) => {
          const payload = decisionPayload(d, consent, subject, salt);
          const json = decisionPayloadJson(d, consent, subject, salt);
          expect(json).toBe(canonicalJson(payload));
          // What a store gives back (the text, parsed) has the same canonical form: verify() agrees.
          expect(canonicalJson(JSON.parse(json))).toBe(json);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('falls back to canonicalJson for members of another type than decide() gives', () => {
    fc.assert(
      fc.property(
        decision,
        fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string(), { maxLength: 2 })),
        fc.constantFrom('slot', 'strategy', 'variant', 'isDefault', 'plugin', 'code', 'category', 'provider'),
        ({ decision: d, consent }, odd, where) => {
          const changed = structuredClone(d) as unknown as Record<string, unknown> & Decision;
          const c = structuredClone(consent);
          if (where === 'category') (changed.categoriesUsed as unknown[]).push(odd);
          else if (where === 'plugin' || where === 'code')
            (changed.dropped as unknown[]).push({
              plugin: 'p',
              kind: 'source',
              outcome: 'failed',
              code: 'C',
              [where]: odd,
            });
          else if (where === 'provider') {
            changed.purposesUsed = [...changed.purposesUsed, 'odd.purpose'];
            (c.purposes as Record<string, unknown>)['odd.purpose'] = { status: 'granted', provider: odd };
          } else
            (changed.slots as unknown[]).push({ slot: 's', strategy: 't', isDefault: false, [where]: odd });
          expect(decisionPayloadJson(changed, c, null, 'salt')).toBe(
            canonicalJson(decisionPayload(changed, c, null, 'salt')),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
