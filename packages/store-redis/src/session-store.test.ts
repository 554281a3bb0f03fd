import { SESSION_STORE_CONFORMANCE } from '@tactful/anonymous-session';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSessionStore } from './session-store.js';
import { TEST_REDIS_URL, freshPrefix, keysUnder, testRedis } from './test-redis.js';

let redis: Redis;
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(() => redis.quit());
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('redisSessionStore conformance', () => {
  for (const c of SESSION_STORE_CONFORMANCE)
    it(c.name, () =>
      c.run({
        create: (o) => redisSessionStore({ redis, keyPrefix: freshPrefix('conf'), ...o }),
        advance: sleep,
      }),
    );
});

describe('redisSessionStore', () => {
  it('leaves no key behind once a session expires, ends or rotates (P7)', async () => {
    const prefix = freshPrefix('p7');
    const store = redisSessionStore({ redis, keyPrefix: prefix, ttlMs: 1000 });
    const idle = await store.open();
    await store.record(idle.id, { type: 'product_view', target: 'p-1', topics: ['kids'] });
    const ended = await store.open();
    await store.record(ended.id, { type: 'page_view' });
    await store.end(ended.id);
    const rotated = await store.open();
    await store.record(rotated.id, { type: 'page_view' });
    const next = await store.rotate(rotated.id, { keepEvents: true });
    expect((await keysUnder(redis, prefix)).sort()).toEqual(
      [...store.keysOf(idle.id), ...store.keysOf(next)].sort(),
    );
    // Every key carries its expiry: nothing can outlive the session.
    for (const key of await keysUnder(redis, prefix)) expect(await redis.pttl(key)).toBeGreaterThan(0);
    await sleep(1300);
    expect(await keysUnder(redis, prefix)).toEqual([]);
  });

  it('ends a session at maxAgeMs however active it is', async () => {
    const store = redisSessionStore({ redis, keyPrefix: freshPrefix('age'), ttlMs: 1000, maxAgeMs: 1500 });
    const { id } = await store.open();
    for (let i = 0; i < 4; i++) {
      await sleep(500);
      await store.record(id, { type: 'page_view' });
    }
    expect(await store.session(id)).toBeUndefined();
  });

  it('is one session for every server: opened on one, extended on another, read on a third', async () => {
    const prefix = freshPrefix('fleet');
    const servers = [0, 1, 2].map(() => redisSessionStore({ url: TEST_REDIS_URL, keyPrefix: prefix }));
    const { id } = await servers[0]!.open();
    expect(await servers[1]!.record(id, { type: 'product_view', target: 'p-1' })).toBe(true);
    expect(await servers[2]!.open(id)).toEqual({ id, created: false });
    expect((await servers[2]!.session(id))?.events).toHaveLength(1);
    for (const s of servers) await s.close();
  });

  it('drops an event altered in Redis instead of trusting it', async () => {
    const store = redisSessionStore({ redis, keyPrefix: freshPrefix('junk') });
    const { id } = await store.open();
    await store.record(id, { type: 'page_view', target: '/a' });
    await redis.rpush(store.keysOf(id)[1], '{"type":"evil","at":"x"}', 'not json');
    expect((await store.events(id))?.map((e) => e.target)).toEqual(['/a']);
  });

  it('fails with STORE_FAILED when Redis cannot be reached', async () => {
    const store = redisSessionStore({ url: 'redis://127.0.0.1:1', keyPrefix: freshPrefix('dead') });
    await expect(store.open()).rejects.toMatchObject({ code: 'STORE_FAILED' });
    await store.close();
  });
});
