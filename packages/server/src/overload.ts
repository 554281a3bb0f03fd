import { performance } from 'node:perf_hooks';
import { adaptiveLimit } from './adaptive-limit.js';
import type { ConcurrencyLimiter } from './limits.js';

/** Settings of {@link admission}. */
export interface AdmissionOptions {
  /** Longest a request waits for a free slot before it is shed (503), in milliseconds. */
  readonly queueTimeoutMs: number;
  /** Most requests waiting for a slot at once; past it, new ones are shed at once. */
  readonly maxQueued: number;
  /**
   * Event-loop delay (how late the server is to look at new requests) from which new work is shed,
   * in milliseconds; the share shed grows from 0 at this delay to all of it at twice the delay.
   */
  readonly maxLagMs: number;
  /**
   * The answer time (the wait for the loop plus the time in the server) the in-flight limit is
   * held to, in milliseconds: while the loop is saturated and answers take longer, fewer requests
   * are let in at once (down to `minConcurrent`), and more again once they are quicker
   * ({@link adaptiveLimit}). 0: the limit stays at the limiter's `max`.
   */
  readonly latencyTargetMs: number;
  /** The fewest requests let in at once however late the server runs (the adaptive limit's floor). */
  readonly minConcurrent: number;
}

/** A clock of a test's own: with it no timer runs, and the test feeds the loop's figures by {@link Admission.tick}. */
export interface AdmissionClock {
  now(): number;
}

/** Why a request was not admitted. */
export type Refusal = 'queue-full' | 'queue-timeout' | 'lagging';

/** Counters of what admission did, for metrics. */
export interface AdmissionStats {
  admitted: number;
  shed: Record<Refusal, number>;
  /** The event-loop delay now (smoothed), in milliseconds. */
  readonly lagMs: number;
  /** The worst event-loop delay seen since this was last read, in milliseconds. */
  readonly worstLagMs: number;
  readonly queued: number;
  /** Requests in a slot now. */
  readonly active: number;
  /** The in-flight limit now (adaptive: between `minConcurrent` and `maxConcurrent`). */
  readonly limit: number;
  /** Mean time a request spent in the server (queue and decision), smoothed, in milliseconds. */
  readonly sojournMs: number;
}

/** Admits requests to a {@link ConcurrencyLimiter}'s slots by how long they would wait, not only by count. */
export interface Admission {
  /**
   * Resolves to `undefined` once a slot is taken (give it back with `release()`), else why not.
   * `lagChecked`: the request already passed {@link Admission.early} (so the event-loop share is
   * not drawn twice for it). `heldMs`: how long the server already made it wait before it was
   * handled (held for a later turn, see `turnBudget`). A request's wait is measured from then, not
   * from this call: it is shed at once when it has already waited `queueTimeoutMs`, and a waiter
   * whose wait reaches `queueTimeoutMs` is shed (never given a slot: no decision is begun for an
   * answer that would be late), checked on every loop sample and whenever a slot frees, by the
   * admission's clock (no timer per request).
   */
  acquire(lagChecked?: boolean, heldMs?: number): Promise<Refusal | undefined> | Refusal | undefined;
  /**
   * The check made the moment a request is seen, before its body is read or anything else is done
   * for it: why it should be shed at once, else `undefined` (and the request is counted as on its
   * way to a slot until it calls {@link Admission.acquire} with `lagChecked`, or the next loop
   * sample, so a burst seen in one loop turn cannot all pass before any of it takes a slot). With no
   * slot free under the limit, it is shed when the queue is full, when its expected wait (the
   * requests ahead of it past the limit, at the pace slots free up: the limit over the time a
   * decision holds its slot) or the queue's oldest waiter's wait is past half the queue timeout;
   * whatever the load, while the loop runs late (a growing share) and other requests are in the
   * server (in a slot, waiting, or on their way: a request alone is never shed for lateness).
   * `heldMs` is how long the request already waited after it was read (held for a later turn, see
   * `turnBudget`): that is queue time too, and past half the queue timeout the request is shed. Cheap: a few comparisons, no
   * allocation.
   */
  early(heldMs?: number): Refusal | undefined;
  /**
   * The check made for a request read once its loop turn's budget is spent (see `turnBudget`),
   * instead of holding it for the next turn: `'lagging'` (counted as shed) when no slot is free
   * for it now — every slot under the limit taken, counting the requests waiting and those on
   * their way to one — else `undefined` (hold it: a slot is there for it next turn). Held, such a
   * request would only wait for a slot it would not get, and its wait would be in the tail.
   */
  overBudget(): Refusal | undefined;
  /** Gives a slot back; the longest waiter gets it first. */
  release(): void;
  readonly stats: AdmissionStats;
  /**
   * One sample of the loop: `lateMs` how much later than asked the sampler ran, `utilization` the
   * loop's busy share since the last sample (0..1). Run every 10 ms by the admission's own timer;
   * by a test, with its own {@link AdmissionClock}.
   */
  tick(lateMs: number, utilization: number): void;
  /** Stops the event-loop delay sampler. */
  stop(): void;
}

const SAMPLE_MS = 10;
/** Event-loop utilization above which lateness counts as the server's own load. */
const BUSY = 0.8;

/**
 * Load shedding by time: a request is admitted when a slot is free under the in-flight limit;
 * otherwise it waits in a FIFO queue at most `queueTimeoutMs` (then 503). The limit adapts: while
 * the loop is saturated and answers take longer than `latencyTargetMs`, fewer are let in at once.
 * At the front door a request is shed at once when it would wait too long, and while the event
 * loop runs late by more than `maxLagMs` (the sign that requests queue in the server itself, where
 * no count can see them), a growing share of new requests is shed at once (never one that finds
 * the server empty: it adds to no queue). Either way an answer is
 * on time or a quick 503.
 */
export function admission(
  limiter: ConcurrencyLimiter,
  options: AdmissionOptions,
  clock?: AdmissionClock,
): Admission {
  const now = clock ? () => clock.now() : () => performance.now();
  /** Requests waiting for a slot, first come first served; `since`: when the server began to make it wait. */
  const waiting: Array<{ admit: (why: Refusal | undefined) => void; since: number }> = [];
  const adaptive = adaptiveLimit(
    { min: options.minConcurrent, max: limiter.max, targetMs: options.latencyTargetMs },
    now(),
  );
  let lag = 0;
  let busy = 0;
  let maxLate = 0;
  // Requests the front door let through that have not reached acquire() yet (reset every sample:
  // a request whose body is slow to come holds nothing).
  let coming = 0;
  const stats: AdmissionStats = {
    admitted: 0,
    shed: { 'queue-full': 0, 'queue-timeout': 0, lagging: 0 },
    get lagMs() {
      return Math.round(lag * 10) / 10;
    },
    get worstLagMs() {
      const worst = Math.round(maxLate * 10) / 10;
      maxLate = 0;
      return worst;
    },
    get queued() {
      return waiting.length;
    },
    get active() {
      return limiter.active;
    },
    get limit() {
      return adaptive.limit;
    },
    get sojournMs() {
      return Math.round(adaptive.sojournMs * 10) / 10;
    },
  };
  const refuse = (why: Refusal): Refusal => {
    stats.shed[why]++;
    return why;
  };
  // Lateness sheds only while this server's own loop is saturated (its own load: a machine busy
  // with other work makes timers late too, but leaves this loop idle), and only a request that
  // finds others in the server (`ahead`: in a slot, waiting for one, or let in by the door and on
  // its way): then the lateness is a queue in front of requests already taken in, and a newcomer
  // would add to it. A request alone in the server adds to no queue, and a 503 would come from the
  // same late loop as its answer: whatever makes the process late (its own start-up, other work in
  // it, a neighbour taking the CPU while it runs), shedding it relieves nothing.
  const lagging = (ahead: number): boolean => {
    if (ahead === 0 || lag <= options.maxLagMs || busy <= BUSY) return false;
    const share = Math.min(1, (lag - options.maxLagMs) / options.maxLagMs);
    return Math.random() < share;
  };
  const halfTimeout = options.queueTimeoutMs / 2;
  const free = () => limiter.active < adaptive.limit;
  const timeout = options.queueTimeoutMs;
  /** Sheds every waiter that has waited `queueTimeoutMs` by `t` (in place, the order kept). */
  const expire = (t: number) => {
    let kept = 0;
    for (let i = 0; i < waiting.length; i++) {
      const entry = waiting[i]!;
      if (t - entry.since >= timeout) {
        adaptive.leave(t, false);
        entry.admit(refuse('queue-timeout'));
      } else waiting[kept++] = entry;
    }
    waiting.length = kept;
  };
  const pump = () => {
    if (waiting.length === 0) return;
    const t = now();
    // A waiter out of time is shed, not given the slot: its answer would be late whatever it got.
    while (waiting.length > 0 && free()) {
      const next = waiting[0]!;
      if (t - next.since >= timeout) {
        expire(t);
        continue;
      }
      if (!limiter.tryAcquire()) break;
      waiting.shift();
      next.admit(undefined);
    }
  };
  /** Why a request that would find no slot free should not wait for one, else undefined. */
  const tooLong = (ahead: number): Refusal | undefined => {
    if (waiting.length >= options.maxQueued) return 'queue-full';
    if (options.queueTimeoutMs === 0) return 'queue-full';
    // With every slot taken, one frees about every serviceMs / limit: the requests ahead of it
    // past the limit, at that pace.
    const service = adaptive.serviceMs;
    if (service !== undefined && ((ahead - adaptive.limit + 1) * service) / adaptive.limit > halfTimeout)
      return 'queue-timeout';
    if (waiting.length > 0 && now() - waiting[0]!.since >= halfTimeout) return 'queue-timeout';
    return undefined;
  };
  const tick = (lateMs: number, utilization: number) => {
    maxLate = Math.max(maxLate, lateMs);
    // Smoothed, so one pause (a collection, a busy neighbour) does not shed on its own.
    lag = lag * 0.7 + lateMs * 0.3;
    busy = busy * 0.7 + utilization * 0.3;
    coming = 0;
    const t = now();
    adaptive.update(t, lag, busy > BUSY);
    if (waiting.length > 0) expire(t);
    pump();
  };
  let sampler: ReturnType<typeof setInterval> | undefined;
  if (!clock) {
    let last = performance.now();
    let lastElu = performance.eventLoopUtilization();
    sampler = setInterval(() => {
      const t = performance.now();
      const late = Math.max(0, t - last - SAMPLE_MS);
      last = t;
      const elu = performance.eventLoopUtilization(lastElu);
      lastElu = performance.eventLoopUtilization();
      tick(late, elu.utilization);
    }, SAMPLE_MS);
    sampler.unref?.();
  }
  return {
    release() {
      limiter.release();
      adaptive.leave(now(), true);
      pump();
    },
    overBudget() {
      if (limiter.active + waiting.length + coming >= adaptive.limit) return refuse('lagging');
      return undefined;
    },
    early(heldMs = 0) {
      if (heldMs > halfTimeout && options.queueTimeoutMs > 0) return refuse('queue-timeout');
      const ahead = limiter.active + waiting.length + coming;
      if (lagging(ahead)) return refuse('lagging');
      if (ahead >= adaptive.limit) {
        const why = tooLong(ahead);
        if (why !== undefined) return refuse(why);
      }
      coming++;
      return undefined;
    },
    acquire(lagChecked = false, heldMs = 0) {
      if (lagChecked) {
        if (coming > 0) coming--;
      } else {
        const ahead = limiter.active + waiting.length;
        if (lagging(ahead)) return refuse('lagging');
        if (ahead >= adaptive.limit) {
          const why = tooLong(ahead);
          if (why !== undefined) return refuse(why);
        }
      }
      // Already out of time before it asked: shed before any work is begun for it.
      if (timeout > 0 && heldMs >= timeout) return refuse('queue-timeout');
      const t = now();
      if (waiting.length === 0 && free() && limiter.tryAcquire()) {
        stats.admitted++;
        adaptive.enter(t);
        adaptive.start(t);
        return undefined;
      }
      if (waiting.length >= options.maxQueued || timeout === 0) return refuse('queue-full');
      adaptive.enter(t);
      return new Promise<Refusal | undefined>((resolve) => {
        waiting.push({
          admit: (why) => {
            if (why === undefined) {
              stats.admitted++;
              adaptive.start(now());
            }
            resolve(why);
          },
          since: t - heldMs,
        });
      });
    },
    stats,
    tick,
    stop() {
      if (sampler) clearInterval(sampler);
      for (const entry of waiting.splice(0)) entry.admit(undefined);
    },
  };
}
