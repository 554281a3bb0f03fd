import { describe, expect, it } from 'vitest';
import { concurrencyLimiter } from './limits.js';
import { type AdmissionOptions, type Refusal, admission } from './overload.js';

/**
 * An admission on a clock of the test's own: no timer runs, time moves only by `advance` (which
 * feeds one quiet loop sample per 10 ms, as the admission's own sampler would).
 */
function clocked(slots: number, options: Partial<AdmissionOptions> = {}) {
  const clock = { t: 0, now: () => clock.t };
  const a = admission(
    concurrencyLimiter(slots),
    {
      queueTimeoutMs: 100,
      maxQueued: 4,
      maxLagMs: 60_000,
      latencyTargetMs: 0,
      minConcurrent: slots,
      ...options,
    },
    clock,
  );
  const advance = (ms: number) => {
    for (let i = 0; i < ms; i += 10) {
      clock.t += Math.min(10, ms - i);
      a.tick(0, 0.2);
    }
  };
  /** What a pending acquire has resolved to so far (`'pending'` while it waits). */
  const watch = (p: Promise<Refusal | undefined> | Refusal | undefined) => {
    const seen: { v: Refusal | undefined | 'pending' } = { v: 'pending' };
    if (p instanceof Promise) p.then((v) => (seen.v = v));
    else seen.v = p;
    return seen;
  };
  return { a, clock, advance, watch };
}

/** Lets the promise callbacks of resolved acquires run. */
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('admission: the queue, by the time each request has waited', () => {
  it('a waiter is shed once it has waited queueTimeoutMs, not before, by the admission’s clock', async () => {
    const { a, advance, watch } = clocked(1);
    expect(a.acquire()).toBeUndefined();
    const waiter = watch(a.acquire());
    advance(90);
    await settle();
    expect(waiter.v).toBe('pending');
    expect(a.stats.queued).toBe(1);
    advance(10);
    await settle();
    expect(waiter.v).toBe('queue-timeout');
    expect(a.stats.queued).toBe(0);
    expect(a.stats.shed['queue-timeout']).toBe(1);
    // The slot it never got is still the first request's, and goes to the next one that asks.
    a.release();
    expect(a.acquire()).toBeUndefined();
  });

  it('counts the time the server held a request before it asked: held 60 ms, it may wait 40 ms more', async () => {
    const { a, advance, watch } = clocked(1);
    expect(a.acquire()).toBeUndefined();
    const held = watch(a.acquire(true, 60));
    const fresh = watch(a.acquire(true, 0));
    advance(40);
    await settle();
    expect(held.v).toBe('queue-timeout');
    expect(fresh.v).toBe('pending');
    // The one behind it, fresh, still has 60 ms: it gets the next slot.
    a.release();
    await settle();
    expect(fresh.v).toBeUndefined();
    expect(a.stats.admitted).toBe(2);
  });

  it('sheds at once, with a slot free, a request already held queueTimeoutMs (no work begun for a late answer)', () => {
    const { a } = clocked(4);
    expect(a.acquire(true, 100)).toBe('queue-timeout');
    expect(a.stats.active).toBe(0);
    expect(a.acquire(true, 99)).toBeUndefined();
    expect(a.stats.active).toBe(1);
  });

  it('never gives a freed slot to a waiter out of time: it is shed, and the next waiter in time gets it', async () => {
    const { a, clock, watch } = clocked(1);
    expect(a.acquire()).toBeUndefined();
    const old = watch(a.acquire());
    clock.t += 40;
    const young = watch(a.acquire());
    // No loop sample ran (the loop was busy): the slot frees when the old one is 100 ms in.
    clock.t += 60;
    a.release();
    await settle();
    expect(old.v).toBe('queue-timeout');
    expect(young.v).toBeUndefined();
    expect(a.stats.active).toBe(1);
    expect(a.stats.queued).toBe(0);
  });

  it('sheds a newcomer at once when the queue is full (maxQueued), and with queueTimeoutMs 0 when every slot is taken', () => {
    const full = clocked(1, { maxQueued: 2 });
    expect(full.a.acquire()).toBeUndefined();
    full.a.acquire();
    full.a.acquire();
    expect(full.a.acquire()).toBe('queue-full');
    expect(full.a.stats.shed['queue-full']).toBe(1);

    const none = clocked(1, { queueTimeoutMs: 0 });
    expect(none.a.acquire()).toBeUndefined();
    expect(none.a.acquire()).toBe('queue-full');
    // With no queue, the time a request was held does not shed it.
    none.a.release();
    expect(none.a.acquire(true, 5_000)).toBeUndefined();
  });

  it('stop() lets every waiter through (the server is closing: nothing is left hanging)', async () => {
    const { a, watch } = clocked(1);
    expect(a.acquire()).toBeUndefined();
    const waiter = watch(a.acquire());
    a.stop();
    await settle();
    expect(waiter.v).toBeUndefined();
  });
});

describe('admission.early: shed at the door, before the body is read', () => {
  it('sheds once the oldest waiter has waited half the queue timeout, counting the time it was held', async () => {
    const { a, advance, watch } = clocked(1, { queueTimeoutMs: 2000, maxQueued: 8 });
    expect(a.early()).toBeUndefined();
    expect(a.acquire(true)).toBeUndefined();
    const waiter = watch(a.acquire(true, 600));
    advance(390);
    expect(a.early()).toBeUndefined();
    a.acquire(true); // it went on to queue behind
    advance(10);
    // 600 ms held + 400 ms queued: half of 2 s.
    expect(a.early()).toBe('queue-timeout');
    a.release();
    await settle();
    expect(waiter.v).toBeUndefined();
    expect(a.stats.shed).toEqual({ 'queue-full': 0, 'queue-timeout': 1, lagging: 0 });
  });

  it('sheds a request held past half the queue timeout though every slot is free', () => {
    const { a } = clocked(8);
    expect(a.early(0)).toBeUndefined();
    expect(a.early(50)).toBeUndefined();
    expect(a.early(51)).toBe('queue-timeout');
    expect(a.stats.shed['queue-timeout']).toBe(1);
  });
});
