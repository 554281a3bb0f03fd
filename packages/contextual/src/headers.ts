import { type RequestContext, TactfulError, parseOrThrow } from '@tactful/core';
import * as z from 'zod/mini';
import { addressMatcher } from './ip-address.js';
import { isValidTimeZone } from './local-time.js';

/** Header names an edge proxy sets for the visitor's coarse location. */
export interface GeoHeaderNames {
  country?: string | undefined;
  region?: string | undefined;
  city?: string | undefined;
  /** The visitor's IANA time zone, when the proxy sets one. */
  timeZone?: string | undefined;
}

/** Header names of well-known edge networks. */
export const PROXY_PRESETS: Readonly<Record<'cloudflare' | 'vercel', Readonly<GeoHeaderNames>>> =
  Object.freeze({
    cloudflare: Object.freeze({
      country: 'cf-ipcountry',
      region: 'cf-region',
      city: 'cf-ipcity',
      timeZone: 'cf-timezone',
    }),
    vercel: Object.freeze({
      country: 'x-vercel-ip-country',
      region: 'x-vercel-ip-country-region',
      city: 'x-vercel-ip-city',
      timeZone: 'x-vercel-ip-timezone',
    }),
  });

const HeaderName = z.pipe(
  z
    .string()
    .check(z.regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'use a valid HTTP header name such as "cf-ipcountry"')),
  z.transform((s) => s.toLowerCase()),
);

/**
 * The trusted proxy: which headers carry the coarse location, and how a request proves it came
 * through the proxy (a shared secret header the proxy adds, the proxy's addresses, or both — when
 * both are given, both must hold).
 */
export const TrustedProxySchema = z
  .object({
    /** Start from a well-known edge network's header names. */
    preset: z.optional(z.enum(['cloudflare', 'vercel'])),
    /** Header names (override the preset's). */
    headers: z.optional(
      z.partial(
        z.object({ country: HeaderName, region: HeaderName, city: HeaderName, timeZone: HeaderName }),
      ),
    ),
    /** A header the proxy adds with a secret value that clients cannot know. */
    secret: z.optional(
      z.object({
        header: HeaderName,
        value: z.string().check(z.minLength(16, 'use a secret of at least 16 characters')),
      }),
    ),
    /** Addresses or CIDR ranges the proxy connects from (`10.0.0.0/8`, `2001:db8::/32`). */
    addresses: z.optional(z.array(z.string()).check(z.minLength(1))),
  })
  .check(
    z.refine((p) => p.secret !== undefined || p.addresses !== undefined, {
      message:
        'say how to recognise the proxy: give "secret" (a header it adds) or "addresses" (where it connects from)',
    }),
    z.refine(
      (p) => p.preset !== undefined || (p.headers !== undefined && Object.keys(p.headers).length > 0),
      {
        message: 'give a "preset" ("cloudflare", "vercel") or the "headers" names that carry the location',
      },
    ),
  );
/** The trusted proxy configuration, as written. */
export type TrustedProxyInput = z.input<typeof TrustedProxySchema>;

/** Options of {@link contextFromHeaders}. */
export interface HeaderReaderOptions {
  /** The edge proxy whose location headers may be believed. Without it, no location is read. */
  trustedProxy?: TrustedProxyInput;
}

/** Request headers: a web `Headers` or a Node-style record. */
export type HeadersLike =
  | { get(name: string): string | null; forEach(cb: (value: string, name: string) => void): void }
  | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;

/** The part of a request context that can be read from headers. */
export type HeaderContext = Pick<
  RequestContext,
  'userAgent' | 'clientHints' | 'acceptLanguage' | 'gpc' | 'dnt' | 'geo' | 'timeZone'
>;

/** A compiled header reader: call it once per request. */
export type HeaderReader = (
  headers: HeadersLike,
  request?: { remoteAddress?: string | undefined },
) => HeaderContext;

const MAX = 2048;
const clean = (value: string | undefined, max = MAX): string | undefined => {
  if (value === undefined) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const v = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return v === '' || v.length > max ? undefined : v;
};

function normalise(headers: HeadersLike): Map<string, string> {
  const out = new Map<string, string>();
  if (
    typeof (headers as { get?: unknown }).get === 'function' &&
    typeof (headers as { forEach?: unknown }).forEach === 'function'
  ) {
    (headers as { forEach(cb: (value: string, name: string) => void): void }).forEach((value, name) => {
      out.set(name.toLowerCase(), value);
    });
    return out;
  }
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string') out.set(name.toLowerCase(), value);
    else if (Array.isArray(value))
      out.set(name.toLowerCase(), value.filter((v) => typeof v === 'string').join(', '));
  }
  return out;
}

function safeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function decodePlace(value: string | undefined): string | undefined {
  const v = clean(value, 256);
  if (v === undefined) return undefined;
  let decoded = v;
  if (/%[0-9A-Fa-f]{2}/.test(v)) {
    try {
      decoded = decodeURIComponent(v);
    } catch {
      return undefined;
    }
  }
  return clean(decoded, 128);
}

/**
 * Compiles a header reader. Bad options throw `INVALID_OPTIONS` here, once; reading a request
 * never throws — malformed or oversized header values are left out.
 *
 * Coarse location (and the proxy's time zone) is read **only** when the request came through the
 * configured trusted proxy: its secret header matches and/or the connecting address is one of its
 * addresses. The same headers from anyone else are ignored, so a visitor cannot claim a place.
 *
 * @example
 * ```ts
 * const read = headerReader({ trustedProxy: { preset: 'cloudflare', addresses: ['173.245.48.0/20'] } });
 * const context = read(req.headers, { remoteAddress: req.socket.remoteAddress });
 * ```
 */
export function headerReader(options: HeaderReaderOptions = {}): HeaderReader {
  const proxy =
    options.trustedProxy === undefined
      ? undefined
      : parseOrThrow(TrustedProxySchema, options.trustedProxy, {
          code: 'INVALID_OPTIONS',
          what: 'trustedProxy',
          plugin: '@tactful/contextual',
          path: ['trustedProxy'],
        });
  const names: GeoHeaderNames = proxy
    ? { ...(proxy.preset ? PROXY_PRESETS[proxy.preset] : {}), ...proxy.headers }
    : {};
  let addresses: ReturnType<typeof addressMatcher>['matcher'] | undefined;
  if (proxy?.addresses) {
    const compiled = addressMatcher(proxy.addresses);
    if (compiled.invalid.length > 0) {
      throw new TactfulError(
        'INVALID_OPTIONS',
        `@tactful/contextual: trustedProxy.addresses: not an address or CIDR range: ${compiled.invalid.map((a) => `"${a}"`).join(', ')}; use e.g. "10.0.0.0/8" or "2001:db8::/32"`,
        { plugin: '@tactful/contextual', path: ['trustedProxy', 'addresses'] },
      );
    }
    addresses = compiled.matcher;
  }

  return (headers, request = {}) => {
    const h = normalise(headers);
    const out: HeaderContext = {};
    const userAgent = clean(h.get('user-agent'));
    if (userAgent !== undefined) out.userAgent = userAgent;
    const acceptLanguage = clean(h.get('accept-language'), 512);
    if (acceptLanguage !== undefined) out.acceptLanguage = acceptLanguage;
    const hints: Record<string, string> = {};
    let hintCount = 0;
    for (const [name, value] of h) {
      if (!name.startsWith('sec-ch-') || name.length > 64 || hintCount >= 20) continue;
      const v = clean(value);
      if (v !== undefined) {
        hints[name] = v;
        hintCount++;
      }
    }
    if (hintCount > 0) out.clientHints = hints;
    if (h.get('sec-gpc')?.trim() === '1') out.gpc = true;
    if (h.get('dnt')?.trim() === '1') out.dnt = true;

    if (proxy === undefined) return out;
    if (proxy.secret !== undefined) {
      const given = h.get(proxy.secret.header);
      if (given === undefined || !safeEqual(given.trim(), proxy.secret.value)) return out;
    }
    if (addresses !== undefined && !addresses.has(request.remoteAddress)) return out;

    const geo: NonNullable<HeaderContext['geo']> = {};
    const country = clean(names.country ? h.get(names.country) : undefined, 8)?.toUpperCase();
    // "XX" = unknown, "T1" = Tor (Cloudflare); neither is a country.
    if (country !== undefined && /^[A-Z]{2}$/.test(country) && country !== 'XX') geo.country = country;
    const region = decodePlace(names.region ? h.get(names.region) : undefined);
    if (region !== undefined) geo.region = region;
    const city = decodePlace(names.city ? h.get(names.city) : undefined);
    if (city !== undefined) geo.city = city;
    if (Object.keys(geo).length > 0) out.geo = geo;
    const timeZone = clean(names.timeZone ? h.get(names.timeZone) : undefined, 64);
    if (timeZone !== undefined && isValidTimeZone(timeZone)) out.timeZone = timeZone;
    return out;
  };
}

const readers = new WeakMap<object, HeaderReader>();

/**
 * Maps raw request headers to the request context Tactful decides on: User-Agent, client hints,
 * Accept-Language, GPC/DNT, and — only for requests that came through the configured trusted
 * proxy — coarse location and time zone from its edge headers (`CF-IPCountry`,
 * `X-Vercel-IP-Country`/`-Region`/`-City`, or configured names). Reuse one options object (it is
 * compiled once) or call {@link headerReader} directly.
 *
 * @example
 * ```ts
 * const options = { trustedProxy: { preset: 'vercel', secret: { header: 'x-edge-secret', value: process.env.EDGE_SECRET } } };
 * const context = contextFromHeaders(request.headers, { ...options, remoteAddress: socket.remoteAddress });
 * await orchestrator.decide({ context, slots: [{ id: 'home.hero' }] });
 * ```
 */
export function contextFromHeaders(
  headers: HeadersLike,
  options: HeaderReaderOptions & { remoteAddress?: string | undefined } = {},
): HeaderContext {
  const key = options.trustedProxy ?? options;
  let reader = readers.get(key);
  if (reader === undefined) {
    reader = headerReader(options.trustedProxy === undefined ? {} : { trustedProxy: options.trustedProxy });
    readers.set(key, reader);
  }
  return reader(headers, { remoteAddress: options.remoteAddress });
}
