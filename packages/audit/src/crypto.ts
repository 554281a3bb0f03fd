import { hmacKeySync, hmacSync, sha256Sync } from '@tactful/core';

/** Lowercase hex of bytes. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (let i = 0; i < view.length; i++) out += HEX[view[i]!]!;
  return out;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

const encoder = new TextEncoder();

/** An HMAC-SHA-256 key, prepared once. */
export interface HmacKey {
  /** HMAC-SHA-256 of a string's UTF-8 bytes. */
  mac(text: string): Uint8Array;
  /** The same MAC as lowercase hex, when the implementation can give it directly (optional). */
  macHex?(text: string): string;
}

/** A synchronous SHA-256 of bytes, such as `(d) => createHash('sha256').update(d).digest()` in Node. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

/** The hash functions of one trail: SHA-256 and HMAC-SHA-256, synchronous. */
export interface Hashing {
  /** SHA-256 of a UTF-8 string, as hex. */
  sha256Hex(text: string): string;
  /** Prepares raw key bytes for HMAC-SHA-256. */
  hmacKey(raw: Uint8Array): HmacKey;
}

/**
 * The trail's hashing: the built-in JavaScript SHA-256 (any runtime), or a given native one, with
 * HMAC (RFC 2104) built on it. Both give the same digests, so a trail verifies with either.
 */
export function hashing(native?: Sha256): Hashing {
  if (!native) {
    return {
      sha256Hex: (text) => toHex(sha256Sync(text)),
      hmacKey(raw) {
        const key = hmacKeySync(raw);
        return { mac: (text) => hmacSync(key, text) };
      },
    };
  }
  return {
    sha256Hex: (text) => toHex(native(encoder.encode(text))),
    hmacKey(raw) {
      const key = new Uint8Array(64);
      key.set(raw.length > 64 ? native(raw) : raw);
      const inner = key.map((b) => b ^ 0x36);
      const outer = new Uint8Array(64 + 32);
      outer.set(key.map((b) => b ^ 0x5c));
      return {
        mac(text) {
          const message = encoder.encode(text);
          const first = new Uint8Array(64 + message.length);
          first.set(inner);
          first.set(message, 64);
          const second = outer.slice();
          second.set(native(first), 64);
          return native(second);
        },
      };
    },
  };
}

/** HMAC-SHA-256 of a UTF-8 string, as raw bytes. */
export function hmacBytes(key: HmacKey, text: string): Uint8Array {
  return key.mac(text);
}

/** HMAC-SHA-256 of a UTF-8 string, as hex. */
export function hmacHex(key: HmacKey, text: string): string {
  return key.macHex ? key.macHex(text) : toHex(key.mac(text));
}

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Random bytes drawn from Web Crypto 4 KiB at a time: one call per 256 salts instead of one each. */
const pool = new Uint8Array(4096);
let poolUsed = pool.length;

/** Random bytes as hex (Web Crypto's CSPRNG; each byte is handed out once). */
export function randomHex(bytes: number): string {
  if (bytes > pool.length) {
    const out = new Uint8Array(bytes);
    (globalThis as { crypto: Crypto }).crypto.getRandomValues(out);
    return toHex(out);
  }
  if (poolUsed + bytes > pool.length) {
    (globalThis as { crypto: Crypto }).crypto.getRandomValues(pool);
    poolUsed = 0;
  }
  const hex = toHex(pool.subarray(poolUsed, poolUsed + bytes));
  poolUsed += bytes;
  return hex;
}

/** The keys derived from the configured secret, one per use, so no key serves two purposes. */
export interface AuditKeys {
  /** Pseudonymises subject ids. */
  subject: HmacKey;
  /** Links entries and signs anchors. */
  chain: HmacKey;
  /** The chain key's raw bytes, for a store that seals entries in its own thread (`appendSealed`). */
  chainRaw: Uint8Array;
  /** Decides sampling from trace ids. */
  sample: HmacKey;
}

/** Derives the audit keys from the configured secret (HMAC-based, domain-separated labels). */
export function deriveKeys(h: Hashing, secret: string | Uint8Array): AuditKeys {
  const master = h.hmacKey(typeof secret === 'string' ? encoder.encode(secret) : secret);
  const raw = (label: string) => master.mac(`tactful.audit.${label}.v1`);
  const chainRaw = new Uint8Array(raw('chain'));
  return {
    subject: h.hmacKey(raw('subject')),
    chain: h.hmacKey(chainRaw),
    chainRaw,
    sample: h.hmacKey(raw('sample')),
  };
}
