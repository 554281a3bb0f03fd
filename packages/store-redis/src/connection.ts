import { TactfulError } from '@tactful/core';
import { guardStoreAsync } from '@tactful/core/store';
import { Redis } from 'ioredis';

/** How a Redis-backed store reaches Redis: a client you made (shared), or a URL it connects to itself. */
export interface RedisConnectionOptions {
  /** An ioredis client shared with other stores; the store never closes it. Give this or `url`. */
  redis?: Redis;
  /** `redis://host:6379/0`; the store connects and disconnects on `close()`. */
  url?: string;
  /** Prefix of every key (default `tactful:`), so several installations share one Redis. */
  keyPrefix?: string;
}

/** A resolved Redis connection. */
export interface RedisConnection {
  readonly redis: Redis;
  readonly prefix: string;
  close(): Promise<void>;
}

const PREFIX = /^[A-Za-z0-9:._-]{0,64}$/;

/**
 * Opens a client on a URL: commands fail fast while Redis is down (no unbounded offline queue) and
 * the client reconnects by itself when Redis is back.
 */
export function createRedis(url: string): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 3_000,
    commandTimeout: 3_000,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    lazyConnect: false,
  });
  redis.on('error', () => {
    // Reported to each command that fails; the client keeps reconnecting.
  });
  return redis;
}

/** Resolves `{ redis }` or `{ url }`; `INVALID_OPTIONS` naming the field otherwise. */
export function redisConnection(store: string, options: RedisConnectionOptions): RedisConnection {
  if (
    options === null ||
    typeof options !== 'object' ||
    (options.redis === undefined) === (options.url === undefined)
  ) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${store}: give exactly one of "redis" (an ioredis client) or "url" (redis://host:6379)`,
      { path: ['redis'] },
    );
  }
  const prefix = options.keyPrefix ?? 'tactful:';
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${store}: keyPrefix "${String(prefix)}" must be at most 64 letters, digits or ":._-"`,
      { path: ['keyPrefix'] },
    );
  }
  const owned = options.redis === undefined;
  const redis = options.redis ?? createRedis(options.url as string);
  let closed: Promise<void> | undefined;
  return {
    redis,
    prefix,
    close() {
      if (!owned) return Promise.resolve();
      closed ??= redis.quit().then(
        () => undefined,
        () => void redis.disconnect(),
      );
      return closed;
    },
  };
}

/** Runs a Redis command; a failure that is not a TactfulError becomes `STORE_FAILED` naming the store. */
export const redisGuard: <T>(store: string, what: string, run: () => Promise<T>) => Promise<T> =
  guardStoreAsync;
