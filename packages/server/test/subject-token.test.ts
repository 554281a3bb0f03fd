// Subject tokens: a page the site's server rendered for a known person decides for that person
// after hydration, and a browser can never say who it is. A hostile page script may send any
// header, body or token it likes: the decision is for the token's person only when the server
// issued that token for this very browser, and not yet expired; otherwise a typed 401/403.
import { tokenDigest } from '@tactful/server';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type Browser, type Harness, startShop } from './helpers.js';

const SERVICE_TOKEN = 'svc-token-0123456789abcdef0123456789abcdef';
const AUTH = { authorization: `Bearer ${SERVICE_TOKEN}` };
const CONTEXTUAL = 'personalization.contextual';
const BANNER = [{ id: 'home.banner', default: { banner: 'none' } }];

type Decision = {
  slots: Array<{ slot: string; content: unknown }>;
  consent: { purposes: Record<string, { status: string }> };
};
type Issued = { token: string; subject: string; expiresAt: string; setCookie?: string };
type Problem = { error: { code: string; message: string } };

let shop: Harness | undefined;
let other: Harness | undefined;
afterEach(async () => {
  await shop?.stop();
  await other?.stop();
  shop = undefined;
  other = undefined;
});

let clock = Date.UTC(2026, 5, 1, 12);
const now = () => clock;

async function start(): Promise<Harness> {
  const h = await startShop({
    patch: { server: { tokens: [{ name: 'web', sha256: tokenDigest(SERVICE_TOKEN) }] } },
    server: { now, secret: 'k'.repeat(40) },
  });
  // Alice granted contextual personalization (on another device, say): a phone gets the app banner.
  const service = h.browser({ origin: null });
  const granted = await service.json('/v1/consent', {
    body: { grant: [CONTEXTUAL], method: 'api' },
    headers: { ...AUTH, 'tactful-subject': 'alice' },
  });
  expect(granted.status).toBe(200);
  return h;
}

/** What the site's server does while rendering a page for `subject`: asks for a token for that browser. */
async function issue(h: Harness, page: Browser, subject = 'alice', ttlSeconds?: number): Promise<Issued> {
  const service = h.browser({ origin: null });
  const cookie = [...page.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const answer = await service.json<Issued>('/v1/subject-token', {
    headers: { ...AUTH, 'tactful-subject': subject },
    body: { ...(cookie === '' ? {} : { cookie }), ...(ttlSeconds === undefined ? {} : { ttlSeconds }) },
  });
  expect(answer.status).toBe(200);
  // The page's answer carries the id cookie the token is bound to, when the browser had none.
  if (answer.body.setCookie !== undefined) {
    const [pair = ''] = answer.body.setCookie.split(';');
    page.cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
  }
  return answer.body;
}

const decide = (page: Browser, headers: Record<string, string> = {}) =>
  page.json<Decision & Problem>('/v1/decide', { body: { slots: BANNER }, headers });

describe('subject tokens', () => {
  it("decides for the token's person in the browser it was issued for, and for nobody in particular without it", async () => {
    shop = await start();
    const page = shop.browser();
    const anonymous = await decide(page);
    expect(anonymous.body.slots[0]!.content).toEqual({ banner: 'none' });

    const issued = await issue(shop, page);
    expect(issued.subject).toBe('alice');
    expect(issued.setCookie).toMatch(/^tactful_id=.+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(Date.parse(issued.expiresAt) - clock).toBe(300_000);
    const forAlice = await decide(page, { 'tactful-subject-token': issued.token });
    expect(forAlice.status).toBe(200);
    expect(forAlice.body.slots[0]!.content).toEqual({ banner: 'app-download' });
    expect(forAlice.body.consent.purposes[CONTEXTUAL]?.status).toBe('granted');

    // A browser that already has an id cookie keeps it: the token is bound to it, no new cookie.
    const again = await issue(shop, page);
    expect(again.setCookie).toBeUndefined();
    expect((await decide(page, { 'tactful-subject-token': again.token })).status).toBe(200);
  });

  it('a hostile page script that names someone else reads nothing of theirs', async () => {
    shop = await start();
    const page = shop.browser();
    // The service's header, from a browser: ignored (a browser is known by its cookie only).
    const header = await decide(page, { 'tactful-subject': 'alice' });
    expect(header.body.slots[0]!.content).toEqual({ banner: 'none' });
    expect(header.body.consent.purposes[CONTEXTUAL]?.status).toBe('denied');
    // The subject in the body: refused.
    const body = await page.json<Problem>('/v1/decide', {
      body: { slots: BANNER, subject: { id: 'alice' } },
    });
    expect(body.status).toBe(400);
    // Issuing tokens is for services: a browser asking gets 403, even naming the person.
    const asked = await page.json<Problem>('/v1/subject-token', {
      body: {},
      headers: { 'tactful-subject': 'alice' },
    });
    expect(asked.status).toBe(403);
    expect(asked.body.error.code).toBe('FORBIDDEN');
  });

  it('refuses a forged, altered, expired, foreign or replayed token with its own code, never deciding for anyone', async () => {
    shop = await start();
    const page = shop.browser();
    const { token } = await issue(shop, page, 'alice', 60);
    const [prefix, expiry, , binding, mac] = token.split('.');
    const asBob = `${prefix}.${expiry}.${Buffer.from('bob').toString('base64url')}.${binding}.${mac}`;
    const later = `${prefix}.${(Number.parseInt(expiry!, 36) + 3000).toString(36)}.${token.split('.')[2]}.${binding}.${mac}`;
    const cases: Array<[string, string, number, string]> = [
      ['garbage', 'not-a-token', 401, 'SUBJECT_TOKEN_MALFORMED'],
      ['empty', ' ', 401, 'SUBJECT_TOKEN_MALFORMED'],
      ['huge', `st1.${'a'.repeat(5000)}`, 401, 'SUBJECT_TOKEN_MALFORMED'],
      ['another subject, same MAC', asBob, 401, 'SUBJECT_TOKEN_INVALID'],
      ['a later expiry, same MAC', later, 401, 'SUBJECT_TOKEN_INVALID'],
    ];
    for (const [what, value, status, code] of cases) {
      const r = await decide(page, { 'tactful-subject-token': value });
      expect(r.status, what).toBe(status);
      expect(r.body.error.code, what).toBe(code);
      expect(r.response.headers.get('www-authenticate'), what).toBe(`Tactful-Subject-Token error="${code}"`);
    }

    // Another browser (no id cookie, or its own): the token was not issued for it.
    const thief = shop.browser();
    const noCookie = await decide(thief, { 'tactful-subject-token': token });
    expect(noCookie.status).toBe(403);
    expect(noCookie.body.error.code).toBe('SUBJECT_TOKEN_WRONG_BROWSER');
    await issue(shop, thief, 'mallory');
    const ownCookie = await decide(thief, { 'tactful-subject-token': token });
    expect(ownCookie.body.error.code).toBe('SUBJECT_TOKEN_WRONG_BROWSER');

    // A server with another secret did not issue it.
    other = await startShop({
      patch: { server: { tokens: [{ name: 'web', sha256: tokenDigest(SERVICE_TOKEN) }] } },
      server: { now, secret: 'x'.repeat(40) },
    });
    const elsewhere = other.browser();
    const foreign = await decide(elsewhere, { 'tactful-subject-token': (await issue(shop, page)).token });
    expect(foreign.body.error.code).toBe('SUBJECT_TOKEN_INVALID');

    // Past its expiry (60 s): refused, and the message says how to get a new one.
    expect((await decide(page, { 'tactful-subject-token': token })).status).toBe(200);
    clock += 60_000;
    const expired = await decide(page, { 'tactful-subject-token': token });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('SUBJECT_TOKEN_EXPIRED');
    expect(expired.body.error.message).toMatch(/new token/);
  });

  it('is good for decisions only: any other route with a token is refused before it reads or changes anything', async () => {
    shop = await start();
    const page = shop.browser();
    const { token } = await issue(shop, page);
    const headers = { 'tactful-subject-token': token };
    for (const [path, method, body] of [
      ['/v1/me/export', 'GET', undefined],
      ['/v1/consent', 'GET', undefined],
      ['/v1/consent', 'DELETE', undefined],
      ['/v1/me', 'DELETE', undefined],
      ['/v1/session/events', 'POST', { events: [{ type: 'page_view' }] }],
    ] as const) {
      const r = await page.json<Problem>(path, { method, body, headers });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe('SUBJECT_TOKEN_AUDIENCE');
    }
    // Alice's consent is untouched.
    const service = shop.browser({ origin: null });
    const state = await service.json<{ purposes: Record<string, { status: string }> }>('/v1/consent', {
      headers: { ...AUTH, 'tactful-subject': 'alice' },
    });
    expect(state.body.purposes[CONTEXTUAL]?.status).toBe('granted');
    // A service sending a token is told to name the person with its header instead.
    const svc = await service.json<Problem>('/v1/decide', {
      body: { slots: BANNER },
      headers: { ...AUTH, 'tactful-subject': 'alice', ...headers },
    });
    expect(svc.status).toBe(400);
    expect(svc.body.error.code).toBe('SUBJECT_TOKEN_NOT_FOR_SERVICES');
  });

  it('issuing: needs the person named, and a lifetime from 30 s to an hour', async () => {
    shop = await start();
    const service = shop.browser({ origin: null });
    const unnamed = await service.json<Problem>('/v1/subject-token', { body: {}, headers: AUTH });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error.code).toBe('NO_SUBJECT');
    for (const ttlSeconds of [29, 3601, 1.5, '60']) {
      const r = await service.json<{ error: { code: string; issues: Array<{ path: unknown[] }> } }>(
        '/v1/subject-token',
        { body: { ttlSeconds }, headers: { ...AUTH, 'tactful-subject': 'alice' } },
      );
      expect(r.status, String(ttlSeconds)).toBe(400);
      expect(r.body.error.issues[0]?.path).toEqual(['ttlSeconds']);
    }
  });

  it('every change of one character of a token is refused, never a decision (property)', async () => {
    shop = await start();
    const page = shop.browser();
    const { token } = await issue(shop, page);
    const cookie = [...page.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const app = shop.server.app;
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.';
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), async (at, ch) => {
        fc.pre(token[at] !== ch);
        const changed = token.slice(0, at) + ch + token.slice(at + 1);
        const r = await app.request('/v1/decide', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            cookie,
            'tactful-subject-token': changed,
            origin: shop!.url,
          },
          body: JSON.stringify({ slots: BANNER }),
        });
        expect([401, 403]).toContain(r.status);
        const { error } = (await r.json()) as Problem;
        expect(error.code).toMatch(/^SUBJECT_TOKEN_/);
      }),
      { numRuns: 150 },
    );
  });
});
