import { tokenDigest } from '@tactful/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Harness, PHONE_UA, startShop } from './helpers.js';

type Export = { subject: { id: string }; empty: boolean; sections: unknown[] };
const SERVICE_TOKEN = 'svc-token-0123456789abcdef0123456789abcdef';

describe('security of the decision server', () => {
  let shop: Harness | undefined;
  afterEach(async () => {
    await shop?.stop();
    shop = undefined;
    vi.restoreAllMocks();
  });

  it("never lets a browser reach another subject's data", async () => {
    shop = await startShop();
    const alice = shop.browser();
    const bob = shop.browser();
    await alice.json('/v1/consent', { body: { grant: ['personalization.profile'] } });
    await bob.json('/v1/consent', { body: { grant: ['personalization.profile'] } });
    await bob.json('/v1/me/preferences', { method: 'PATCH', body: { interests: ['bob-secret-topic'] } });
    const bobId = bob.cookies.get('tactful_id')!.split('.')[0]!;
    const aliceId = alice.cookies.get('tactful_id')!.split('.')[0]!;

    // A query parameter naming Bob is ignored: Alice gets her own export.
    const byQuery = await alice.json<Export>(`/v1/me/export?subject=${bobId}&subjectId=${bobId}`);
    expect(byQuery.body.subject.id).toBe(aliceId);
    expect(JSON.stringify(byQuery.body)).not.toContain('bob-secret-topic');

    // A body field naming Bob is refused outright.
    const byBody = await alice.json('/v1/decide', {
      body: { slots: [{ id: 'home.hero' }], subject: { id: bobId } },
    });
    expect(byBody.status).toBe(400);
    const rectifyBody = await alice.json('/v1/me/preferences', {
      method: 'PATCH',
      body: { interests: ['x'], subject: bobId },
    });
    expect(rectifyBody.status).toBe(400);

    // Bob's id in a cookie without a valid signature is no identity at all.
    const forger = shop.browser();
    forger.cookies.set('tactful_id', bobId);
    expect((await forger.json('/v1/me/export')).status).toBe(401);
    forger.cookies.set('tactful_id', `${bobId}.${alice.cookies.get('tactful_id')!.split('.')[1]}`);
    expect((await forger.json('/v1/me/export')).status).toBe(401);
    forger.cookies.set(
      'tactful_id',
      `${bobId}.${bob.cookies.get('tactful_id')!.split('.')[1]!.slice(0, -2)}AA`,
    );
    expect((await forger.json('/v1/me/export')).status).toBe(401);

    // A browser cannot borrow the service header.
    const viaHeader = await alice.json<Export>('/v1/me/export', { headers: { 'tactful-subject': bobId } });
    expect(viaHeader.body.subject.id).toBe(aliceId);

    // Erasure by Alice leaves Bob's data alone.
    expect((await alice.json('/v1/me', { method: 'DELETE' })).status).toBe(200);
    const bobs = await bob.json<Export>('/v1/me/export');
    expect(JSON.stringify(bobs.body)).toContain('bob-secret-topic');
  });

  it('lets a service act for the person it names, only with a configured token (hashed, constant-time)', async () => {
    shop = await startShop({
      patch: { server: { tokens: [{ name: 'backend', sha256: tokenDigest(SERVICE_TOKEN) }] } },
    });
    const service = shop.browser({ origin: null });
    const none = await service.json('/v1/me/export', { headers: { authorization: 'Bearer wrong-token' } });
    expect(none.status).toBe(401);
    expect(none.response.headers.get('www-authenticate')).toMatch(/Bearer/);
    const auth = { authorization: `Bearer ${SERVICE_TOKEN}`, 'tactful-subject': 'u-42' };
    const granted = await service.json('/v1/consent', {
      body: { grant: ['personalization.contextual'], method: 'api' },
      headers: { ...auth, origin: 'https://elsewhere.example' },
    });
    expect(granted.status).toBe(200);
    expect(service.lastSetCookie).toEqual([]);
    const exported = await service.json<Export>('/v1/me/export', { headers: auth });
    expect(exported.body.subject.id).toBe('u-42');
    const decision = await service.json<{ slots: Array<{ slot: string; content: unknown }> }>('/v1/decide', {
      headers: auth,
      body: { slots: [{ id: 'home.banner' }], context: { userAgent: PHONE_UA } },
    });
    expect(decision.body.slots[0]!.content).toEqual({ banner: 'app-download' });
    const badSubject = await service.json('/v1/me/export', {
      headers: { ...auth, 'tactful-subject': 'a b' },
    });
    expect(badSubject.status).toBe(400);
  });

  it('refuses cross-site state changes with 403 and changes nothing', async () => {
    shop = await startShop();
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.contextual'] } });
    const evil = { origin: 'https://evil.example' };
    const before = await b.json('/v1/consent');
    for (const [path, method, body] of [
      ['/v1/consent', 'POST', { deny: ['personalization.contextual'] }],
      ['/v1/consent/personalization.contextual', 'DELETE', undefined],
      ['/v1/consent', 'DELETE', undefined],
      ['/v1/me', 'DELETE', undefined],
      ['/v1/me/preferences', 'PATCH', { interests: ['evil'] }],
      ['/v1/session/events', 'POST', { events: [{ type: 'page_view' }] }],
      ['/v1/decide', 'POST', { slots: [{ id: 'home.hero' }] }],
    ] as const) {
      const r = await b.json<{ error: { code: string } }>(path, { method, body, headers: evil });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
    }
    // With the cookie but neither Origin nor Sec-Fetch-Site: refused too.
    const bare = shop.browser({ origin: null });
    bare.cookies.set('tactful_id', b.cookies.get('tactful_id')!);
    expect((await bare.json('/v1/me', { method: 'DELETE' })).status).toBe(403);
    expect(
      (await bare.json('/v1/me', { method: 'DELETE', headers: { 'sec-fetch-site': 'cross-site' } })).status,
    ).toBe(403);
    expect((await b.json('/v1/consent')).body).toEqual(before.body);
    expect((await b.json<Export>('/v1/me/export')).body.empty).toBe(false);
  });

  it('sets signed HttpOnly SameSite=Lax cookies, Secure outside localhost', async () => {
    shop = await startShop();
    const local = shop.browser();
    await local.json('/v1/consent', { body: { grant: ['personalization.session'] } });
    expect(local.lastSetCookie[0]).toMatch(
      /^tactful_id=v-[0-9a-f]{32}\.[0-9a-z]+\.[A-Za-z0-9_-]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    const remote = await shop.server.app.request('https://shop.example/v1/consent', {
      method: 'POST',
      headers: { origin: 'https://shop.example', 'content-type': 'application/json' },
      body: JSON.stringify({ grant: ['personalization.session'] }),
    });
    expect(remote.status).toBe(200);
    expect(remote.headers.getSetCookie()[0]).toMatch(/; Secure/);
  });

  it('caps bodies (413) and arrays (400)', async () => {
    shop = await startShop({ patch: { server: { limits: { bodyBytes: 2048 } } } });
    const b = shop.browser();
    const big = await b.json<{ error: { code: string } }>('/v1/decide', {
      body: { slots: [{ id: 'home.hero', default: { blob: 'x'.repeat(4096) } }] },
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const manySlots = await b.json('/v1/decide', {
      body: { slots: Array.from({ length: 51 }, (_, i) => ({ id: `s${i}` })) },
    });
    expect(manySlots.status).toBe(400);
    await b.json('/v1/consent', { body: { grant: ['personalization.session'] } });
    const manyEvents = await b.json<{ error: { issues: Array<{ path: unknown[] }> } }>('/v1/session/events', {
      body: { events: Array.from({ length: 51 }, () => ({ type: 'page_view' })) },
    });
    expect(manyEvents.status).toBe(400);
    expect(manyEvents.body.error.issues[0]!.path).toEqual(['events']);
    const notJson = await b.json('/v1/decide', {
      body: 'slots=1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(notJson.status).toBe(400);
    // A chunked body (no Content-Length) is counted as it streams in.
    const stream = (text: string) =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        },
      });
    const post = (text: string) =>
      fetch(`${shop!.url}/v1/decide`, {
        method: 'POST',
        headers: { origin: shop!.url, 'content-type': 'application/json' },
        body: stream(text),
        duplex: 'half',
      } as RequestInit);
    expect(
      (await post(JSON.stringify({ slots: [{ id: 'home.hero' }], traceId: 'y'.repeat(4096) }))).status,
    ).toBe(413);
    expect((await post(JSON.stringify({ slots: [{ id: 'home.hero' }] }))).status).toBe(200);
  });

  it('puts the security headers and no-store on every answer of the decide route, errors included', async () => {
    shop = await startShop({ patch: { server: { limits: { bodyBytes: 2048 } } } });
    const b = shop.browser();
    const answers = {
      decided: await b.fetch('/v1/decide', { body: { slots: [{ id: 'home.hero' }] } }),
      invalid: await b.fetch('/v1/decide', { body: { slots: [] } }),
      notJson: await b.fetch('/v1/decide', { body: 'slots=1', headers: { 'content-type': 'text/plain' } }),
      tooLarge: await b.fetch('/v1/decide', { body: { slots: [{ id: 'x'.repeat(4096) }] } }),
      crossSite: await shop.browser({ origin: 'https://evil.example' }).fetch('/v1/decide', {
        body: { slots: [{ id: 'home.hero' }] },
      }),
      badToken: await b.fetch('/v1/decide', {
        body: { slots: [{ id: 'home.hero' }] },
        headers: { authorization: 'Bearer not-a-known-token' },
      }),
    };
    const seen = Object.fromEntries(
      Object.entries(answers).map(([name, r]) => [
        name,
        {
          status: r.status,
          nosniff: r.headers.get('x-content-type-options'),
          referrer: r.headers.get('referrer-policy'),
          cache: r.headers.get('cache-control'),
          type: r.headers.get('content-type')?.split(';')[0],
        },
      ]),
    );
    const expected = (status: number) => ({
      status,
      nosniff: 'nosniff',
      referrer: 'no-referrer',
      cache: 'no-store',
      type: 'application/json',
    });
    expect(seen).toEqual({
      decided: expected(200),
      invalid: expected(400),
      notJson: expected(400),
      tooLarge: expected(413),
      crossSite: expected(403),
      badToken: expected(401),
    });
  });

  it('rate-limits export and erasure per person with 429 and Retry-After', async () => {
    shop = await startShop({ patch: { server: { limits: { rightsPerHour: 2 } } } });
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.profile'] } });
    expect((await b.json('/v1/me/export')).status).toBe(200);
    expect((await b.json('/v1/me/export')).status).toBe(200);
    const third = await b.json<{ error: { code: string } }>('/v1/me', { method: 'DELETE' });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('RATE_LIMITED');
    const wait = Number(third.response.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(3000);
    expect(wait).toBeLessThanOrEqual(3600);
    // Another person is not affected.
    const other = shop.browser();
    await other.json('/v1/consent', { body: { grant: ['personalization.profile'] } });
    expect((await other.json('/v1/me/export')).status).toBe(200);
  });

  it('believes location headers only from the trusted proxy', async () => {
    const secret = 'proxy-secret-0123456789';
    shop = await startShop({
      patch: {
        server: {
          trustedProxy: { preset: 'cloudflare', secret: { header: 'x-edge-secret', value: secret } },
        },
      },
    });
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.contextual'] } });
    const geo = { 'cf-ipcity': 'Hanoi', 'cf-ipcountry': 'VN' };
    const spoofed = await b.json<{ slots: Array<{ content: unknown; isDefault: boolean }> }>('/v1/decide', {
      body: { slots: [{ id: 'home.hero' }] },
      headers: geo,
    });
    expect(spoofed.body.slots[0]!.isDefault).toBe(true);
    expect(spoofed.body.slots[0]!.content).not.toEqual({ hero: 'hanoi' });
    const viaProxy = await b.json<{ slots: Array<{ content: unknown }> }>('/v1/decide', {
      body: { slots: [{ id: 'home.hero' }] },
      headers: { ...geo, 'x-edge-secret': secret },
    });
    expect(viaProxy.body.slots[0]!.content).toEqual({ hero: 'hanoi' });
    const inBody = await b.json('/v1/decide', {
      body: { slots: [{ id: 'home.hero' }], context: { geo: { city: 'Hanoi' } } },
    });
    expect(inBody.status).toBe(400);
  });

  it('honours Global Privacy Control: no personalization, no session kept, whatever was granted', async () => {
    shop = await startShop();
    const b = shop.browser();
    await b.json('/v1/consent', {
      body: { grant: ['personalization.contextual', 'personalization.session'] },
    });
    const gpc = { 'sec-gpc': '1' };
    const decision = await b.json<{
      slots: Array<{ isDefault: boolean }>;
      consent: { purposes: Record<string, { reason?: string }> };
    }>('/v1/decide', { body: { slots: [{ id: 'home.banner' }] }, headers: gpc });
    expect(decision.body.slots[0]!.isDefault).toBe(true);
    const events = await b.json('/v1/session/events', {
      body: { events: [{ type: 'page_view' }] },
      headers: gpc,
    });
    expect(events.body).toEqual({ recorded: 0, session: 'off', reason: 'gpc' });
    expect(b.cookies.has('tactful_session')).toBe(false);
    const state = await b.json<{ signals: { gpc: boolean } }>('/v1/consent', { headers: gpc });
    expect(state.body.signals.gpc).toBe(true);
  });

  it('logs no personal data: no subject id, address, user agent or body values', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const errors = vi
      .spyOn(console, 'error')
      .mockImplementation((...args) => void writes.push(args.join(' ')));
    const warns = vi.spyOn(console, 'warn').mockImplementation((...args) => void writes.push(args.join(' ')));
    shop = await startShop({ server: { log: undefined } });
    const ua = 'UniqueAgent/9.9 (tracking-test-agent)';
    const b = shop.browser({ userAgent: ua });
    await b.json('/v1/consent', { body: { grant: ['personalization.profile', 'personalization.session'] } });
    await b.json('/v1/me/preferences', { method: 'PATCH', body: { interests: ['very-private-topic'] } });
    await b.json('/v1/session/events', {
      body: { events: [{ type: 'search', target: 'private search words' }] },
    });
    await b.json('/v1/decide', { body: { slots: [{ id: 'home.hero' }] } });
    await b.json('/v1/me/export');
    await b.json('/v1/consent/personalization.nope', { method: 'POST' });
    await b.json('/v1/me', { method: 'DELETE' });
    const subject = b.cookies.get('tactful_id')!.split('.')[0]!;
    spy.mockRestore();
    errors.mockRestore();
    warns.mockRestore();
    const text = writes.join('\n');
    expect(text).toContain('"msg":"request"');
    expect(text).toContain('"route":"/v1/consent/:purpose"');
    for (const secret of [
      subject,
      '127.0.0.1',
      ua,
      'UniqueAgent',
      'very-private-topic',
      'private search words',
      'personalization.nope',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
  });
});
