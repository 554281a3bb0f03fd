/**
 * Bounds on an IAB TCF v2 string, checked before it is decoded.
 *
 * Decoding is synchronous on the request path and no deadline can interrupt it, so its worst case
 * must be small. Length alone does not bound it: a vendor section in range encoding lists ranges of
 * up to 65,535 vendor ids each, and the decoder sets every id of every range, so 500 characters of
 * ranges cost about half a second. This scan reads the string's own structure (the core segment's
 * vendor consent, legitimate interest and publisher restriction sections, and the disclosed/allowed
 * vendor segments) with a bit reader, without allocating, and refuses a string whose ranges would
 * expand to more ids than {@link TCF_LIMITS}.maxRangeIds, before the decoder sees it.
 */
export const TCF_LIMITS = Object.freeze({
  /**
   * Longest string accepted, in characters. A TC string travels in the `euconsent-v2` cookie, and
   * browsers keep cookies of at most 4,096 bytes (name and value), so no real string is longer.
   */
  maxLength: 4096,
  /** Most segments (core, disclosed vendors, allowed vendors, publisher TC). */
  maxSegments: 4,
  /**
   * Most vendor ids all range entries together may expand to: four sections of 4,096 vendors (the
   * Global Vendor List's ids stay below 1,500). Keeps the decoder's worst case near a millisecond.
   */
  maxRangeIds: 16_384,
  /**
   * Highest vendor id a section may declare (`MaxVendorId`); a bitfield section is that many bits.
   * The Global Vendor List's ids stay below 1,500; 4,096 leaves room to grow.
   */
  maxVendorId: 4096,
});

/** Why a TC string was refused before decoding. */
export type TcfBoundsProblem = 'too-long' | 'malformed' | 'too-costly';

const B64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.charCodeAt(i)] = i;
}

/** Reads bits of one base64url segment, most significant first. */
class Bits {
  #pos = 0;
  readonly #end: number;
  constructor(
    private readonly text: string,
    private readonly start: number,
    end: number,
  ) {
    this.#end = (end - start) * 6;
  }
  get left(): number {
    return this.#end - this.#pos;
  }
  /** Reads `n` (≤ 30) bits as a number, or -1 past the end. */
  read(n: number): number {
    if (this.#pos + n > this.#end) return -1;
    let v = 0;
    for (let i = 0; i < n; i++) {
      const p = this.#pos++;
      const c = B64[this.text.charCodeAt(this.start + Math.floor(p / 6))]!;
      v = v * 2 + ((c >> (5 - (p % 6))) & 1);
    }
    return v;
  }
  skip(n: number): boolean {
    if (this.#pos + n > this.#end) return false;
    this.#pos += n;
    return true;
  }
}

/** The ids a vendor section's ranges expand to, or -1 when it is malformed. */
function vendorSection(bits: Bits, budget: number): number {
  const maxVendorId = bits.read(16);
  const isRange = bits.read(1);
  if (maxVendorId < 0 || isRange < 0) return -1;
  if (maxVendorId > TCF_LIMITS.maxVendorId) return budget + 1;
  if (isRange === 0) return bits.skip(maxVendorId) ? 0 : -1;
  return rangeEntries(bits, budget);
}

/** Reads `NumEntries` then the entries; returns the ids they expand to (-1: malformed, stops past budget). */
function rangeEntries(bits: Bits, budget: number): number {
  const entries = bits.read(12);
  if (entries < 0) return -1;
  let ids = 0;
  for (let i = 0; i < entries; i++) {
    const isRange = bits.read(1);
    const start = bits.read(16);
    if (isRange < 0 || start < 0) return -1;
    if (isRange === 1) {
      const end = bits.read(16);
      if (end < start) return -1;
      ids += end - start + 1;
    } else ids += 1;
    if (ids > budget) return ids;
  }
  return ids;
}

/** Core segment fields before the vendor consent section, in bits (TCF v2 core string). */
const CORE_HEADER_BITS = 213;

/**
 * Checks a TC string's length, alphabet and structure before decoding; returns the problem or
 * `undefined` when decoding it costs at most about a millisecond.
 */
export function checkTcStringBounds(tcString: string): TcfBoundsProblem | undefined {
  if (tcString.length > TCF_LIMITS.maxLength) return 'too-long';
  let segments = 1;
  for (let i = 0; i < tcString.length; i++) {
    const c = tcString.charCodeAt(i);
    if (c === 46 /* . */) {
      if (++segments > TCF_LIMITS.maxSegments) return 'malformed';
    } else if (c > 127 || B64[c] === -1) return 'malformed';
  }
  let budget = TCF_LIMITS.maxRangeIds;
  let start = 0;
  for (let s = 0; s < segments; s++) {
    let end = tcString.indexOf('.', start);
    if (end < 0) end = tcString.length;
    const bits = new Bits(tcString, start, end);
    let spent: number;
    if (s === 0) spent = coreSegment(bits, budget);
    else {
      const type = bits.read(3);
      // 1 disclosed vendors, 2 allowed vendors: one vendor section; 3 publisher TC: no ranges.
      spent = type === 1 || type === 2 ? vendorSection(bits, budget) : type === 3 ? 0 : -1;
    }
    if (spent < 0) return 'malformed';
    budget -= spent;
    if (budget < 0) return 'too-costly';
    start = end + 1;
  }
  return undefined;
}

function coreSegment(bits: Bits, budget: number): number {
  if (bits.read(6) !== 2) return -1;
  if (!bits.skip(CORE_HEADER_BITS - 6)) return -1;
  let spent = 0;
  for (let section = 0; section < 2; section++) {
    const ids = vendorSection(bits, budget - spent);
    if (ids < 0) return -1;
    spent += ids;
    if (spent > budget) return spent;
  }
  // Publisher restrictions: may be absent in older strings.
  if (bits.left < 12) return spent;
  const restrictions = bits.read(12);
  for (let i = 0; i < restrictions; i++) {
    if (!bits.skip(8)) return -1;
    const ids = rangeEntries(bits, budget - spent);
    if (ids < 0) return -1;
    spent += ids;
    if (spent > budget) return spent;
  }
  return spent;
}
