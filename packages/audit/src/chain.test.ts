import { canonicalJson } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { payloadJson } from './chain.js';
import type { AuditPayload } from './types.js';

const text = fc.string({ maxLength: 40 });
const payload: fc.Arbitrary<AuditPayload> = fc.record({
  traceId: text,
  decidedAt: text,
  subject: fc.option(text, { nil: null }),
  consent: fc.array(
    fc.record(
      { purpose: text, provider: text, recordId: text, noticeVersion: text },
      { requiredKeys: ['purpose', 'provider'] },
    ),
    { maxLength: 4 },
  ),
  purposes: fc.array(text, { maxLength: 5 }),
  categories: fc.array(text, { maxLength: 8 }),
  dropped: fc.array(
    fc.record({
      plugin: text,
      kind: fc.constantFrom('strategy' as const, 'source' as const, 'consent' as const),
      outcome: fc.constantFrom('skipped' as const, 'failed' as const),
      code: text,
    }),
    { maxLength: 3 },
  ),
  slots: fc.array(
    fc.record(
      { slot: text, strategy: text, variant: text, isDefault: fc.boolean() },
      { requiredKeys: ['slot', 'strategy', 'isDefault'] },
    ),
    { maxLength: 4 },
  ),
  salt: text,
});

describe('payloadJson', () => {
  it('is exactly canonicalJson for any payload the trail writes, whatever the order of its members', () => {
    fc.assert(
      fc.property(payload, (p) => {
        const reversed = Object.fromEntries(Object.entries(p).reverse()) as unknown as AuditPayload;
        expect(payloadJson(p)).toBe(canonicalJson(p));
        expect(payloadJson(reversed)).toBe(canonicalJson(p));
      }),
      { numRuns: 500 },
    );
  });

  it('falls back to canonicalJson for a payload of another shape (an extra member, a number, an object)', () => {
    fc.assert(
      fc.property(payload, fc.string({ minLength: 1, maxLength: 8 }), fc.anything(), (p, key, odd) => {
        const extra = { ...p, [key]: odd } as unknown as AuditPayload;
        expect(payloadJson(extra)).toBe(canonicalJson(extra));
        const oddSlot = {
          ...p,
          slots: [{ slot: odd, strategy: 's', isDefault: true }],
        } as unknown as AuditPayload;
        expect(payloadJson(oddSlot)).toBe(canonicalJson(oddSlot));
      }),
      { numRuns: 300 },
    );
  });
});
