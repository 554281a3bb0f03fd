// The shop's pages call the decision server's HTTP API in process (`server.app.fetch`), on behalf
// of the browser that asked for the page: its cookies, language and privacy signals go along, and
// the cookies the API sets come back to the browser. The API's own rules (consent before the
// session cookie, CSRF checks, rate limits, one's own data only) therefore hold for the pages too.

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

/**
 * An API client for one browser request.
 *
 * @param {{ fetch(request: Request, env?: unknown): Response | Promise<Response> }} app the decision server's app
 * @param {import('hono').Context} c the browser's request
 * @param {{ edge?: { secret: { header: string, value: string }, headers: Record<string, string> }, simulation?: { userAgent: string, place: { country: string, city: string } } }} [options]
 */
export function apiClient(app, c, options = {}) {
  const jar = parseCookieHeader(c.req.header('cookie'));
  const origin = new URL(c.req.url).origin;

  /**
   * Calls the API. `asBrowser: true` forwards the browser's own Origin / Sec-Fetch-Site (form
   * posts: the CSRF check then judges the browser's request); otherwise the call is the shop's
   * own, same-origin one (recording a page view while rendering it).
   */
  async function call(method, path, body, { asBrowser = false } = {}) {
    const headers = new Headers();
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
    if (body !== undefined) headers.set('content-type', 'application/json');
    const request = new Request(new URL(path, origin), {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // No Node bindings: the API must read this request's headers, not the browser's original ones.
    const response = await app.fetch(request, {});
    for (const line of response.headers.getSetCookie()) {
      applySetCookie(jar, line);
      c.header('Set-Cookie', line, { append: true });
    }
    const type = response.headers.get('content-type') ?? '';
    const data = type.includes('json') ? await response.json() : await response.text();
    return { status: response.status, ok: response.ok, data, headers: response.headers };
  }

  return {
    call,
    /** The value of a cookie as the browser will hold it after this request. */
    cookie: (name) => jar.get(name),
  };
}
