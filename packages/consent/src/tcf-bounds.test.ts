import { GVL, PurposeRestriction, RestrictionType, TCModel, TCString } from '@iabtcf/core';
import type { ConsentQuery, PluginCallContext } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tcfConsent } from './tcf-consent.js';
import { TC_ALPHABET, rangeTcString } from '../test/fixtures/tc-strings.mjs';
import { TCF_LIMITS, checkTcStringBounds } from './tcf-bounds.js';

/** A core segment whose vendor consents are `n` ranges of `width` ids each: the decoder's worst case. */
const rangeBomb = (n: number, width = 65_535) => rangeTcString(n, width);

function gvl(maxId: number) {
  const purposes: Record<number, object> = {};
  for (let i = 1; i <= 11; i++) purposes[i] = { id: i, name: `P${i}`, description: '', illustrations: [] };
  const vendors: Record<number, object> = {};
  for (let id = 1; id <= maxId; id += 1)
    vendors[id] = {
      id,
      name: `V${id}`,
      purposes: [1],
      legIntPurposes: [2],
      flexiblePurposes: [],
      specialPurposes: [],
      features: [],
      specialFeatures: [],
      policyUrl: 'https://v.test',
    };
  return new GVL({
    gvlSpecificationVersion: 3,
    vendorListVersion: 42,
    tcfPolicyVersion: 4,
    lastUpdated: '2026-01-01T00:00:00Z',
    purposes,
    specialPurposes: {},
    features: {},
    specialFeatures: { 1: { id: 1, name: 'Geo', description: '' } },
    vendors,
    stacks: {},
    dataCategories: {},
  } as never);
}
const LIST = gvl(1500);
const ctx: PluginCallContext = { signal: new AbortController().signal, traceId: 'trace-tcf' };
const query = (tcString: string): ConsentQuery => ({
  context: { tcString },
  purposes: ['personalization.profile'],
  now: Date.now(),
});

describe('TC string bounds, before decoding', () => {
  it('refuses the range-encoded strings that took the decoder half a second per 500 characters', async () => {
    const bomb = rangeBomb(80);
    expect(bomb.length).toBeLessThan(500);
    expect(checkTcStringBounds(bomb)).toBe('too-costly');
    const state = await tcfConsent().resolve(query(bomb), ctx);
    expect(state.purposes['personalization.profile']).toMatchObject({
      status: 'denied',
      reason: 'tcf-invalid',
    });
  });

  it('refuses strings longer than a cookie can carry, and characters outside base64url', () => {
    expect(checkTcStringBounds('C'.repeat(TCF_LIMITS.maxLength + 1))).toBe('too-long');
    expect(checkTcStringBounds('CPz+abc')).toBe('malformed');
    expect(checkTcStringBounds('a.b.c.d.e')).toBe('malformed');
  });

  it('accepts every real string an encoder makes for up to 1,500 vendors (no false refusals)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 1500 }), { maxLength: 1500 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 1500 }), { maxLength: 300 }),
        fc.boolean(),
        (consents, interests, restrict) => {
          const model = new TCModel(LIST);
          model.cmpId = 10;
          model.cmpVersion = 1;
          model.purposeConsents.set([1, 2, 3]);
          model.vendorConsents.set(consents);
          model.vendorLegitimateInterests.set(interests);
          if (restrict && consents.length > 0) {
            model.publisherRestrictions.add(
              consents[0]!,
              new PurposeRestriction(1, RestrictionType.NOT_ALLOWED),
            );
          }
          const tc = TCString.encode(model);
          expect(checkTcStringBounds(tc)).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('for every string it accepts, the decoder expands at most maxRangeIds vendor ids', () => {
    const anyString = fc.oneof(
      fc.string({ unit: fc.constantFrom(...TC_ALPHABET), minLength: 40, maxLength: 600 }),
      fc
        .integer({ min: 0, max: 4095 })
        .chain((n) => fc.integer({ min: 1, max: 65_535 }).map((w) => rangeBomb(Math.min(n, 700), w))),
    );
    fc.assert(
      fc.property(anyString, (s) => {
        if (checkTcStringBounds(s) !== undefined) return;
        let tc: TCModel;
        try {
          tc = TCString.decode(s);
        } catch {
          return;
        }
        expect(tc.vendorConsents.size + tc.vendorLegitimateInterests.size).toBeLessThanOrEqual(
          TCF_LIMITS.maxRangeIds,
        );
      }),
      { numRuns: 300 },
    );
  });
});
