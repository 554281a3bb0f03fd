import type { HttpBindings } from '@hono/node-server';
import type { SessionStore } from '@tactful/anonymous-session';
import type { TactfulConfig } from '@tactful/config';
import type { HeaderReader } from '@tactful/contextual';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { parse as parseCookies } from 'hono/utils/cookie';
import type { Caller } from './auth.js';
import { COOKIES, type CookieKind, type CookieSigner, ID_COOKIE_MAX_AGE, isLocalHost } from './cookies.js';
import type { RateLimiter } from './limits.js';
import type { Admission } from './overload.js';
import type { Assembly, ResolvedServerOptions, ServerLogger } from './options.js';

/** The Hono environment of the server's routes. */
export interface ServerEnv {
  Bindings: Partial<HttpBindings>;
  Variables: {
    caller: Caller;
    /** Set by the decide route, for the access log. */
    traceId: string;
    /** The CORS headers of this request's answer (`Vary: Origin`, and more for a listed page). */
    cors: Readonly<Record<string, string>>;
  };
}

/** What every route shares: the assembly, the stores of the server itself, limits and the log. */
export interface Runtime {
  readonly tactful: Assembly;
  readonly options: ResolvedServerOptions;
  readonly server: TactfulConfig['server'];
  readonly signer: CookieSigner;
  readonly sessions: SessionStore;
  readonly readHeaders: HeaderReader;
  readonly rightsLimit: RateLimiter;
  /** Slots for requests, admitted by count and by time waited. */
  readonly admission: Admission;
  readonly log: ServerLogger;
  readonly now: () => number;
  readonly state: { draining: boolean };
}

function secure(rt: Runtime, c: Context): boolean {
  const setting = rt.options.secureCookies;
  if (setting !== 'auto') return setting;
  let host: string | undefined;
  try {
    host = new URL(c.req.url).host;
  } catch {
    host = undefined;
  }
  return !isLocalHost(host);
}

/** The attributes of the strictly necessary id cookie (HttpOnly, SameSite=Lax, Secure off localhost). */
export function idCookieOptions(rt: Runtime, c: Context) {
  return {
    httpOnly: true,
    sameSite: 'Lax',
    secure: secure(rt, c),
    path: '/',
    maxAge: ID_COOKIE_MAX_AGE,
  } as const;
}

/** Sets the strictly necessary id cookie (signed, HttpOnly, SameSite=Lax, Secure off localhost). */
export function setIdCookie(rt: Runtime, c: Context, subject: string): void {
  setCookie(c, COOKIES.id, rt.signer.sign('id', subject), idCookieOptions(rt, c));
}

/** Sets the anonymous session cookie: a browser-session cookie (no Max-Age). */
export function setSessionCookie(rt: Runtime, c: Context, sessionId: string): void {
  setCookie(c, COOKIES.session, rt.signer.sign('session', sessionId), {
    httpOnly: true,
    sameSite: 'Lax',
    secure: secure(rt, c),
    path: '/',
  });
}

/** Removes the anonymous session cookie. */
export function clearSessionCookie(rt: Runtime, c: Context): void {
  deleteCookie(c, COOKIES.session, { path: '/', secure: secure(rt, c), httpOnly: true, sameSite: 'Lax' });
}

/** The verified value of one of the server's cookies. */
export function signedCookie(rt: Runtime, c: Context, kind: CookieKind): string | undefined {
  return rt.signer.verify(kind, requestCookies(c)[COOKIES[kind]]);
}

/**
 * A request header by its lowercase name, from Node's own header record when the server runs on
 * Node (no Fetch `Headers` object is built for the request: reading one header through Hono's
 * `c.req.header` builds it from every header the request carries), else from the Fetch request.
 * Repeated headers are joined as Node joins them (`, `; `; ` for `Cookie`; the first of those
 * that may appear only once, such as `Content-Type` and `Host`).
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as ServerEnv['Bindings'] | undefined)?.incoming;
  if (incoming === undefined) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The request's cookies by name (see {@link requestHeader}), or one of them. */
export function requestCookies(c: Context): Record<string, string> {
  const header = requestHeader(c, 'cookie');
  return header === undefined || header === '' ? {} : parseCookies(header);
}

/** The remote address of the connection (Node server only), for the trusted-proxy check. */
export function remoteAddress(c: Context<ServerEnv>): string | undefined {
  return c.env?.incoming?.socket?.remoteAddress ?? undefined;
}

/** Headers on every answer: no MIME sniffing, no referrer leaks. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

/** Routes that build their answer with {@link plainJson} (and so set the security headers themselves). */
export const PLAIN_JSON_ROUTES: ReadonlySet<string> = new Set(['/v1/decide']);

/** Answers made by {@link plainJson}: they already carry their CORS headers. */
const PLAIN_ANSWERS = new WeakSet<Response>();

/** Whether `response` was made by {@link plainJson} (so its CORS headers are in it already). */
export function isPlainAnswer(response: Response): boolean {
  return PLAIN_ANSWERS.has(response);
}

/**
 * A JSON answer with its headers as a plain record: the Node adapter writes it without building a
 * `Headers` object (the hot path of `POST /v1/decide`). Carries the security headers, `no-store`,
 * the request's CORS headers (see `corsHandler`) and `Connection: close` while draining.
 */
export function plainJson(rt: Runtime, c: Context<ServerEnv>, body: unknown, status = 200): Response {
  // The body as UTF-8 bytes: Node writes a string answer by joining it to the header block and
  // encoding the whole (after measuring its byte length once more); a decision's text in any
  // script beyond Latin-1 makes that a slow two-byte string, while bytes go to the socket as they are.
  const response = new Response(Buffer.from(JSON.stringify(body)), {
    status,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': 'application/json',
      'cache-control': 'no-store',
      ...c.get('cors'),
      ...(rt.state.draining ? { connection: 'close' } : {}),
    },
  });
  PLAIN_ANSWERS.add(response);
  return response;
}
