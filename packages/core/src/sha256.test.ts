import { createHash, createHmac, hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  hkdfSha256,
  hmacKeySync,
  hmacSha256,
  hmacSha256Hex,
  hmacSync,
  sha256HexSync,
  subjectHash,
} from './index.js';

const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => Number.parseInt(b, 16));

describe('SHA-256, HMAC-SHA-256 and HKDF-SHA-256 (@noble/hashes)', () => {
  it('match the FIPS 180-4, RFC 4231 and RFC 5869 test vectors', () => {
    expect(sha256HexSync('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // RFC 4231 test cases 1 and 2.
    expect(hmacSha256Hex(new Uint8Array(20).fill(0x0b), 'Hi There')).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    // RFC 5869 test case 1.
    const okm = hkdfSha256(new Uint8Array(22).fill(0x0b), {
      salt: hex('000102030405060708090a0b0c'),
      info: hex('f0f1f2f3f4f5f6f7f8f9'),
      length: 42,
    });
    expect(bytesToHex(okm)).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it('agree with node:crypto for any message and any key length (prepared keys too)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.uint8Array({ maxLength: 150 }),
        (text, key) => {
          expect(sha256HexSync(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
          const want = createHmac('sha256', key).update(text, 'utf8').digest('hex');
          expect(hmacSha256Hex(key, text)).toBe(want);
          expect(bytesToHex(hmacSync(hmacKeySync(key), text))).toBe(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a prepared key gives the same MAC however many messages it signs', () => {
    const key = hmacKeySync(new TextEncoder().encode('k'));
    const first = bytesToHex(hmacSync(key, 'one'));
    hmacSync(key, 'two');
    expect(bytesToHex(hmacSync(key, 'one'))).toBe(first);
  });

  it('derives the same keys as node:crypto hkdfSync, and unrelated keys for different info', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.string({ maxLength: 40 }),
        fc.integer({ min: 1, max: 96 }),
        (secret, info, length) => {
          const want = Buffer.from(hkdfSync('sha256', secret, new Uint8Array(0), info, length)).toString(
            'hex',
          );
          expect(bytesToHex(hkdfSha256(secret, { info, length }))).toBe(want);
        },
      ),
      { numRuns: 100 },
    );
    expect(bytesToHex(hkdfSha256('secret', { info: 'a' }))).not.toBe(
      bytesToHex(hkdfSha256('secret', { info: 'b' })),
    );
  });

  it('subjectHash is HMAC-SHA-256 of the id (the digest every store keeps in tombstones)', async () => {
    expect(await subjectHash('key', 'u-1')).toBe(createHmac('sha256', 'key').update('u-1').digest('hex'));
    expect(bytesToHex(hmacSha256('key', 'u-1'))).toBe(await subjectHash('key', 'u-1'));
  });
});
