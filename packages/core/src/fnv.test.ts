import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a32 } from './fnv.js';

/** The copies the orchestrator, dynamic-content and anonymous-session each carried before sharing this one. */
function fnvCopy(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

describe('fnv1a32', () => {
  it('gives the FNV-1a 32-bit reference values', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('equals the copies it replaces on every string (UTF-16 code units, lone surrogates included)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })),
        (s) => {
          expect(fnv1a32(s)).toBe(fnvCopy(s));
        },
      ),
      { numRuns: 2000 },
    );
    for (let c = 0; c < 0x10000; c += 97)
      expect(fnv1a32(String.fromCharCode(c, c))).toBe(fnvCopy(String.fromCharCode(c, c)));
  });
});
