import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConsentRecord,
  assertSafeObject,
  buildConsentRecord,
  canonicalConsentRecord,
  defaultTaxonomy,
  hashConsentRecord,
  parseConsentRecordInput,
  sha256Hex,
  verifyConsentChain,
} from '@tactful/core';
import { thrown } from '../test/thrown.js';

const NOW = Date.parse('2026-03-01T08:00:00.000Z');
const grant = {
  subject: 'u-1',
  purpose: 'measurement',
  status: 'granted',
  method: 'banner',
  notice: { version: '1', hash: 'sha256-abcdef12' },
};

async function chain(n: number): Promise<ConsentRecord[]> {
  const out: ConsentRecord[] = [];
  for (let i = 0; i < n; i++) {
    const input = parseConsentRecordInput({ ...grant, reason: `act ${i}` }, { now: NOW });
    const unhashed = buildConsentRecord(input, {
      id: `cr_${i}`,
      seq: i + 1,
      recordedAt: NOW + i,
      previous: out.at(-1),
    });
    out.push({ ...unhashed, hash: await hashConsentRecord(unhashed) });
  }
  return out;
}

describe('consent records', () => {
  it('hashes with SHA-256 (known vector)', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('serialises canonically: key order never changes the hash', async () => {
    const [r] = await chain(1);
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(Object.keys(r!), { minLength: Object.keys(r!).length }),
        async (keys) => {
          const shuffled = Object.fromEntries(
            keys.map((k) => [k, (r as unknown as Record<string, unknown>)[k]]),
          ) as unknown as ConsentRecord;
          expect(canonicalConsentRecord(shuffled)).toBe(canonicalConsentRecord(r!));
          expect(await hashConsentRecord(shuffled)).toBe(r!.hash);
        },
      ),
      { numRuns: 30 },
    );
    expect(JSON.parse(canonicalConsentRecord(r!))).not.toHaveProperty('hash');
  });

  it('verifies a chain and finds a removed, reordered or edited record', async () => {
    const records = await chain(4);
    expect(await verifyConsentChain(records)).toEqual({ ok: true, records: 4 });
    expect(await verifyConsentChain([records[0]!, records[2]!, records[3]!])).toMatchObject({
      ok: false,
      index: 1,
    });
    expect(await verifyConsentChain([records[1]!, records[0]!])).toMatchObject({ ok: false, index: 0 });
    const edited = records.map((r, i) => (i === 2 ? { ...r, purpose: 'marketing.email' } : r));
    expect(await verifyConsentChain(edited)).toMatchObject({
      ok: false,
      index: 2,
      problem: expect.stringContaining('altered'),
    });
    expect(await verifyConsentChain([])).toEqual({ ok: true, records: 0 });
  });

  it('checks purposes against a taxonomy when given one', () => {
    expect(
      thrown(() =>
        parseConsentRecordInput({ ...grant, purpose: 'vendor.x' }, { now: NOW, taxonomy: defaultTaxonomy }),
      ).code,
    ).toBe('UNKNOWN_PURPOSE');
    expect(parseConsentRecordInput({ ...grant, purpose: 'vendor.x' }, { now: NOW }).purpose).toBe('vendor.x');
  });

  it('refuses an expiry on a refusal and defaults the actor to self', () => {
    const e = thrown(() =>
      parseConsentRecordInput(
        { ...grant, status: 'denied', expiresAt: '2027-01-01T00:00:00Z' },
        { now: NOW },
      ),
    );
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.path).toEqual(['expiresAt']);
    expect(parseConsentRecordInput(grant, { now: NOW }).actor).toEqual({ type: 'self' });
  });

  it('rejects prototype-pollution keys, symbols, non-plain objects and deep nesting', () => {
    expect(thrown(() => assertSafeObject(JSON.parse('{"a":[{"b":{"__proto__":1}}]}'), 'x')).path).toEqual([
      'a',
      0,
      'b',
      '__proto__',
    ]);
    expect(thrown(() => assertSafeObject({ prototype: 1 }, 'x')).code).toBe('INVALID_INPUT');
    expect(thrown(() => assertSafeObject({ [Symbol('s')]: 1 }, 'x')).code).toBe('INVALID_INPUT');
    expect(thrown(() => assertSafeObject({ when: new Date() }, 'x')).path).toEqual(['when']);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(thrown(() => assertSafeObject(deep, 'x')).code).toBe('PAYLOAD_TOO_LARGE');
    expect(() => assertSafeObject({ a: [1, { b: null }], c: 'ok' }, 'x')).not.toThrow();
  });

  it('rejects input that is not JSON data', () => {
    const cyclic: Record<string, unknown> = { ...grant };
    cyclic['self'] = cyclic;
    expect(thrown(() => parseConsentRecordInput(cyclic, { now: NOW })).code).toBe('INVALID_INPUT');
    expect(thrown(() => parseConsentRecordInput(null, { now: NOW })).code).toBe('INVALID_INPUT');
  });
});
