// Calls the mounted Tactful server in-process through `@tactful/client`, on behalf of the browser
// whose request is being rendered: the same routes, the same checks, the person identified by
// their own signed cookie.
import { createClient } from '@tactful/client';

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
 * The `@tactful/client` client of the Tactful app for one incoming request: its `fetch` hands the
 * request to the app in process, with the browser's cookies and headers.
 *
 * @param {import('hono').Hono} app the Tactful server's Hono app
 * @param {import('express').Request} req the browser's request
 */
export function tactfulFor(app, req) {
  const origin = `${req.protocol}://${req.get('host')}`;
  const forwarded = {};
  for (const name of FORWARDED) {
    const value = req.get(name);
    if (value !== undefined) forwarded[name] = value;
  }
  const client = createClient({
    baseUrl: origin,
    fetch: (url, init = {}) =>
      app.fetch(new Request(url, { ...init, headers: { ...init.headers, ...forwarded, origin } })),
  });
  return {
    /** A decider for `@tactful/react`: the client itself, deciding for this browser's person. */
    decider: client,
    /** What the person has granted now, read from the consent store through the server. */
    async consent() {
      const state = await client.consent();
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
