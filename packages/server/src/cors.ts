import type { MiddlewareHandler } from 'hono';
import { type ServerEnv, isPlainAnswer, requestHeader } from './runtime.js';

/** The `server.cors` section in force. */
export interface CorsSettings {
  readonly origins: ReadonlyArray<string>;
  readonly maxAgeSeconds: number;
}

const METHODS = 'GET, POST, PATCH, DELETE';
const HEADERS = 'Content-Type, Authorization, Tactful-Subject-Token';
/** What every answer carries: it varies on the page asking. */
const VARY: Readonly<Record<string, string>> = Object.freeze({ vary: 'Origin' });

/** The normal form of an origin (`https://shop.example`), or undefined for anything else. */
export function normalOrigin(value: string): string | undefined {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * CORS for the pages of `settings.origins` only: a request whose `Origin` is listed gets
 * `Access-Control-Allow-Origin` (that origin, never `*`), `Access-Control-Allow-Credentials: true`
 * and `Vary: Origin`; a preflight (`OPTIONS` with `Access-Control-Request-Method`) from a listed
 * origin is answered 204 with the methods and headers the API takes; from any other origin it is
 * answered 204 with no CORS header, so the browser refuses the call. Every answer varies on Origin.
 */
export function corsHandler(settings: CorsSettings | undefined): MiddlewareHandler<ServerEnv> {
  const allowed = new Set((settings?.origins ?? []).map((o) => normalOrigin(o) ?? o));
  const maxAge = String(settings?.maxAgeSeconds ?? 600);
  return async (c, next) => {
    const origin = requestHeader(c, 'origin');
    const listed = origin !== undefined && allowed.has(origin);
    if (c.req.method === 'OPTIONS' && requestHeader(c, 'access-control-request-method') !== undefined) {
      c.header('Vary', 'Origin');
      if (!listed) return c.body(null, 204);
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Credentials', 'true');
      c.header('Access-Control-Allow-Methods', METHODS);
      c.header('Access-Control-Allow-Headers', HEADERS);
      c.header('Access-Control-Max-Age', maxAge);
      return c.body(null, 204);
    }
    const answer: Readonly<Record<string, string>> = listed
      ? {
          ...VARY,
          'access-control-allow-origin': origin,
          'access-control-allow-credentials': 'true',
          'access-control-expose-headers': 'Retry-After',
        }
      : VARY;
    // A plain-JSON answer (the decide route's) puts these in its own header record, so no Fetch
    // `Headers` object is built for it; every other answer gets them here.
    c.set('cors', answer);
    await next();
    if (isPlainAnswer(c.res)) return;
    c.res.headers.append('Vary', 'Origin');
    if (listed) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Allow-Credentials', 'true');
      c.res.headers.set('Access-Control-Expose-Headers', 'Retry-After');
    }
  };
}
