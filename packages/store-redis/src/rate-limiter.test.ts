import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisRateLimiter } from './rate-limiter.js';
import { TEST_REDIS_URL, freshPrefix, keysUnder, testRedis } from './test-redis.js';

let redis: Redis;
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(() => redis.quit());

describe('redisRateLimiter', () => {
  it('holds one limit across servers: 2 per hour allows 2, whichever server is asked', async () => {
    const prefix = freshPrefix('rl');
    const servers = [0, 1, 2].map(() =>
      redisRateLimiter({
        url: TEST_REDIS_URL,
        keyPrefix: prefix,
        name: 'rights',
        limit: 2,
        windowMs: 3_600_000,
      }),
    );
    const answers = await Promise.all(Array.from({ length: 9 }, (_, i) => servers[i % 3]!.hit('person-1')));
    expect(answers.filter((w) => w === 0)).toHaveLength(2);
    for (const wait of answers.filter((w) => w !== 0)) {
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(3600);
    }
    expect(await servers[0]!.hit('person-2')).toBe(0);
    for (const s of servers) await s.close();
  });

  it('keeps no person id in Redis, and every key expires with its window', async () => {
    const prefix = freshPrefix('rl-keys');
    const limiter = redisRateLimiter({
      redis,
      keyPrefix: prefix,
      name: 'rights',
      limit: 2,
      windowMs: 60_000,
    });
    await limiter.hit('person-secret-id');
    const keys = await keysUnder(redis, prefix);
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toContain('person-secret-id');
    expect(await redis.pttl(keys[0]!)).toBeGreaterThan(0);
    await limiter.clear();
    expect(await keysUnder(redis, prefix)).toEqual([]);
  });

  it('fails closed with STORE_FAILED when Redis is down (never lets a request through uncounted)', async () => {
    const limiter = redisRateLimiter({
      url: 'redis://127.0.0.1:1',
      name: 'rights',
      limit: 2,
      windowMs: 60_000,
    });
    await expect(limiter.hit('p')).rejects.toMatchObject({ code: 'STORE_FAILED' });
    await limiter.close();
  });

  it('refuses bad options with INVALID_OPTIONS naming the field', () => {
    expect(() => redisRateLimiter({ redis, name: 'Bad Name', limit: 2, windowMs: 60_000 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', path: ['name'] }),
    );
    expect(() => redisRateLimiter({ redis, name: 'x', limit: 2, windowMs: 1500 })).toThrow(
      expect.objectContaining({ path: ['windowMs'] }),
    );
  });
});
