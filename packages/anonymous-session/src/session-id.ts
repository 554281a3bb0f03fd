/** Bytes of randomness in a session id (144 bits). */
export const SESSION_ID_BYTES = 18;

const FORMAT = /^[A-Za-z0-9_-]{24}$/;

/**
 * A new random session id: 144 bits from the Web Crypto API, base64url (24 characters). Carries no
 * information about the person, the time or the device.
 *
 * @example
 * ```ts
 * createSessionId(); // e.g. 'q7Vd0l7kR7bqA1xXw3c9-u_2'
 * ```
 */
export function createSessionId(): string {
  const bytes = new Uint8Array(SESSION_ID_BYTES);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** True when `value` has the shape of an id from {@link createSessionId} (it may still be unknown or forged). */
export function isSessionIdFormat(value: unknown): value is string {
  return typeof value === 'string' && FORMAT.test(value);
}
