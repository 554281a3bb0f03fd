import { hmacKeySync, hmacSync, type SyncHmacKey, sha256Sync } from './sha256.js';

/** Lowercase hex of bytes. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (let i = 0; i < view.length; i++) out += HEX[view[i]!]!;
  return out;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** SHA-256 of a UTF-8 string, as hex (synchronous, any runtime). */
export function sha256(text: string): string {
  return toHex(sha256Sync(text));
}

/** An HMAC-SHA-256 key, prepared once. */
export type HmacKey = SyncHmacKey;

/** Prepares raw key bytes for HMAC-SHA-256 signing. */
export function importHmacKey(raw: Uint8Array): HmacKey {
  return hmacKeySync(raw);
}

/** HMAC-SHA-256 of a UTF-8 string, as raw bytes. */
export function hmacBytes(key: HmacKey, text: string): Uint8Array {
  return hmacSync(key, text);
}

/** HMAC-SHA-256 of a UTF-8 string, as hex. */
export function hmacHex(key: HmacKey, text: string): string {
  return toHex(hmacSync(key, text));
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
  /** Decides sampling from trace ids. */
  sample: HmacKey;
}

/** Derives the audit keys from the configured secret (HMAC-based, domain-separated labels). */
export async function deriveKeys(secret: string | Uint8Array): Promise<AuditKeys> {
  const master = importHmacKey(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret);
  const derive = (label: string) => importHmacKey(hmacBytes(master, `tactful.audit.${label}.v1`));
  return { subject: derive('subject'), chain: derive('chain'), sample: derive('sample') };
}
