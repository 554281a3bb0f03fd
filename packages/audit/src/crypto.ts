/** Lowercase hex of bytes. */
export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (const b of view) out += b.toString(16).padStart(2, '0');
  return out;
}

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (!c?.subtle) throw new Error('Web Crypto (crypto.subtle) is not available in this runtime');
  return c.subtle;
}

/** SHA-256 of a UTF-8 string, as hex (Web Crypto). */
export async function sha256(text: string): Promise<string> {
  return toHex(await subtle().digest('SHA-256', encoder.encode(text)));
}

/** An HMAC-SHA-256 key, imported once. */
export type HmacKey = CryptoKey;

/** Imports raw key bytes for HMAC-SHA-256 signing. */
export async function importHmacKey(raw: Uint8Array): Promise<HmacKey> {
  return subtle().importKey('raw', new Uint8Array(raw), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** HMAC-SHA-256 of a UTF-8 string, as raw bytes. */
export async function hmacBytes(key: HmacKey, text: string): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign('HMAC', key, encoder.encode(text)));
}

/** HMAC-SHA-256 of a UTF-8 string, as hex. */
export async function hmacHex(key: HmacKey, text: string): Promise<string> {
  return toHex(await hmacBytes(key, text));
}

/** Compares two strings in time independent of where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Random bytes as hex (Web Crypto). */
export function randomHex(bytes: number): string {
  const out = new Uint8Array(bytes);
  (globalThis as { crypto: Crypto }).crypto.getRandomValues(out);
  return toHex(out);
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
  const master = await importHmacKey(typeof secret === 'string' ? encoder.encode(secret) : secret);
  const derive = async (label: string) => importHmacKey(await hmacBytes(master, `tactful.audit.${label}.v1`));
  const [subject, chain, sample] = await Promise.all([derive('subject'), derive('chain'), derive('sample')]);
  return { subject, chain, sample };
}
