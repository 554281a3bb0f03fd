import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// The cookies the server sets are declared with the notice that discloses them (P5): the server
// sets exactly those, by name and lifetime.
import { COOKIES, ID_COOKIE_MAX_AGE } from '@tactful/config';

export { COOKIES, ID_COOKIE_MAX_AGE };

/** The kinds of signed cookie: each value is bound to its kind, so one can never stand in for another. */
export type CookieKind = keyof typeof COOKIES;

/** How long a signed value of each kind is accepted after it was issued, in milliseconds. */
export interface CookieLifetimes {
  /** The id cookie: 180 days, as its `Max-Age`. */
  id: number;
  /** The session cookie: the anonymous session's longest life (12 hours by default). */
  session: number;
}

/** Default {@link CookieLifetimes}. */
export const COOKIE_LIFETIMES: Readonly<CookieLifetimes> = Object.freeze({
  id: ID_COOKIE_MAX_AGE * 1000,
  session: 12 * 3_600_000,
});

/**
 * Signs and verifies cookie values with a key derived from the server secret. A signed value is
 * `value.issuedAt.mac`, where the MAC covers the cookie's kind, the issue time (seconds, base 36)
 * and the value: a session cookie's value is no id cookie, and a value older than its kind's
 * lifetime (or issued in the future) is refused, whatever the browser kept.
 */
export interface CookieSigner {
  sign(kind: CookieKind, value: string): string;
  /** The value when the signature, the kind and the lifetime hold, else `undefined`. */
  verify(kind: CookieKind, signed: string | undefined): string | undefined;
}

/** How many verified cookie values a signer remembers. */
const VERIFIED_CACHE = 10_000;
/** How far ahead of the server's clock an issue time may be (clock skew between servers). */
const MAX_SKEW_MS = 5 * 60_000;

/** Options of {@link cookieSigner}. */
export interface CookieSignerOptions {
  /** The server's clock, epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Lifetimes per kind; see {@link COOKIE_LIFETIMES}. */
  lifetimes?: Partial<CookieLifetimes>;
}

/** Makes a signer whose key is derived from `secret` for cookies only. */
export function cookieSigner(secret: string, options: CookieSignerOptions = {}): CookieSigner {
  const now = options.now ?? Date.now;
  const lifetimes: CookieLifetimes = { ...COOKIE_LIFETIMES, ...options.lifetimes };
  const key = createHmac('sha256', secret).update('tactful/server/cookies/v2').digest();
  const mac = (kind: CookieKind, issued: string, value: string) =>
    createHmac('sha256', key).update(`${COOKIES[kind]}\n${issued}\n${value}`).digest('base64url');
  // Verified cookies, so a returning browser costs no HMAC: only values whose signature held are
  // kept (a forged one is checked every time), bounded, least recently used first out. The
  // lifetime is checked on every use, cached or not.
  const verified = new Map<string, { value: string; issuedAt: number }>();
  const fresh = (kind: CookieKind, issuedAt: number) => {
    const t = now();
    return issuedAt <= t + MAX_SKEW_MS && t - issuedAt < lifetimes[kind];
  };
  return {
    sign(kind, value) {
      const issued = Math.floor(now() / 1000).toString(36);
      return `${value}.${issued}.${mac(kind, issued, value)}`;
    },
    verify(kind, signed) {
      if (signed === undefined || signed.length > 512) return undefined;
      const cacheKey = `${kind}|${signed}`;
      const known = verified.get(cacheKey);
      if (known !== undefined) {
        verified.delete(cacheKey);
        if (!fresh(kind, known.issuedAt)) return undefined;
        verified.set(cacheKey, known);
        return known.value;
      }
      const last = signed.lastIndexOf('.');
      const mid = last <= 0 ? -1 : signed.lastIndexOf('.', last - 1);
      if (mid <= 0) return undefined;
      const value = signed.slice(0, mid);
      const issued = signed.slice(mid + 1, last);
      if (!/^[0-9a-z]{1,10}$/.test(issued)) return undefined;
      const given = Buffer.from(signed.slice(last + 1));
      const expected = Buffer.from(mac(kind, issued, value));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const issuedAt = Number.parseInt(issued, 36) * 1000;
      if (!fresh(kind, issuedAt)) return undefined;
      verified.set(cacheKey, { value, issuedAt });
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
