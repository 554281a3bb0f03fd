import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuditTrail } from './audit-trail.js';
import { hashing, toHex } from './crypto.js';
import { memoryAuditStore } from './memory-store.js';
import { hmacKeySync, hmacSync, sha256Sync } from '@tactful/core';
import { sampleDecision, TEST_KEY } from './test-helpers.js';

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

describe('hashing(native)', () => {
  const native = (data: Uint8Array) => createHash('sha256').update(data).digest();

  it('gives the same SHA-256 and HMAC as the built-in JavaScript hashing, for any key length', () => {
    const js = hashing();
    const fast = hashing(native);
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.uint8Array({ maxLength: 150 }), (text, key) => {
        expect(fast.sha256Hex(text)).toBe(js.sha256Hex(text));
        expect(toHex(fast.hmacKey(key).mac(text))).toBe(toHex(js.hmacKey(key).mac(text)));
        expect(toHex(fast.hmacKey(key).mac(text))).toBe(
          createHmac('sha256', key).update(text, 'utf8').digest('hex'),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('writes a trail the built-in hashing verifies, and the other way round', async () => {
    const store = memoryAuditStore();
    const withNative = createAuditTrail({ store, key: TEST_KEY, sha256: native });
    const plain = createAuditTrail({ store, key: TEST_KEY });
    await withNative.record(sampleDecision(1), { subject: 'alice' });
    await plain.record(sampleDecision(2), { subject: 'alice' });
    await withNative.record(sampleDecision(3));
    expect(await plain.verify()).toMatchObject({ ok: true, checked: 3 });
    expect(await withNative.verify()).toMatchObject({ ok: true, checked: 3 });
    expect(await withNative.pseudonym('alice')).toBe(await plain.pseudonym('alice'));
  });

  it('refuses a sha256 option that is not a function with INVALID_OPTIONS', () => {
    expect(() =>
      createAuditTrail({ store: memoryAuditStore(), key: TEST_KEY, sha256: 'sha256' as never }),
    ).toThrow(/sha256/);
  });
});
