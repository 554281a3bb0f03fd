import { fnv1a32 } from '@tactful/core';

/**
 * FNV-1a (32-bit) over the UTF-16 code units of `text`, finished with murmur3's `fmix32` avalanche so
 * that keys differing in one character land far apart. Fast, non-cryptographic, identical in every
 * runtime (Node, browsers, edge), and stable across versions: changing it would re-bucket everyone,
 * so it never changes.
 *
 * @example
 * ```ts
 * hash32('hero:1:session-abc'); // 32-bit unsigned integer
 * ```
 */
export function hash32(text: string): number {
  let h = fnv1a32(text);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The bucket of `key` in experiment `experiment` at bucket version `version`: a number in [0, 1),
 * a pure function of `experiment:version:key`. The same key stays in the same bucket until the
 * version changes (explicit re-bucketing).
 *
 * @example
 * ```ts
 * bucketOf('home.hero', 1, 'Rk3v...'); // e.g. 0.4172
 * ```
 */
export function bucketOf(experiment: string, version: number, key: string): number {
  return hash32(`${experiment}:${version}:${key}`) / 4294967296;
}

/**
 * Picks an index by weight from a bucket in [0, 1): index `i` owns the share
 * `weights[i] / sum(weights)` of the unit interval, in order. Returns -1 for an empty list or
 * non-positive total.
 */
export function pickByWeight(weights: ReadonlyArray<number>, bucket: number): number {
  let total = 0;
  for (const w of weights) total += Math.max(w, 0);
  if (!(total > 0)) return -1;
  const target = bucket * total;
  let acc = 0;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] ?? 0;
    if (!(w > 0)) continue;
    acc += w;
    last = i;
    if (target < acc) return i;
  }
  return last;
}
