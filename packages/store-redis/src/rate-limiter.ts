import { createHash } from 'node:crypto';
import { type RateLimiter, TactfulError } from '@tactful/core';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { type RedisConnectionOptions, redisConnection, redisGuard } from './connection.js';

/** Options of {@link redisRateLimiter}. */
export interface RedisRateLimiterOptions extends RedisConnectionOptions {
  /** What is limited, part of the keys (`rights`). Lowercase letters, digits, `-`. */
  name: string;
  /** Hits allowed per window. */
  limit: number;
  /** The window, in milliseconds (whole seconds: rate-limiter-flexible counts in seconds). */
  windowMs: number;
}

/** A {@link RateLimiter} shared by every server, with `close()`. */
export interface RedisRateLimiter extends RateLimiter {
  hit(key: string): Promise<number>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

const WHAT = 'redisRateLimiter';

/**
 * A rate limit counted in Redis by `rate-limiter-flexible`, so a fleet of servers enforces one
 * limit per person: two exports per hour means two, whichever server answers. Keys are SHA-256
 * digests of the person's id (Redis never holds the id itself) and expire with their window. When
 * Redis cannot be reached the hit fails with `STORE_FAILED` (the server answers 503): a rights
 * request is never let through uncounted.
 *
 * @example
 * ```ts
 * const rightsLimit = redisRateLimiter({ url: process.env.REDIS_URL, name: 'rights', limit: 10, windowMs: 3_600_000 });
 * const server = await createServer(config, { rightsLimit });
 * ```
 */
export function redisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  const { name, limit, windowMs } = options;
  if (typeof name !== 'string' || !/^[a-z0-9-]{1,32}$/.test(name))
    throw new TactfulError('INVALID_OPTIONS', `${WHAT}: name must be 1–32 lowercase letters, digits or "-"`, {
      path: ['name'],
    });
  if (!Number.isInteger(limit) || limit < 1)
    throw new TactfulError('INVALID_OPTIONS', `${WHAT}: limit must be a positive integer, got ${limit}`, {
      path: ['limit'],
    });
  if (!Number.isInteger(windowMs) || windowMs < 1000 || windowMs % 1000 !== 0)
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${WHAT}: windowMs must be whole seconds (1000 or more), got ${windowMs}`,
      {
        path: ['windowMs'],
      },
    );
  const conn = redisConnection(WHAT, options);
  const keyPrefix = `${conn.prefix}limit:${name}`;
  const limiter = new RateLimiterRedis({
    storeClient: conn.redis,
    keyPrefix,
    points: limit,
    duration: windowMs / 1000,
  });
  const digest = (key: string) => createHash('sha256').update(key, 'utf8').digest('base64url');
  return {
    async hit(key) {
      try {
        await limiter.consume(digest(key), 1);
        return 0;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw new TactfulError(
          'STORE_FAILED',
          `${WHAT}: the limit could not be counted: ${rejection instanceof Error ? rejection.message : String(rejection)}`,
          { cause: rejection },
        );
      }
    },
    clear: () =>
      redisGuard(WHAT, 'clear', async () => {
        let cursor = '0';
        do {
          const [next, keys] = await conn.redis.scan(cursor, 'MATCH', `${keyPrefix}:*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) await conn.redis.del(...keys);
        } while (cursor !== '0');
      }),
    close: () => conn.close(),
  };
}
