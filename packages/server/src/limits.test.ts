import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concurrencyLimiter, rateLimiter } from './limits.js';

describe('limits', () => {
  it('never lets more than max requests in at once, for any order of arrivals and departures', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.boolean(), { maxLength: 200 }), (max, ops) => {
        const limiter = concurrencyLimiter(max);
        let held = 0;
        for (const arrive of ops) {
          if (arrive) {
            if (limiter.tryAcquire()) held++;
          } else if (held > 0) {
            limiter.release();
            held--;
          }
          if (limiter.active > max || limiter.active !== held) return false;
        }
        return true;
      }),
    );
  });

  it('allows `limit` hits per window per key and says how long to wait', () => {
    let now = 0;
    const limit = rateLimiter({ limit: 3, windowMs: 60_000, now: () => now });
    expect([limit.hit('a'), limit.hit('a'), limit.hit('a')]).toEqual([0, 0, 0]);
    expect(limit.hit('a')).toBe(60);
    expect(limit.hit('b')).toBe(0);
    now = 30_000;
    expect(limit.hit('a')).toBe(30);
    now = 60_001;
    expect(limit.hit('a')).toBe(0);
  });

  it('keeps at most maxKeys keys', () => {
    const limit = rateLimiter({ limit: 1, windowMs: 60_000, now: () => 0, maxKeys: 10 });
    for (let i = 0; i < 100; i++) limit.hit(`k${i}`);
    // The oldest keys were dropped: they may hit again; the newest may not.
    expect(limit.hit('k0')).toBe(0);
    expect(limit.hit('k99')).toBeGreaterThan(0);
  });
});
