import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, hash32 } from './hash.js';

/** The hash as it was written out in full here before it shared core's FNV-1a. */
function hash32Copy(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

describe('hash32: stable buckets', () => {
  it('gives the same value as before on every string, so nobody is re-bucketed', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' })), (s) => {
        expect(hash32(s)).toBe(hash32Copy(s));
      }),
      { numRuns: 2000 },
    );
    expect(bucketOf('home.hero', 1, 'session-abc')).toBe(hash32Copy('home.hero:1:session-abc') / 4294967296);
  });
});
