import { request as httpRequest } from 'node:http';
import type { Tactful } from '@tactful/config';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Harness, sleep, startShop } from './helpers.js';

type DecisionBody = {
  slots: Array<{ isDefault: boolean; content: unknown; strategy: string }>;
  consent: { purposes: Record<string, { status: string; reason?: string }> };
  dropped: Array<{ plugin: string }>;
};

const PLUGINS = [
  { module: './hostile-plugins.mjs', export: 'hostileConsent' },
  { module: './hostile-plugins.mjs', export: 'hostileStrategy' },
  { module: './hostile-plugins.mjs', export: 'observerStrategy' },
];

describe('trust boundaries over HTTP', () => {
  let shop: Harness | undefined;
  afterEach(async () => {
    await shop?.stop();
    shop = undefined;
    vi.restoreAllMocks();
  });

  it('plugins loaded from the configuration cannot rewrite the request for the gate or other plugins', async () => {
    const seen: unknown[] = [];
    (globalThis as { __tactfulSeen?: unknown[] }).__tactfulSeen = seen;
    shop = await startShop({ patch: { plugins: PLUGINS } });
    const b = shop.browser();
    await b.json('/v1/consent', {
      body: { grant: ['personalization.contextual', 'personalization.profile'] },
    });
    const body = {
      slots: [{ id: 'home.banner', default: { title: 'Welcome' } }],
      context: { url: 'https://shop.example/' },
    };
    // Without GPC the phone gets the mobile banner; with GPC nothing is personalized, whatever
    // the hostile consent provider (registered before the GPC provider) does to the context.
    const plain = await b.json<DecisionBody>('/v1/decide', { body });
    expect(plain.body.slots[0]!.isDefault).toBe(false);
    const gpc = await b.json<DecisionBody>('/v1/decide', { body, headers: { 'sec-gpc': '1' } });
    expect(gpc.status).toBe(200);
    expect(gpc.body.slots[0]!.isDefault).toBe(true);
    expect(gpc.body.consent.purposes['personalization.contextual']!.status).toBe('denied');
    // The observer, after the hostile strategy, saw the page and default as the browser sent them.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual({
      data: { 'context.page': { url: 'https://shop.example/' } },
      slots: [{ id: 'home.banner', default: { title: 'Welcome' } }],
    });
    // The person's own export, not "victim"'s: the subject the server verified is the one used.
    const id = b.cookies.get('tactful_id')!.split('.')[0]!;
    const exported = await b.json<{ subject: { id: string } }>('/v1/me/export');
    expect(exported.body.subject.id).toBe(id);
  });

  it("judges consent by the server's clock: an expired grant stays expired whatever context.now says", async () => {
    let tactful: Tactful | undefined;
    shop = await startShop({
      wrap: (t) => {
        tactful = t;
        return t;
      },
    });
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.contextual'] } });
    const body = { slots: [{ id: 'home.banner' }] };
    expect((await b.json<DecisionBody>('/v1/decide', { body })).body.slots[0]!.isDefault).toBe(false);
    // A grant that lapses in a moment (a record written with an expiry, as another tool might).
    const id = b.cookies.get('tactful_id')!.split('.')[0]!;
    const latest = (await tactful!.consentStore.latest(id)).get('personalization.contextual')!;
    await tactful!.consentStore.append({
      subject: id,
      purpose: 'personalization.contextual',
      status: 'granted',
      method: latest.method,
      ...(latest.notice ? { notice: latest.notice } : {}),
      expiresAt: new Date(Date.now() + 300).toISOString(),
    });
    await sleep(400);
    for (const hoursAgo of [0, 2, 24 * 365]) {
      const now = new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
      const answer = await b.json<DecisionBody>('/v1/decide', { body: { ...body, context: { now } } });
      expect(answer.status).toBe(200);
      expect(answer.body.slots[0]!.isDefault).toBe(true);
      expect(answer.body.consent.purposes['personalization.contextual']).toMatchObject({
        status: 'denied',
        reason: 'expired',
      });
    }
  });

  it('refuses __proto__, constructor and prototype keys in every body with 400 and the path, changing nothing', async () => {
    shop = await startShop();
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.profile'] } });
    await b.json('/v1/me/preferences', { method: 'PATCH', body: { interests: ['tea'] } });
    const before = await b.json('/v1/me/export');
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const bodies: Array<[string, string, string]> = [
        ['PATCH', '/v1/me/preferences', `{"interests": ["x"], "${key}": {"interests": ["y"]}}`],
        ['POST', '/v1/decide', `{"slots": [{"id": "home.hero", "default": {"${key}": {"a": 1}}}]}`],
        ['POST', '/v1/consent', `{"grant": ["measurement"], "${key}": {}}`],
        ['POST', '/v1/session/events', `{"events": [{"type": "page_view", "${key}": {"x": 1}}]}`],
      ];
      for (const [method, path, body] of bodies) {
        const answer = await b.json<{ error: { code: string; issues: Array<{ path: unknown[] }> } }>(path, {
          method,
          body,
        });
        expect(answer.status, `${method} ${path} ${key}`).toBe(400);
        expect(answer.body.error.code).toBe('INVALID_REQUEST');
        expect(answer.body.error.issues[0]!.path.at(-1)).toBe(key);
      }
    }
    // The data held is unchanged (the audit section grows by the export requests themselves).
    type Sections = { sections: Array<{ kind: string }> };
    const held = (doc: Sections) => doc.sections.filter((s) => s.kind !== 'audit');
    const after = await b.json<Sections>('/v1/me/export');
    expect(held(after.body)).toEqual(held(before.body as Sections));
  });

  it('answers 400 with a path, never 500 or a RangeError, for bodies nested thousands of levels deep', async () => {
    shop = await startShop();
    const b = shop.browser();
    for (const depth of [40, 70, 5000]) {
      const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      const answer = await b.json<{ error: { code: string } }>('/v1/decide', {
        body: `{"slots": [{"id": "home.hero", "default": ${deep}}]}`,
      });
      expect(answer.status, `depth ${depth}`).toBe(400);
      expect(answer.body.error.code).toBe('INVALID_REQUEST');
    }
    const arrays = `{"slots": [{"id": "home.hero", "default": ${'['.repeat(10_000)}${']'.repeat(10_000)}}]}`;
    expect((await b.json('/v1/decide', { body: arrays })).status).toBe(400);
    // The server still answers normally.
    expect((await b.json('/v1/decide', { body: { slots: [{ id: 'home.hero' }] } })).status).toBe(200);
  });

  it("refuses a cookie of the wrong kind or past its lifetime: the session cookie is never the person's id", async () => {
    let t = Date.now();
    shop = await startShop({ server: { now: () => t } });
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.session', 'personalization.profile'] } });
    await b.json('/v1/session/events', { body: { events: [{ type: 'page_view' }] } });
    const session = b.cookies.get('tactful_session');
    const id = b.cookies.get('tactful_id')!;
    expect(session).toBeDefined();
    expect((await b.json('/v1/me/export')).status).toBe(200);
    // The session cookie's value presented as the id cookie is no identity.
    const swapped = shop.browser();
    swapped.cookies.set('tactful_id', session!);
    expect((await swapped.json('/v1/me/export')).status).toBe(401);
    // An id cookie past 180 days is refused server-side, whatever the browser kept.
    t += 181 * 86_400_000;
    const stale = shop.browser();
    stale.cookies.set('tactful_id', id);
    expect((await stale.json('/v1/me/export')).status).toBe(401);
  });

  it('refuses dot segments in the raw path (plain or percent-encoded) instead of routing them elsewhere', async () => {
    shop = await startShop();
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.profile'] } });
    const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const url = new URL(shop.url);
    // fetch() would resolve the dots itself; send the request line exactly as a client could.
    const raw = (path: string, method = 'DELETE') =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: url.hostname, port: url.port, path, method, headers: { cookie, origin: shop!.url } },
          (res) => {
            let body = '';
            res.on('data', (d) => {
              body += d;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    for (const path of [
      '/v1/consent/x/../../me',
      '/v1/consent/x/%2e%2e/%2E%2E/me',
      '/v1/consent/x/.%2e/.%2e/me',
      '/v1/consent/./x',
      '/v1/consent/x%2f..%2f..%2fme',
    ]) {
      const answer = await raw(path);
      expect(answer.status, path).toBe(400);
      expect(JSON.parse(answer.body).error.code).toBe('INVALID_REQUEST');
    }
    // Nothing was erased, and a dot inside a segment is fine.
    expect((await b.json('/v1/me/export')).status).toBe(200);
    expect((await raw('/v1/consent/personalization.profile', 'GET')).status).not.toBe(400);
  });

  it('marks every personal answer Cache-Control: no-store (decisions, consent, export, session, errors)', async () => {
    shop = await startShop();
    const b = shop.browser();
    const answers = [
      await b.fetch('/v1/consent', {
        body: { grant: ['personalization.profile', 'personalization.session'] },
      }),
      await b.fetch('/v1/consent'),
      await b.fetch('/v1/decide', { body: { slots: [{ id: 'home.hero' }] } }),
      await b.fetch('/v1/session/events', { body: { events: [{ type: 'page_view' }] } }),
      await b.fetch('/v1/me/preferences', { method: 'PATCH', body: { interests: ['tea'] } }),
      await b.fetch('/v1/me/export'),
      await b.fetch('/v1/decide', { body: { slots: [] } }),
      await b.fetch('/v1/consent/measurement', { method: 'DELETE' }),
    ];
    for (const answer of answers) expect(answer.headers.get('cache-control'), answer.url).toBe('no-store');
    // The notice is public and may be cached.
    expect((await b.fetch('/v1/notice')).headers.get('cache-control')).not.toBe('no-store');
  });

  it('records source, method and notice version for every grant, refusal and withdrawal made over HTTP', async () => {
    let tactful: Tactful | undefined;
    shop = await startShop({
      wrap: (t) => {
        tactful = t;
        return t;
      },
    });
    const b = shop.browser();
    const choices = await b.json('/v1/consent', {
      body: {
        grant: ['personalization.profile', 'personalization.contextual'],
        deny: ['personalization.session'],
      },
    });
    expect(choices.status, JSON.stringify(choices.body)).toBe(200);
    const id = b.cookies.get('tactful_id')!.split('.')[0]!;
    expect((await b.json('/v1/consent/personalization.contextual', { method: 'DELETE' })).status).toBe(200);
    expect((await b.json('/v1/consent', { method: 'DELETE' })).status).toBe(200);
    const history = await tactful!.consentStore.history(id);
    expect(history.map((r) => [r.purpose, r.status])).toEqual([
      ['personalization.profile', 'granted'],
      ['personalization.contextual', 'granted'],
      ['personalization.session', 'denied'],
      ['personalization.contextual', 'withdrawn'],
      ['personalization.profile', 'withdrawn'],
    ]);
    const version = tactful!.notice.version;
    for (const r of history) {
      expect(r.source, r.purpose).toBe('server:browser');
      expect(r.notice?.version, r.purpose).toBe(version);
    }
    // The banner's choices say so; withdrawals from the browser's own controls are not "api".
    expect(history.map((r) => r.method)).toEqual([
      'banner',
      'banner',
      'banner',
      'preference-center',
      'preference-center',
    ]);
  });

  it("puts the current anonymous session's events in the export of the browser that holds its cookie", async () => {
    shop = await startShop();
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.session', 'personalization.profile'] } });
    await b.json('/v1/session/events', {
      body: { events: [{ type: 'product_view', target: '/p/teapot-42', topics: ['kitchen'] }] },
    });
    const exported = await b.json<{
      empty: boolean;
      sections: Array<{ kind: string; name: string; data?: unknown }>;
    }>('/v1/me/export');
    const section = exported.body.sections.find((s) => s.name === 'anonymous-session');
    expect(section).toBeDefined();
    expect(JSON.stringify(section!.data)).toContain('/p/teapot-42');
    expect(exported.body.empty).toBe(false);
    // Another browser's export does not carry it.
    const other = shop.browser();
    await other.json('/v1/consent', { body: { grant: ['personalization.profile'] } });
    expect(JSON.stringify((await other.json('/v1/me/export')).body)).not.toContain('teapot-42');
  });

  it("gives rights requests the deadlines and law of the configuration's jurisdictions", async () => {
    shop = await startShop({ patch: { jurisdictions: ['EU'] } });
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.profile'] } });
    const exported = await b.json<{
      request: { jurisdiction: string; law: string; dueAt: string; receivedAt: string };
    }>('/v1/me/export');
    expect(exported.body.request.jurisdiction).toBe('EU');
    expect(exported.body.request.law).toMatch(/GDPR|2016\/679/);
    const receipt = await b.json<{ request: { jurisdiction: string } }>('/v1/me', { method: 'DELETE' });
    expect(receipt.body.request.jurisdiction).toBe('EU');
  });

  it('puts every rectification and rights request in the audit trail', async () => {
    shop = await startShop();
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.profile'] } });
    expect(
      (await b.json('/v1/me/preferences', { method: 'PATCH', body: { interests: ['tea'] } })).status,
    ).toBe(200);
    await b.json('/v1/me/export');
    const exported = await b.json<{
      sections: Array<{ kind: string; data?: { entries?: Array<{ rights?: unknown }> } }>;
    }>('/v1/me/export');
    const audit = exported.body.sections.find((s) => s.kind === 'audit');
    const rights = (audit?.data?.entries ?? []).map((e) => e.rights).filter(Boolean);
    expect(rights).toEqual([
      { type: 'rectification', requestId: expect.any(String), categories: ['profile.preferences'] },
      { type: 'access', requestId: expect.any(String) },
    ]);
  });
});
