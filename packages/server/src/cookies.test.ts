import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COOKIE_LIFETIMES, cookieSigner, isLocalHost, newSubjectId } from './cookies.js';

const signer = cookieSigner('s'.repeat(16) + 'ecret-of-32-characters!!');
const value = fc.stringMatching(/^[A-Za-z0-9._:@-]{1,128}$/);
const kind = fc.constantFrom('id' as const, 'session' as const);

describe('cookie signing', () => {
  it('gives back every value it signed', () => {
    fc.assert(fc.property(value, kind, (v, k) => signer.verify(k, signer.sign(k, v)) === v));
  });

  it('refuses every altered signed value', () => {
    fc.assert(
      fc.property(value, kind, fc.nat(), fc.integer({ min: 1, max: 127 }), (v, k, at, delta) => {
        const signed = signer.sign(k, v);
        const i = at % signed.length;
        const altered =
          signed.slice(0, i) +
          String.fromCharCode((signed.charCodeAt(i) + delta) % 128) +
          signed.slice(i + 1);
        return altered !== signed && signer.verify(k, altered) === undefined;
      }),
    );
  });

  it('refuses values signed with another secret, and unsigned ones', () => {
    const other = cookieSigner('another-secret-of-at-least-32-characters');
    fc.assert(
      fc.property(
        value,
        kind,
        (v, k) => other.verify(k, signer.sign(k, v)) === undefined && signer.verify(k, v) === undefined,
      ),
    );
  });

  it('binds each value to its kind: a session cookie is never accepted as an id cookie, nor the reverse', () => {
    fc.assert(
      fc.property(
        value,
        kind,
        (v, k) => signer.verify(k === 'id' ? 'session' : 'id', signer.sign(k, v)) === undefined,
      ),
    );
  });

  it("refuses a value past its kind's lifetime or issued in the future, cached or not", () => {
    fc.assert(
      fc.property(value, kind, fc.integer({ min: 0, max: 400 * 86_400_000 }), (v, k, age) => {
        let t = Date.parse('2026-06-01T00:00:00Z');
        const clocked = cookieSigner('s'.repeat(16) + 'ecret-of-32-characters!!', { now: () => t });
        const signed = clocked.sign(k, v);
        expect(clocked.verify(k, signed)).toBe(v); // now cached
        t += age;
        // Issue times are kept in whole seconds.
        const expected =
          age < COOKIE_LIFETIMES[k] - 1000 ? v : age >= COOKIE_LIFETIMES[k] ? undefined : 'either';
        const got = clocked.verify(k, signed);
        if (expected !== 'either') expect(got).toBe(expected);
        t -= age + 3_600_000; // a clock an hour before the issue time: issued in the future
        expect(clocked.verify(k, signed)).toBeUndefined();
      }),
    );
  });

  it('makes random pseudonymous subject ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSubjectId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^v-[0-9a-f]{32}$/);
  });

  it('tells localhost from other hosts', () => {
    expect(['localhost:3000', '127.0.0.1', '[::1]:8080', 'shop.localhost'].every(isLocalHost)).toBe(true);
    expect(['shop.example', '10.0.0.1', 'localhost.evil.example'].some(isLocalHost)).toBe(false);
  });
});
