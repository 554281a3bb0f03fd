// The shop's pages call the decision server through `@tactful/client`, in process: the client's
// `fetch` is `server.app.fetch`, on behalf of the browser that asked for the page. Its cookies,
// language and privacy signals go along, and the cookies the API sets come back to the browser.
// The API's own rules (consent before the session cookie, CSRF checks, rate limits, one's own data
// only) therefore hold for the pages too, and the client's (defaults when the API is slow, busy or
// answers junk) as well.
import { createClient } from '@tactful/client';

/** Request headers of the browser that the decision API reads. */
const FORWARDED = [
  'user-agent',
  'accept-language',
  'sec-gpc',
  'dnt',
  'origin',
  'sec-fetch-site',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
  'sec-ch-ua-model',
  'sec-ch-ua-platform-version',
];

function parseCookieHeader(header) {
  const jar = new Map();
  for (const part of String(header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}

/** Applies one `Set-Cookie` to the jar (a `Max-Age=0` or past `Expires` removes the cookie). */
function applySetCookie(jar, line) {
  const [pair, ...attributes] = line.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  const removed = attributes.some((a) => {
    const [k, v] = a.split('=').map((s) => s.trim().toLowerCase());
    return (k === 'max-age' && Number(v) <= 0) || (k === 'expires' && Date.parse(v) < Date.now());
  });
  if (removed || value === '') jar.delete(name);
  else jar.set(name, value);
}

/** How long a page waits for the decision API before it renders its defaults. */
const API_TIMEOUT_MS = 2000;

/**
 * The API clients of one browser request: `client` for the shop's own same-origin calls (reading
 * consent, deciding, recording a page view while rendering it), `forms` for what the browser asked
 * for with a form post: it forwards the browser's own Origin / Sec-Fetch-Site, so the API's CSRF
 * check judges the browser's request. Both share the browser's cookies.
 *
 * @param {{ fetch(request: Request, env?: unknown): Response | Promise<Response> }} app the decision server's app
 * @param {import('hono').Context} c the browser's request
 * @param {{ edge?: { secret: { header: string, value: string }, headers: Record<string, string> }, simulation?: { userAgent: string, place: { country: string, city: string } } }} [options]
 */
export function apiClients(app, c, options = {}) {
  const jar = parseCookieHeader(c.req.header('cookie'));
  const origin = new URL(c.req.url).origin;

  /** A fetch for the client that sends its request to the API as this browser's. */
  const forwarding =
    (asBrowser) =>
    async (url, init = {}) => {
      const headers = new Headers(init.headers);
      for (const name of FORWARDED) {
        const value = c.req.header(name);
        if (value !== undefined) headers.set(name, value);
      }
      if (!asBrowser) {
        headers.set('origin', origin);
        headers.set('sec-fetch-site', 'same-origin');
      }
      const sim = options.simulation;
      if (sim) {
        headers.set('user-agent', sim.userAgent);
        for (const name of [...headers.keys()]) if (name.startsWith('sec-ch-ua')) headers.delete(name);
      }
      if (sim && options.edge) {
        // The shop is the trusted edge proxy of its decision API: only it can vouch for a place.
        headers.set(options.edge.secret.header, options.edge.secret.value);
        headers.set(options.edge.headers.country, sim.place.country);
        headers.set(options.edge.headers.city, encodeURIComponent(sim.place.city));
      }
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      if (cookie !== '') headers.set('cookie', cookie);
      const request = new Request(url, {
        method: init.method,
        headers,
        ...(init.body === undefined ? {} : { body: init.body }),
      });
      // No Node bindings: the API must read this request's headers, not the browser's original ones.
      const response = await app.fetch(request, {});
      for (const line of response.headers.getSetCookie()) {
        applySetCookie(jar, line);
        c.header('Set-Cookie', line, { append: true });
      }
      return response;
    };

  return {
    client: createClient({ baseUrl: origin, fetch: forwarding(false), timeoutMs: API_TIMEOUT_MS }),
    forms: createClient({ baseUrl: origin, fetch: forwarding(true), timeoutMs: API_TIMEOUT_MS }),
  };
}
