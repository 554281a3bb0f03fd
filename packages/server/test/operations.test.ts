import type { Tactful } from '@tactful/config';
import { DecideBodySchema, OPERATIONS, SessionEventsBodySchema } from '@tactful/server';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Harness, sleep, startShop } from './helpers.js';

/** The assembly with a decide that waits `ms` first (an in-flight request that takes a while). */
const slowEngine =
  (ms: number) =>
  (tactful: Tactful): Tactful => ({
    ...tactful,
    engine: {
      ...tactful.engine,
      decide: async (...args: Parameters<Tactful['engine']['decide']>) => {
        await sleep(ms);
        return tactful.engine.decide(...args);
      },
    },
  });

describe('operations of the decision server', () => {
  let shop: Harness | undefined;
  afterEach(async () => {
    await shop?.stop();
    shop = undefined;
  });

  it('serves default content with a reason when the consent store cannot be read, and is not ready', async () => {
    shop = await startShop();
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.contextual'] } });
    const store = shop.server.tactful.consentStore as { latest: (s: string) => Promise<unknown> };
    const latest = store.latest;
    store.latest = async () => {
      throw new Error('database is locked');
    };
    try {
      const r = await b.json<{
        slots: Array<{ isDefault: boolean }>;
        degraded?: { reason: string };
        purposesUsed: string[];
      }>('/v1/decide', { body: { slots: [{ id: 'home.banner' }, { id: 'home.hero' }] } });
      expect(r.status).toBe(200);
      expect(r.body.slots.every((s) => s.isDefault)).toBe(true);
      expect(r.body.purposesUsed).toEqual([]);
      expect(r.body.degraded?.reason).toBe('consent-unavailable');
      const ready = await b.json<{ error: { code: string } }>('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.response.headers.get('retry-after')).toBe('5');
      const state = await b.json('/v1/consent');
      expect(state.status).toBe(503);
      expect(state.response.headers.get('retry-after')).toBeTruthy();
    } finally {
      store.latest = latest;
    }
    // Readiness is checked at most every 1.5 s: it recovers within that.
    await expect
      .poll(async () => (await b.json('/readyz')).body, { timeout: 5000, interval: 250 })
      .toEqual({
        status: 'ready',
      });
  });

  it('records every choice of POST /v1/consent in one write: a failing store leaves none of them, and the answer says so', async () => {
    shop = await startShop();
    const b = shop.browser();
    const store = shop.server.tactful.consentStore as unknown as Record<string, (...a: unknown[]) => unknown>;
    const saved = { append: store.append!, appendAll: store.appendAll! };
    // The disk fills after one record: writing a second fails (a batch is atomic by the store's contract).
    let records = 0;
    store.append = (...args: unknown[]) =>
      records++ >= 1 ? Promise.reject(new Error('database or disk is full')) : saved.append(...args);
    store.appendAll = (...args: unknown[]) =>
      (args[0] as unknown[]).length + records > 1
        ? Promise.reject(new Error('database or disk is full'))
        : saved.appendAll(...args);
    try {
      const purposes = Object.keys(shop.server.tactful.notice.purposes).slice(0, 3);
      const r = await b.json<{ recorded: boolean; error: { code: string; message: string } }>('/v1/consent', {
        body: { grant: purposes },
      });
      expect(r.status).toBe(503);
      expect(r.body.recorded).toBe(false);
      expect(r.body.error.message).toMatch(/nothing was recorded/);
      expect(r.response.headers.get('retry-after')).toBeTruthy();
      const state = await b.json<{ purposes: Record<string, { status: string; reason: string }> }>(
        '/v1/consent',
      );
      expect(state.status, JSON.stringify(state.body)).toBe(200);
      for (const p of purposes) expect(state.body.purposes[p]?.status).toBe('denied');
    } finally {
      Object.assign(store, saved);
    }
  });

  it('answers 503 with Retry-After past the concurrency bound instead of queueing', async () => {
    shop = await startShop({ patch: { server: { limits: { maxConcurrent: 2 } } }, wrap: slowEngine(1500) });
    const b = shop.browser();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => b.fetch('/v1/decide', { body: { slots: [{ id: 'home.hero' }] } })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(2);
    expect(statuses.filter((s) => s === 503)).toHaveLength(4);
    const refused = answers.find((r) => r.status === 503)!;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('OVERLOADED');
    // Once the slots are free again, requests are served.
    expect((await b.fetch('/v1/decide', { body: { slots: [{ id: 'home.hero' }] } })).status).toBe(200);
  });

  it('shuts down gracefully: in-flight requests finish, new connections are refused', async () => {
    let decidedAt = 0;
    shop = await startShop({
      wrap: (tactful) => {
        const slow = slowEngine(400)(tactful);
        return {
          ...slow,
          engine: {
            ...slow.engine,
            decide: async (...args: Parameters<Tactful['engine']['decide']>) => {
              const decision = await slow.engine.decide(...args);
              decidedAt = performance.now();
              return decision;
            },
          },
        };
      },
    });
    const b = shop.browser();
    const inFlight = b.fetch('/v1/decide', { body: { slots: [{ id: 'home.hero' }] } });
    await sleep(100);
    let closedAt = 0;
    const closing = shop.listening.close().then(() => {
      closedAt = performance.now();
    });
    await sleep(20);
    const refused = await fetch(`${shop.url}/healthz`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect(refused).toBe('refused');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { slots: unknown[] }).slots).toHaveLength(1);
    await closing;
    // close() resolved only after the in-flight decision was made and answered.
    expect(decidedAt).toBeGreaterThan(0);
    expect(closedAt).toBeGreaterThanOrEqual(decidedAt);
    expect(shop.logs.some((l) => l.msg === 'shutdown')).toBe(true);
  });

  it('publishes an OpenAPI document generated from the schemas the routes validate with', async () => {
    shop = await startShop();
    const { status, body } = await shop.browser().json<{
      openapi: string;
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
    }>('/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const { $schema: _a, ...decide } = z.toJSONSchema(DecideBodySchema, {
      io: 'input',
      unrepresentable: 'any',
    });
    expect(body.paths['/v1/decide']!.post!.requestBody!.content['application/json']!.schema).toEqual(
      JSON.parse(JSON.stringify(decide)),
    );
    const { $schema: _b, ...events } = z.toJSONSchema(SessionEventsBodySchema, {
      io: 'input',
      unrepresentable: 'any',
    });
    expect(body.paths['/v1/session/events']!.post!.requestBody!.content['application/json']!.schema).toEqual(
      JSON.parse(JSON.stringify(events)),
    );
    // Every route the app answers is documented, and every documented route is answered.
    const served = new Set(
      shop.server.app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(OPERATIONS.map((o) => `${o.method} ${o.path}`));
    served.delete('get /openapi.json');
    expect([...served].sort()).toEqual([...documented].sort());
  });

  it('serves the privacy notice in English and Vietnamese as Markdown, HTML and JSON', async () => {
    shop = await startShop();
    const b = shop.browser();
    const md = await b.fetch('/v1/notice?lang=en&format=md');
    expect(md.headers.get('content-type')).toMatch(/text\/markdown/);
    expect(await md.text()).toMatch(/^# .*Shop ABC/m);
    const vi = await b.fetch('/v1/notice?lang=vi&format=html');
    expect(vi.headers.get('content-type')).toMatch(/text\/html/);
    expect(vi.headers.get('content-language')).toBe('vi');
    const html = await vi.text();
    expect(html).toContain('lang="vi"');
    expect(html).not.toMatch(/<script/i);
    const json = await b.json<{ version: string; purposes: Record<string, unknown> }>(
      '/v1/notice?format=json',
    );
    expect(json.body.version).toBe(shop.server.tactful.notice.version);
    expect(Object.keys(json.body.purposes)).toContain('personalization.session');
    const bad = await b.json<{ error: { issues: Array<{ path: string[] }> } }>('/v1/notice?lang=fr');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0]!.path).toEqual(['lang']);
  });

  it('serves GPC support, liveness and readiness', async () => {
    shop = await startShop({ server: { gpcLastUpdate: '2026-11-01' } });
    const b = shop.browser();
    const gpc = await b.json<{ gpc: boolean; lastUpdate: string }>('/.well-known/gpc.json');
    expect(gpc.body.gpc).toBe(true);
    expect(gpc.body).toEqual({ gpc: true, lastUpdate: '2026-11-01' });
    expect((await b.json('/healthz')).body).toEqual({ status: 'ok' });
    expect((await b.json('/readyz')).body).toEqual({ status: 'ready' });
    const missing = await b.json<{ error: { code: string } }>('/v2/decide');
    expect(missing.status).toBe(404);
    for (const r of [gpc.response, missing.response]) {
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});
