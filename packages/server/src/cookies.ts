import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// The cookies the server sets are declared with the notice that discloses them (P5): the server
// sets exactly those, by name and lifetime.
import { COOKIES, ID_COOKIE_MAX_AGE } from '@tactful/config';

export { COOKIES, ID_COOKIE_MAX_AGE };

/** Signs and verifies cookie values with a key derived from the server secret. */
export interface CookieSigner {
  sign(value: string): string;
  /** The value when the signature holds, else `undefined` (forged, altered or from another key). */
  verify(signed: string | undefined): string | undefined;
}

/** How many verified cookie values a signer remembers. */
const VERIFIED_CACHE = 10_000;

/** Makes a signer whose key is derived from `secret` for cookies only. */
export function cookieSigner(secret: string): CookieSigner {
  const key = createHmac('sha256', secret).update('tactful/server/cookies/v1').digest();
  const mac = (value: string) => createHmac('sha256', key).update(value).digest('base64url');
  // Verified cookies, so a returning browser costs no HMAC: only values whose signature held are
  // kept (a forged one is checked every time), bounded, least recently used first out.
  const verified = new Map<string, string>();
  return {
    sign: (value) => `${value}.${mac(value)}`,
    verify(signed) {
      if (signed === undefined || signed.length > 512) return undefined;
      const known = verified.get(signed);
      if (known !== undefined) {
        verified.delete(signed);
        verified.set(signed, known);
        return known;
      }
      const dot = signed.lastIndexOf('.');
      if (dot <= 0) return undefined;
      const value = signed.slice(0, dot);
      const given = Buffer.from(signed.slice(dot + 1));
      const expected = Buffer.from(mac(value));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      verified.set(signed, value);
      if (verified.size > VERIFIED_CACHE) verified.delete(verified.keys().next().value as string);
      return value;
    },
  };
}

/** A new pseudonymous subject id for a browser (`v-` and 128 random bits). */
export function newSubjectId(): string {
  return `v-${randomBytes(16).toString('hex')}`;
}

/** True when the host is this machine (cookies may then go without `Secure` over plain HTTP). */
export function isLocalHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === '127.0.0.1' || name === '::1';
}
