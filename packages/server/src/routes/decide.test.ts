import { dntFromHeaders, gpcFromHeaders } from '@tactful/consent';
import { headerReader } from '@tactful/contextual';
import type { RequestContext } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Runtime } from '../runtime.js';
import { decisionContext } from './decide.js';

const EDGE = {
  headers: { country: 'x-edge-country', city: 'x-edge-city' },
  secret: { header: 'x-edge-secret', value: 'edge-secret-0123456789abcdef0123' },
};
const rt = { readHeaders: headerReader({ trustedProxy: EDGE }) } as unknown as Runtime;

/** A Hono context as the Node adapter gives it: Node's own header record and the socket. */
const contextOf = (headers: Record<string, string>) =>
  ({ env: { incoming: { headers, socket: { remoteAddress: '127.0.0.1' } } } }) as unknown as Parameters<
    typeof decisionContext
  >[1];

/** The rule as first written (rest pattern, spreads, deletes): the new code must give the same. */
function reference(
  headers: Record<string, string>,
  given: RequestContext | undefined,
  browser: boolean,
): RequestContext {
  const fromHeaders = rt.readHeaders(headers, { remoteAddress: '127.0.0.1' });
  const gpc = gpcFromHeaders(headers) || given?.gpc === true;
  const dnt = dntFromHeaders(headers) || given?.dnt === true;
  let context: RequestContext;
  if (browser) {
    const { userAgent: _u, clientHints: _h, acceptLanguage: _a, ...page } = given ?? {};
    context = { ...page, ...fromHeaders };
    if (page.timeZone !== undefined) context.timeZone = page.timeZone;
  } else {
    context = { ...given };
  }
  if (gpc) context.gpc = true;
  else delete context.gpc;
  if (dnt) context.dnt = true;
  else delete context.dnt;
  return context;
}

const givenArb = fc.record(
  {
    now: fc.constant('2026-12-03T19:30:00+07:00'),
    timeZone: fc.constantFrom('Asia/Ho_Chi_Minh', 'Europe/Paris'),
    userAgent: fc.string({ maxLength: 20 }),
    acceptLanguage: fc.constantFrom('en', 'vi-VN,vi;q=0.9'),
    clientHints: fc.constant({ 'sec-ch-ua-mobile': '?0' }),
    locale: fc.constantFrom('vi', 'en-GB'),
    url: fc.constant('https://shop.example/'),
    gpc: fc.boolean(),
    dnt: fc.boolean(),
    attributes: fc.constant({ campaign: 'tet' }),
  },
  { requiredKeys: [] },
);

const headersArb = fc.record(
  {
    'user-agent': fc.constantFrom('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)', 'curl/8'),
    'accept-language': fc.constantFrom('vi-VN,vi;q=0.9', 'fr'),
    'sec-ch-ua-mobile': fc.constantFrom('?1', '?0'),
    'sec-gpc': fc.constantFrom('1', '0'),
    dnt: fc.constantFrom('1', '0'),
    'x-edge-secret': fc.constantFrom(EDGE.secret.value, 'wrong'),
    'x-edge-country': fc.constant('VN'),
    'x-edge-city': fc.constant(encodeURIComponent('Hà Nội')),
  },
  { requiredKeys: [] },
);

describe('decisionContext', () => {
  it('gives, for every body context, header set and caller, what the first rule gave', () => {
    fc.assert(
      fc.property(
        headersArb,
        fc.option(givenArb, { nil: undefined }),
        fc.boolean(),
        (headers, given, browser) => {
          expect(decisionContext(rt, contextOf(headers), given as RequestContext, browser)).toStrictEqual(
            reference(headers, given as RequestContext, browser),
          );
        },
      ),
    );
  });

  it("takes a browser's agent, hints and languages from its headers only, and never drops a privacy signal", () => {
    fc.assert(
      fc.property(headersArb, givenArb, (headers, given) => {
        const got = decisionContext(rt, contextOf(headers), given as RequestContext, true);
        const fromHeaders = rt.readHeaders(headers, { remoteAddress: '127.0.0.1' });
        expect(got.userAgent).toBe(fromHeaders.userAgent);
        expect(got.acceptLanguage).toBe(fromHeaders.acceptLanguage);
        expect(got.clientHints).toStrictEqual(fromHeaders.clientHints);
        expect(got.gpc).toBe(headers['sec-gpc'] === '1' || given.gpc === true ? true : undefined);
        expect(got.dnt).toBe(headers.dnt === '1' || given.dnt === true ? true : undefined);
        expect('gpc' in got && got.gpc !== true).toBe(false);
      }),
    );
  });

  it("refuses a browser's own location", () => {
    expect(() =>
      decisionContext(rt, contextOf({}), { geo: { country: 'VN' } } as RequestContext, true),
    ).toThrow(/context\.geo/);
  });
});
