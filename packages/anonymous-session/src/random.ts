/** A source of random numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * A seeded pseudo-random source (mulberry32): the same seed gives the same sequence in every
 * runtime. For tests and for noise that must stay stable within a session; not for secrets.
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random(); // 0.6011037519201636, always
 * ```
 */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random numbers from the Web Crypto API (`crypto.getRandomValues`), available in Node 20, browsers and edge runtimes. */
export function cryptoRandom(): number {
  const buffer = new Uint32Array(1);
  globalThis.crypto.getRandomValues(buffer);
  return buffer[0]! / 4294967296;
}

/** FNV-1a (32-bit) of a string, for deriving seeds (core's, shared with the engine). */
export { fnv1a32 as fnv1a } from '@tactful/core';
