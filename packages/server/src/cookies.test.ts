import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cookieSigner, isLocalHost, newSubjectId } from './cookies.js';

const signer = cookieSigner('s'.repeat(16) + 'ecret-of-32-characters!!');
const value = fc.stringMatching(/^[A-Za-z0-9._:@-]{1,128}$/);

describe('cookie signing', () => {
  it('gives back every value it signed', () => {
    fc.assert(fc.property(value, (v) => signer.verify(signer.sign(v)) === v));
  });

  it('refuses every altered signed value', () => {
    fc.assert(
      fc.property(value, fc.nat(), fc.integer({ min: 1, max: 127 }), (v, at, delta) => {
        const signed = signer.sign(v);
        const i = at % signed.length;
        const altered =
          signed.slice(0, i) +
          String.fromCharCode((signed.charCodeAt(i) + delta) % 128) +
          signed.slice(i + 1);
        return altered !== signed && signer.verify(altered) === undefined;
      }),
    );
  });

  it('refuses values signed with another secret, and unsigned ones', () => {
    const other = cookieSigner('another-secret-of-at-least-32-characters');
    fc.assert(
      fc.property(value, (v) => other.verify(signer.sign(v)) === undefined && signer.verify(v) === undefined),
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
