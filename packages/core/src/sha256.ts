// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), synchronous and dependency-free, for hashing
// that must stay synchronous in any runtime (the notice's version hashes, the audit trail's chain).
// Web Crypto is asynchronous: chaining N entries through it costs N round trips through the event
// loop, each about 40 µs of main-thread work in Node.

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const INITIAL = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

const W = new Uint32Array(64);

/** Runs the compression function over every whole 64-byte block of `data` from `offset`; returns the bytes used. */
function compress(h: Uint32Array, data: Uint8Array, offset: number, end: number): number {
  let p = offset;
  while (end - p >= 64) {
    for (let i = 0; i < 16; i++, p += 4) {
      W[i] = (data[p]! << 24) | (data[p + 1]! << 16) | (data[p + 2]! << 8) | data[p + 3]!;
    }
    for (let i = 16; i < 64; i++) {
      const a = W[i - 15]!;
      const b = W[i - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
    }
    let a = h[0]!;
    let b = h[1]!;
    let c = h[2]!;
    let d = h[3]!;
    let e = h[4]!;
    let f = h[5]!;
    let g = h[6]!;
    let hh = h[7]!;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (hh + S1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = h[0]! + a;
    h[1] = h[1]! + b;
    h[2] = h[2]! + c;
    h[3] = h[3]! + d;
    h[4] = h[4]! + e;
    h[5] = h[5]! + f;
    h[6] = h[6]! + g;
    h[7] = h[7]! + hh;
  }
  return p - offset;
}

/**
 * Finishes a hash whose state `h` has already absorbed `before` bytes (a multiple of 64), over the
 * remaining `data`: pads and returns the 32-byte digest. `h` is consumed.
 */
function finish(h: Uint32Array, before: number, data: Uint8Array): Uint8Array {
  const used = compress(h, data, 0, data.length);
  const rest = data.length - used;
  const total = before + data.length;
  const tail = new Uint8Array(rest + 9 <= 64 ? 64 : 128);
  tail.set(data.subarray(used));
  tail[rest] = 0x80;
  const bits = total * 8;
  const view = new DataView(tail.buffer);
  view.setUint32(tail.length - 8, Math.floor(bits / 0x1_0000_0000));
  view.setUint32(tail.length - 4, bits >>> 0);
  compress(h, tail, 0, tail.length);
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setUint32(i * 4, h[i]!);
  return out;
}

const encoder = new TextEncoder();

/** SHA-256 of bytes. */
export function sha256Bytes(data: Uint8Array): Uint8Array {
  return finish(Uint32Array.from(INITIAL), 0, data);
}

/** SHA-256 of a string's UTF-8 bytes. */
export function sha256Sync(text: string): Uint8Array {
  return sha256Bytes(encoder.encode(text));
}

/** An HMAC-SHA-256 key with its padded blocks already hashed, so each MAC costs only the message. */
export interface SyncHmacKey {
  /** The hash state after the inner padded key block. */
  readonly inner: Uint32Array;
  /** The hash state after the outer padded key block. */
  readonly outer: Uint32Array;
}

/** Prepares an HMAC-SHA-256 key from its raw bytes (any length; longer than 64 bytes is hashed first). */
export function hmacKeySync(raw: Uint8Array): SyncHmacKey {
  const key = new Uint8Array(64);
  key.set(raw.length > 64 ? sha256Bytes(raw) : raw);
  const pad = new Uint8Array(64);
  const state = (byte: number) => {
    for (let i = 0; i < 64; i++) pad[i] = key[i]! ^ byte;
    const h = Uint32Array.from(INITIAL);
    compress(h, pad, 0, 64);
    return h;
  };
  return { inner: state(0x36), outer: state(0x5c) };
}

/** HMAC-SHA-256 of a string's UTF-8 bytes. */
export function hmacSync(key: SyncHmacKey, text: string): Uint8Array {
  const inner = finish(key.inner.slice(), 64, encoder.encode(text));
  return finish(key.outer.slice(), 64, inner);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * SHA-256 of a string (UTF-8) or bytes, as 64 lowercase hex digits, computed synchronously.
 *
 * @example
 * ```ts
 * sha256HexSync('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export function sha256HexSync(input: string | Uint8Array): string {
  const bytes = typeof input === 'string' ? sha256Sync(input) : sha256Bytes(input);
  let out = '';
  for (const b of bytes) out += HEX[b];
  return out;
}
