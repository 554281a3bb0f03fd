import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from './crypto.js';
import { hmacKeySync, hmacSync, sha256Sync } from './sha256.js';

describe('sha256Sync and hmacSync', () => {
  it('match the FIPS 180-4 and RFC 4231 test vectors', () => {
    expect(toHex(sha256Sync(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256Sync('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256Sync('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    // RFC 4231 test case 2.
    expect(
      toHex(hmacSync(hmacKeySync(new TextEncoder().encode('Jefe')), 'what do ya want for nothing?')),
    ).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('agree with node:crypto for any text (every padding length) and any key length', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.uint8Array({ maxLength: 150 }),
        (text, key) => {
          expect(toHex(sha256Sync(text))).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
          expect(toHex(hmacSync(hmacKeySync(key), text))).toBe(
            createHmac('sha256', key).update(text, 'utf8').digest('hex'),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('hashes every length around the block boundaries the same as node:crypto', () => {
    for (let n = 0; n < 200; n++) {
      const text = 'x'.repeat(n);
      expect(toHex(sha256Sync(text))).toBe(createHash('sha256').update(text).digest('hex'));
    }
  });
});
