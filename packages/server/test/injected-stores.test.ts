import { createSessionStore } from '@tactful/anonymous-session';
import { type RateLimiter, TactfulError } from '@tactful/core';
import { afterEach, describe, expect, it } from 'vitest';
import { rateLimiter } from '../src/limits.js';
import { rmSync } from 'node:fs';
import { createServer } from '../src/index.js';
import { type Harness, PHONE_UA, shopAssembly, startShop } from './helpers.js';

const SLOTS = [{ id: 'home.banner' }, { id: 'home.categories' }];
type DecisionBody = { slots: Array<{ slot: string; isDefault: boolean; content?: unknown }> };

/** A store that answers with promises, as a remote one (Redis) does. */
function remote<T extends object>(inner: T, state: { down: boolean }): T {
  return new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        await new Promise((r) => setTimeout(r, 1));
        if (state.down) throw new Error('connection refused');
        return value.apply(target, args);
      };
    },
  });
}

const shops: Harness[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of shops.splice(0)) await s.stop();
  for (const c of cleanups.splice(0)) await c();
});

/** A cookie-keeping browser on `url` (the harness's, for a server made here). */
function browserFor(url: string) {
  const cookies = new Map<string, string>();
  return {
    cookies,
    async json<T = Record<string, unknown>>(path: string, init: { method?: string; body?: unknown } = {}) {
      const response = await fetch(url + path, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          'user-agent': PHONE_UA,
          origin: url,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(cookies.size > 0 ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        if (pair.slice(eq + 1) === '') cookies.delete(pair.slice(0, eq));
        else cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
    },
  };
}

describe('stores given to createServer', () => {
  it('two servers sharing one async session store and one limiter act as one (a hop keeps the session, the limit is shared)', async () => {
    const state = { down: false };
    const sessions = remote(createSessionStore(), state);
    const limit: RateLimiter = remote(rateLimiter({ limit: 2, windowMs: 3_600_000, now: Date.now }), state);
    const secret = 'injected-stores-test-secret-0123456789abcdef';
    // One assembly (one set of records), two servers, each with its own process-local state
    // unless given the shared stores.
    const { tactful, dir } = await shopAssembly();
    const servers = await Promise.all(
      [0, 1].map(async () => {
        const server = await createServer(tactful, { sessions, rightsLimit: limit, secret, log: false });
        const listening = await server.listen({ port: 0, host: '127.0.0.1' });
        return { server, url: listening.url };
      }),
    );
    cleanups.push(async () => {
      for (const s of servers) await s.server.close();
      await tactful.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const a = { browser: () => browserFor(servers[0]!.url) };
    const b = { browser: () => browserFor(servers[1]!.url) };
    const onA = a.browser();
    await onA.json('/v1/consent', {
      body: { grant: ['personalization.session', 'personalization.profile'] },
    });
    const recorded = await onA.json('/v1/session/events', {
      body: { events: [{ type: 'category_view', target: 'kids', topics: ['kids'] }] },
    });
    expect(recorded.body).toEqual({ recorded: 1, session: 'active' });
    // The same cookies on server B: the session id is verified (shared secret) and found (shared store).
    const onB = b.browser();
    for (const [k, v] of onA.cookies) onB.cookies.set(k, v);
    const decision = await onB.json<DecisionBody>('/v1/decide', { body: { slots: SLOTS } });
    const categories = decision.body.slots.find((s) => s.slot === 'home.categories');
    expect((categories?.content as { order: string[] } | undefined)?.order[0]).toBe('kids');
    // Each server would count on its own; with the shared limiter the limit of 2 holds for both.
    expect((await onA.json('/v1/me/export')).status).toBe(200);
    expect((await onB.json('/v1/me/export')).status).toBe(200);
    expect((await onA.json('/v1/me/export')).status).toBe(429);
  });

  it('a session store that is down: decisions go on without the session, session writes and rights requests get 503', async () => {
    const state = { down: false };
    const sessions = remote(createSessionStore(), state);
    const limit: RateLimiter = remote(rateLimiter({ limit: 5, windowMs: 3_600_000, now: Date.now }), state);
    const shop = await startShop({ server: { sessions, rightsLimit: limit } });
    shops.push(shop);
    const b = shop.browser();
    await b.json('/v1/consent', {
      body: { grant: ['personalization.session', 'personalization.contextual'] },
    });
    await b.json('/v1/session/events', {
      body: { events: [{ type: 'category_view', target: 'kids', topics: ['kids'] }] },
    });
    state.down = true;
    const decision = await b.json<DecisionBody>('/v1/decide', { body: { slots: SLOTS } });
    expect(decision.status).toBe(200);
    expect(decision.body.slots.find((s) => s.slot === 'home.categories')?.isDefault).toBe(true);
    expect(decision.body.slots.find((s) => s.slot === 'home.banner')?.content).toEqual({
      banner: 'app-download',
    });
    expect(shop.logs.some((l) => l.msg === 'session-store-unavailable')).toBe(true);
    const events = await b.json<{ error: { code: string } }>('/v1/session/events', {
      body: { events: [{ type: 'page_view' }] },
    });
    expect(events.status).toBe(503);
    expect((await b.json('/v1/me/export')).status).toBe(503);
    state.down = false;
    expect((await b.json('/v1/me/export')).status).toBe(200);
  });

  it('refuses a session store that is not one, naming the option', async () => {
    await expect(startShop({ server: { sessions: {} as never } })).rejects.toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(TactfulError).toBeDefined();
  });
});
