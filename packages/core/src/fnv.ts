/**
 * FNV-1a (32-bit) over the UTF-16 code units of `text`, as an unsigned integer. Fast,
 * non-cryptographic and identical in every runtime; stable bucketing and seeded choices are built
 * on it, so its output never changes (`fnv.test.ts` pins it to the reference vectors).
 *
 * @example
 * ```ts
 * fnv1a32('foobar'); // 0xbf9cf968
 * ```
 */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
