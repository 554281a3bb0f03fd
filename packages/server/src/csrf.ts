import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { COOKIES } from './cookies.js';
import { errorResponse } from './errors.js';
import type { ServerEnv } from './runtime.js';

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
  const allowed = origins === undefined ? undefined : new Set(origins.map((o) => originOf(o) ?? o));
  const forbidden = (c: Parameters<MiddlewareHandler<ServerEnv>>[0]) =>
    errorResponse(
      c,
      403,
      'FORBIDDEN',
      'cross-site request refused: the Origin is not this site; nothing was changed',
    );
  return async (c, next) => {
    if (SAFE.has(c.req.method) || c.get('caller')?.kind === 'service') return next();
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      if (origin === 'null') return forbidden(c);
      if (allowed !== undefined) {
        if (!allowed.has(origin)) return forbidden(c);
      } else {
        // The request's own origin: same host (scheme as the browser saw it, which a TLS proxy hides).
        const host = c.req.header('host') ?? new URL(c.req.url).host;
        if (origin !== `http://${host}` && origin !== `https://${host}`) {
          return forbidden(c);
        }
      }
      return next();
    }
    const site = c.req.header('sec-fetch-site');
    if (site !== undefined) return site === 'same-origin' ? next() : forbidden(c);
    const hasCookie = getCookie(c, COOKIES.id) !== undefined || getCookie(c, COOKIES.session) !== undefined;
    return hasCookie ? forbidden(c) : next();
  };
}
