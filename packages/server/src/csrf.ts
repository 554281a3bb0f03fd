import type { Context, MiddlewareHandler } from 'hono';
import { COOKIES } from './cookies.js';
import { errorResponse } from './errors.js';
import { type ServerEnv, requestCookies, requestHeader } from './runtime.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * CSRF protection on every state-changing request (POST, PUT, PATCH, DELETE) from a browser:
 * its `Origin` must be one of `origins` (default: the request's own host). Without an `Origin`,
 * `Sec-Fetch-Site` must say `same-origin`; a request carrying the server's cookies with neither
 * is refused. Requests with a bearer token carry no ambient authority and are not checked.
 * A refused request gets 403 before any handler runs: nothing changes.
 */
export function csrfGuard(origins: ReadonlyArray<string> | undefined): MiddlewareHandler<ServerEnv> {
  const check = csrfCheck(origins);
  return async (c, next) => check(c) ?? next();
}

/** The check of {@link csrfGuard}: a 403 answer for a cross-site state change, else `undefined`. */
export function csrfCheck(
  origins: ReadonlyArray<string> | undefined,
  corsOrigins: ReadonlyArray<string> = [],
): (c: Context<ServerEnv>) => Response | undefined {
  const allowed = origins === undefined ? undefined : new Set(origins.map((o) => originOf(o) ?? o));
  // Pages allowed by `server.cors` may change state too (their calls carry the person's cookies).
  const cors = new Set(corsOrigins.map((o) => originOf(o) ?? o));
  const forbidden = (c: Context<ServerEnv>) =>
    errorResponse(
      c,
      403,
      'FORBIDDEN',
      'cross-site request refused: the Origin is not this site; nothing was changed',
    );
  return (c) => {
    if (SAFE.has(c.req.method) || c.get('caller')?.kind === 'service') return undefined;
    const origin = requestHeader(c, 'origin');
    if (origin !== undefined) {
      if (origin === 'null') return forbidden(c);
      if (cors.has(origin)) return undefined;
      if (allowed !== undefined) return allowed.has(origin) ? undefined : forbidden(c);
      // The request's own origin: same host (scheme as the browser saw it, which a TLS proxy hides).
      const host = requestHeader(c, 'host') ?? new URL(c.req.url).host;
      return origin === `http://${host}` || origin === `https://${host}` ? undefined : forbidden(c);
    }
    const site = requestHeader(c, 'sec-fetch-site');
    if (site !== undefined) return site === 'same-origin' ? undefined : forbidden(c);
    const cookies = requestCookies(c);
    const hasCookie = cookies[COOKIES.id] !== undefined || cookies[COOKIES.session] !== undefined;
    return hasCookie ? forbidden(c) : undefined;
  };
}
