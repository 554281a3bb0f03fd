// Calls the mounted Tactful server in-process, on behalf of the browser whose request is being
// rendered: the same routes, the same checks, the person identified by their own signed cookie.

/** The headers of the browser's request that the decision server reads. */
const FORWARDED = [
  'cookie',
  'user-agent',
  'accept-language',
  'sec-gpc',
  'dnt',
  'sec-ch-ua',
  'sec-ch-ua-mobile',
  'sec-ch-ua-platform',
];

/**
 * A client of the Tactful app for one incoming request.
 *
 * @param {import('hono').Hono} app the Tactful server's Hono app
 * @param {import('express').Request} req the browser's request
 */
export function tactfulFor(app, req) {
  const origin = `${req.protocol}://${req.get('host')}`;
  const headers = { origin };
  for (const name of FORWARDED) {
    const value = req.get(name);
    if (value !== undefined) headers[name] = value;
  }
  const call = async (method, path, body) => {
    const response = await app.fetch(
      new Request(`${origin}${path}`, {
        method,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    if (!response.ok) throw new Error(`tactful: ${method} ${path} answered ${response.status}`);
    return response.json();
  };
  return {
    /** A decider for `@tactful/react`: the slots of the page, decided for this browser's person. */
    decider: { decide: (request) => call('POST', '/v1/decide', { slots: request.slots }) },
    /** What the person has granted now, read from the consent store through the server. */
    async consent() {
      const state = await call('GET', '/v1/consent');
      return {
        granted: Object.entries(state.purposes)
          .filter(([, p]) => p.status === 'granted')
          .map(([purpose]) => purpose),
      };
    },
  };
}

/** The value of one cookie of a request (the signed id cookie is who a cached page is for). */
export function cookieOf(req, name) {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
