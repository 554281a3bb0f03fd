import { GVL, PurposeRestriction, RestrictionType, TCModel, TCString } from '@iabtcf/core';
import type { ConsentQuery, PluginCallContext } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tcfConsent } from './tcf.js';
import { TCF_LIMITS, checkTcStringBounds } from './tcf-bounds.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const bits = (n: number, w: number) => n.toString(2).padStart(w, '0');
function b64(bitstr: string): string {
  let s = bitstr;
  while (s.length % 6) s += '0';
  let out = '';
  for (let i = 0; i < s.length; i += 6) out += ALPHABET[Number.parseInt(s.slice(i, i + 6), 2)];
  return out;
}

/** A core segment whose vendor consents are `n` ranges of `width` ids each: the decoder's worst case. */
function rangeBomb(n: number, width = 65_535): string {
  const ds = Math.floor(Date.now() / 100);
  const header =
    bits(2, 6) +
    bits(ds, 36) +
    bits(ds, 36) +
    bits(10, 12) +
    bits(1, 12) +
    bits(1, 6) +
    bits(0, 12) +
    bits(100, 12) +
    bits(4, 6) +
    '00' +
    bits(0, 12) +
    '1'.repeat(24) +
    '0'.repeat(24) +
    '0' +
    bits(0, 12);
  let vendors = bits(65_535, 16) + '1' + bits(n, 12);
  for (let i = 0; i < n; i++) vendors += `1${bits(1, 16)}${bits(width, 16)}`;
  return b64(header + vendors + bits(1, 16) + '00' + bits(0, 12));
}

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
      fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 40, maxLength: 600 }),
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
