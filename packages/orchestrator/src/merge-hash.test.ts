import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash32, seededRandom } from './merge.js';

/** The hash and seeded draw as merge.ts wrote them out before it shared core's FNV-1a. */
function hash32Copy(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
function seededRandomCopy(seed: string, slot: string): number {
  let t = (hash32Copy(`${seed}\u0000${slot}`) + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

describe('merge: the seeded choice does not move', () => {
  it('hash32 and seededRandom give the same values as before on every seed and slot', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), (seed, slot) => {
        expect(hash32(seed)).toBe(hash32Copy(seed));
        expect(seededRandom(seed, slot)).toBe(seededRandomCopy(seed, slot));
      }),
      { numRuns: 2000 },
    );
  });
});
