import type { RateLimiter } from '@tactful/core';

export type { RateLimiter } from '@tactful/core';

/** A bound on requests answered at once: past it, callers are told to come back (503), not queued. */
export interface ConcurrencyLimiter {
  /** Takes a slot; false when every slot is taken. */
  tryAcquire(): boolean;
  release(): void;
  readonly active: number;
  readonly max: number;
}

/** Makes a limiter of `max` slots. */
export function concurrencyLimiter(max: number): ConcurrencyLimiter {
  let active = 0;
  return {
    tryAcquire() {
      if (active >= max) return false;
      active++;
      return true;
    },
    release() {
      if (active > 0) active--;
    },
    get active() {
      return active;
    },
    max,
  };
}

/** The in-memory sliding-window limiter: a {@link RateLimiter} that answers synchronously. */
export interface ProcessLocalRateLimiter extends RateLimiter {
  hit(key: string): number;
  clear(): void;
}

/**
 * Makes an in-memory sliding-window limiter, local to this process: with several servers behind a
 * load balancer each would count on its own (give `createServer` a shared one, e.g. `redisRateLimiter`
 * from `@tactful/store-redis`). Keys are held only while they have hits inside the
 * window; the table is bounded (`maxKeys`, oldest dropped), so a flood of keys cannot grow it.
 */
export function rateLimiter(options: {
  limit: number;
  windowMs: number;
  now: () => number;
  maxKeys?: number;
}): ProcessLocalRateLimiter {
  const { limit, windowMs, now } = options;
  const maxKeys = options.maxKeys ?? 100_000;
  const hits = new Map<string, number[]>();
  return {
    hit(key) {
      const t = now();
      const list = (hits.get(key) ?? []).filter((at) => t - at < windowMs);
      if (list.length >= limit) {
        hits.set(key, list);
        const wait = windowMs - (t - list[0]!);
        return Math.max(1, Math.ceil(wait / 1000));
      }
      list.push(t);
      hits.delete(key);
      hits.set(key, list);
      while (hits.size > maxKeys) {
        const oldest = hits.keys().next();
        if (oldest.done) break;
        hits.delete(oldest.value);
      }
      return 0;
    },
    clear() {
      hits.clear();
    },
  };
}
