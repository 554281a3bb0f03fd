import type { Awaitable } from './awaitable.js';

/**
 * A per-key rate limit (a person's rights requests, for example): `limit` hits per window. The
 * in-memory implementation answers synchronously; one shared by a fleet of servers (Redis) answers
 * with a promise, so callers always `await` the result.
 */
export interface RateLimiter {
  /** Counts a hit; 0 when allowed, else the seconds to wait before the next one is. */
  hit(key: string): Awaitable<number>;
  /** Forgets every key this limiter holds (tests, shutdown). */
  clear(): Awaitable<void>;
  /** Releases connections the limiter opened itself. */
  close?(): Awaitable<void>;
}
