// The client against a real @tactful/server on 127.0.0.1 (memory stores), and against a small
// stub server that answers 503 with Retry-After or never answers.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tactful } from '@tactful/config';
import {
  type ListeningServer,
  type TactfulServer,
  createServer as createTactfulServer,
} from '@tactful/server';
import { GARDEN_HERO, HERO_DEFAULT, PROFILE, browserFetch, gardener, shop } from '@tactful/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, createConsentBanner } from '../src/index.js';

const HERO = [{ id: 'home.hero', default: HERO_DEFAULT }];

let tactful: Tactful;
let server: TactfulServer;
let listening: ListeningServer;
let stub: Server;
let stubUrl: string;
let stubHits = 0;

beforeAll(async () => {
  tactful = await shop();
  server = await createTactfulServer(tactful, { log: false, secureCookies: false });
  listening = await server.listen({ port: 0, host: '127.0.0.1' });
  stub = createServer((request: IncomingMessage, response: ServerResponse) => {
    stubHits++;
    request.resume();
    if (request.url?.startsWith('/busy/')) {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '7' });
      response.end(
        JSON.stringify({ error: { code: 'OVERLOADED', message: 'the server is busy; retry in 7 seconds' } }),
      );
    } else if (request.url?.startsWith('/half/')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"traceId":"t","slots":['); // ... and nothing more
    }
    // '/hang/': never answers.
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
});

afterAll(async () => {
  stub?.closeAllConnections();
  await new Promise((resolve) => stub?.close(resolve));
  await server?.close();
  await tactful?.close();
});

describe('against a real @tactful/server', () => {
  it('decides, grants, personalizes, withdraws (the next decision is not personalized), exports and erases', async () => {
    const page = browserFetch(listening.url);
    const client = createClient({ baseUrl: listening.url, fetch: page.fetch });

    const before = await client.decide({ slots: HERO, context: { locale: 'vi-VN' } });
    expect(before.degraded).toBeUndefined();
    expect(before.slots).toMatchObject([{ slot: 'home.hero', content: HERO_DEFAULT }]);

    const asked = await client.consent();
    expect(asked.purposes[PROFILE]).toMatchObject({ status: 'denied', reason: 'no-record' });
    const all = Object.keys(asked.purposes);
    expect(all).toContain(PROFILE);
    const granted = await client.choose({ grant: all, noticeVersion: asked.noticeVersion, locale: 'vi-VN' });
    expect(granted.purposes[PROFILE]?.status).toBe('granted');
    expect(page.cookies.has('tactful_id')).toBe(true);
    expect(await client.purpose(PROFILE)).toMatchObject({ purpose: PROFILE, status: 'granted' });

    // The person declares an interest (the preference center's call).
    const declared = await client.declarePreferences({ interests: ['garden'] });
    expect(declared.changes).toEqual([
      { category: 'profile.preferences', holders: expect.arrayContaining([expect.any(String)]) },
    ]);

    const personalized = await client.decide({ slots: HERO });
    expect(personalized.slots[0]).toMatchObject({ content: GARDEN_HERO, isDefault: false });
    expect(personalized.purposesUsed).toContain(PROFILE);

    const withdrawn = await client.withdraw(PROFILE);
    expect(withdrawn.purposes[PROFILE]).toMatchObject({ status: 'denied', reason: 'withdrawn' });
    const after = await client.decide({ slots: HERO });
    expect(after.slots[0]).toMatchObject({ content: HERO_DEFAULT });
    expect(after.purposesUsed).not.toContain(PROFILE);

    await client.grant(PROFILE);
    expect((await client.decide({ slots: HERO })).slots[0]?.content).toEqual(GARDEN_HERO);
    const none = await client.withdrawAll();
    expect(Object.values(none.purposes).every((p) => p.status === 'denied')).toBe(true);
    expect((await client.decide({ slots: HERO })).slots[0]?.content).toEqual(HERO_DEFAULT);

    expect(await client.sendEvents([{ type: 'page_view', target: '/garden' }])).toEqual({
      recorded: 0,
      session: 'off',
      reason: 'no-consent',
    });
    await client.endSession();

    const exported = await client.exportData();
    expect(exported.empty).toBe(false);
    expect(JSON.stringify(exported.sections)).toContain('garden');

    const receipt = await client.erase();
    expect(receipt.alreadyErased).toBe(false);
    expect(receipt.erased).toBeGreaterThan(0);
    expect(JSON.stringify((await client.exportData()).sections)).not.toContain('garden');

    // The notice the server generates, in the format and language asked.
    const html = await client.notice({ format: 'html', lang: 'vi' });
    expect(html).toMatch(/<h[12]/);
    expect(html).toContain('Shop ABC');
    expect(await client.notice()).toMatch(/^# /m);
  });

  it("rejects with the server's code: an unknown purpose, a changed notice, no person yet, a foreign origin", async () => {
    const client = createClient({ baseUrl: listening.url, fetch: browserFetch(listening.url).fetch });
    await expect(client.exportData()).rejects.toMatchObject({ code: 'NO_SUBJECT', status: 401 });
    await expect(client.choose({ grant: ['marketing.nope'] })).rejects.toMatchObject({
      code: 'UNKNOWN_PURPOSE',
      status: 400,
      issues: [{ path: ['grant', 0] }],
    });
    await expect(client.choose({ grant: [PROFILE], noticeVersion: 'an-old-version' })).rejects.toMatchObject({
      code: 'CONFLICT',
      status: 409,
    });
    const foreign = createClient({
      baseUrl: listening.url,
      fetch: browserFetch('http://evil.example').fetch,
    });
    await expect(foreign.grant(PROFILE)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    // The decide path does not reject: the refusal shows as defaults.
    const refused = await foreign.decide({ slots: HERO });
    expect(refused.degraded).toMatchObject({ reason: 'rejected', code: 'FORBIDDEN', status: 403 });
    expect(refused.slots[0]?.content).toEqual(HERO_DEFAULT);
  });

  it('the consent banner records nothing pre-ticked, accept-all, and withdraw-all, each in one call', async () => {
    const page = browserFetch(listening.url);
    const client = createClient({ baseUrl: listening.url, fetch: page.fetch });
    const purposes = Object.keys((await client.consent()).purposes);
    const banner = createConsentBanner({ client, purposes });
    const states: boolean[][] = [];
    banner.subscribe((s) => states.push(Object.values(s.choices)));
    await banner.load();
    expect(Object.values(banner.getState().choices).every((v) => v === false)).toBe(true);
    await banner.acceptAll();
    expect(Object.values((await client.consent()).purposes).every((p) => p.status === 'granted')).toBe(true);
    await banner.withdrawAll();
    const after = await client.consent();
    expect(after.purposes[PROFILE]).toMatchObject({ status: 'denied', reason: 'withdrawn' });
    expect(banner.getState()).toMatchObject({ status: 'idle', error: undefined });
    expect(states.at(-1)?.every((v) => v === false)).toBe(true);
  });
});

describe('against a server that is overloaded or never answers', () => {
  it('503 with Retry-After: every slot its default, and no second request until the wait is over', async () => {
    const client = createClient({ baseUrl: `${stubUrl}/busy` });
    const hits = stubHits;
    const first = await client.decide({ slots: HERO });
    expect(first.slots).toMatchObject([{ slot: 'home.hero', content: HERO_DEFAULT, isDefault: true }]);
    expect(first.degraded).toMatchObject({
      reason: 'unavailable',
      code: 'OVERLOADED',
      status: 503,
      retryAfter: 7,
    });
    const second = await client.decide({ slots: HERO });
    expect(second.degraded?.reason).toBe('backing-off');
    expect(stubHits).toBe(hits + 1);
  });

  it('a server that never answers, or stops mid-body: defaults with reason "timeout"', async () => {
    for (const path of ['hang', 'half']) {
      const client = createClient({ baseUrl: `${stubUrl}/${path}`, timeoutMs: 200 });
      const decision = await client.decide({ slots: HERO });
      expect(decision.degraded?.reason, path).toBe('timeout');
      expect(decision.slots[0]?.content).toEqual(HERO_DEFAULT);
      await expect(client.consent()).rejects.toMatchObject({ code: 'TIMEOUT' });
    }
  });

  it('nothing listening: defaults with reason "network"', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const decision = await createClient({ baseUrl: `http://127.0.0.1:${port}` }).decide({ slots: HERO });
    expect(decision.degraded?.reason).toBe('network');
    expect(decision.slots[0]?.content).toEqual(HERO_DEFAULT);
  });
});

describe('a page the site rendered for a signed-in person, against a real @tactful/server', () => {
  const SERVICE = 'svc-token-0123456789abcdef0123456789abcdef';
  let known: Tactful;
  let knownServer: TactfulServer;
  let knownUrl: string;

  beforeAll(async () => {
    const { tokenDigest } = await import('@tactful/server');
    known = await shop({ server: { tokens: [{ name: 'web', sha256: tokenDigest(SERVICE) }] } });
    knownServer = await createTactfulServer(known, { log: false, secureCookies: false });
    knownUrl = (await knownServer.listen({ port: 0, host: '127.0.0.1' })).url;
    // Alice declared she likes gardening and granted profile personalization, on another device.
    await gardener(known, 'alice');
  });
  afterAll(async () => {
    await knownServer?.close();
    await known?.close();
  });

  /** The site's server rendering a page for `subject`: a token for that browser, and its cookie. */
  async function render(page: ReturnType<typeof browserFetch>, subject: string): Promise<string> {
    const cookie = [...page.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const answer = await fetch(`${knownUrl}/v1/subject-token`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SERVICE}`,
        'tactful-subject': subject,
        'content-type': 'application/json',
      },
      body: JSON.stringify(cookie === '' ? {} : { cookie }),
    });
    const issued = (await answer.json()) as { token: string; setCookie?: string };
    if (issued.setCookie !== undefined) {
      const [pair = ''] = issued.setCookie.split(';');
      page.cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return issued.token;
  }

  it('after hydration the client decides for her with the token, and a page that names her without it gets defaults', async () => {
    const page = browserFetch(knownUrl);
    const token = await render(page, 'alice');
    const client = createClient({ baseUrl: knownUrl, fetch: page.fetch, subjectToken: token });
    const forAlice = await client.decide({ slots: HERO, subject: { id: 'alice' } });
    expect(forAlice.degraded).toBeUndefined();
    expect(forAlice.slots[0]).toMatchObject({ content: GARDEN_HERO, isDefault: false });

    // The same page without the token (a script naming her): nothing sent, defaults.
    const bare = createClient({ baseUrl: knownUrl, fetch: page.fetch });
    const named = await bare.decide({ slots: HERO, subject: { id: 'alice' } });
    expect(named.slots[0]).toMatchObject({ content: HERO_DEFAULT, isDefault: true });
    expect(named.degraded?.code).toBe('SUBJECT_TOKEN_MISSING');
    // ... and its own decision is the anonymous browser's, not hers.
    expect((await bare.decide({ slots: HERO })).slots[0]).toMatchObject({ content: HERO_DEFAULT });
  });

  it("a token stolen into another browser, or altered to name someone else: defaults with the server's code", async () => {
    const victim = browserFetch(knownUrl);
    const token = await render(victim, 'alice');
    const thief = browserFetch(knownUrl);
    await render(thief, 'mallory');
    const stolen = await createClient({ baseUrl: knownUrl, fetch: thief.fetch, subjectToken: token }).decide({
      slots: HERO,
    });
    expect(stolen.slots[0]).toMatchObject({ content: HERO_DEFAULT, isDefault: true });
    expect(stolen.degraded).toMatchObject({
      reason: 'rejected',
      code: 'SUBJECT_TOKEN_WRONG_BROWSER',
      status: 403,
    });

    const parts = token.split('.');
    parts[2] = Buffer.from('bob').toString('base64url');
    const altered = await createClient({
      baseUrl: knownUrl,
      fetch: victim.fetch,
      subjectToken: parts.join('.'),
    }).decide({ slots: HERO, subject: { id: 'bob' } });
    expect(altered.slots[0]).toMatchObject({ content: HERO_DEFAULT, isDefault: true });
    expect(altered.degraded).toMatchObject({ code: 'SUBJECT_TOKEN_INVALID', status: 401 });
  });
});
