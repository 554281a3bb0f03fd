import { performance } from 'node:perf_hooks';
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
}

/** Admits requests to a {@link ConcurrencyLimiter}'s slots by how long they would wait, not only by count. */
export interface Admission {
  /**
   * Resolves to `undefined` once a slot is taken (give it back with `release()`), else why not.
   * `lagChecked`: the request already passed {@link Admission.early} (so the event-loop share is
   * not drawn twice for it).
   */
  acquire(lagChecked?: boolean): Promise<Refusal | undefined> | Refusal | undefined;
  /**
   * The check made the moment a request is seen, before its body is read or anything else is done
   * for it: why it should be shed at once (the loop runs late, the queue is full, or the queue's
   * oldest waiter has already waited half the queue timeout, so a newcomer would wait longer),
   * else `undefined`. Cheap: a few comparisons, no allocation.
   */
  early(): Refusal | undefined;
  /** Gives a slot back; the longest waiter gets it first. */
  release(): void;
  readonly stats: AdmissionStats;
  /** Stops the event-loop delay sampler. */
  stop(): void;
}

const SAMPLE_MS = 10;
/** Event-loop utilization above which lateness counts as the server's own load. */
const BUSY = 0.8;

/**
 * Load shedding by time: a request is admitted when a slot is free; otherwise it waits in a FIFO
 * queue at most `queueTimeoutMs` (then 503), and while the event loop runs late by more than
 * `maxLagMs` (the sign that requests queue in the server itself, where no count can see them),
 * a growing share of new requests is shed at once. Either way an answer is on time or a quick 503.
 */
export function admission(limiter: ConcurrencyLimiter, options: AdmissionOptions): Admission {
  const waiting: Array<{ admit: () => void; timer: ReturnType<typeof setTimeout>; since: number }> = [];
  let lag = 0;
  let busy = 0;
  let maxLate = 0;
  let last = performance.now();
  let lastElu = performance.eventLoopUtilization();
  const sampler = setInterval(() => {
    const t = performance.now();
    const late = Math.max(0, t - last - SAMPLE_MS);
    maxLate = Math.max(maxLate, late);
    last = t;
    const elu = performance.eventLoopUtilization(lastElu);
    lastElu = performance.eventLoopUtilization();
    // Smoothed, so one pause (a collection, a busy neighbour) does not shed on its own.
    lag = lag * 0.7 + late * 0.3;
    busy = busy * 0.7 + elu.utilization * 0.3;
  }, SAMPLE_MS);
  sampler.unref?.();
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
  };
  const refuse = (why: Refusal): Refusal => {
    stats.shed[why]++;
    return why;
  };
  // Lateness sheds only while this server's own loop is saturated (its own load: a machine busy
  // with other work makes timers late too, but leaves this loop idle).
  const lagging = (): boolean => {
    if (lag <= options.maxLagMs || busy <= BUSY) return false;
    const share = Math.min(1, (lag - options.maxLagMs) / options.maxLagMs);
    return Math.random() < share;
  };
  const halfTimeout = options.queueTimeoutMs / 2;
  return {
    /** Gives a slot back; the longest waiter gets it first. */
    release() {
      limiter.release();
      while (waiting.length > 0 && limiter.tryAcquire()) {
        const next = waiting.shift()!;
        clearTimeout(next.timer);
        next.admit();
      }
    },
    early() {
      if (lagging()) return refuse('lagging');
      if (waiting.length === 0) return undefined;
      if (waiting.length >= options.maxQueued) return refuse('queue-full');
      if (performance.now() - waiting[0]!.since >= halfTimeout) return refuse('queue-timeout');
      return undefined;
    },
    acquire(lagChecked = false) {
      if (!lagChecked && lagging()) return refuse('lagging');
      if (waiting.length === 0 && limiter.tryAcquire()) {
        stats.admitted++;
        return undefined;
      }
      if (waiting.length >= options.maxQueued || options.queueTimeoutMs === 0) return refuse('queue-full');
      return new Promise<Refusal | undefined>((resolve) => {
        const entry = {
          admit: () => {
            stats.admitted++;
            resolve(undefined);
          },
          timer: setTimeout(() => {
            const at = waiting.indexOf(entry);
            if (at >= 0) waiting.splice(at, 1);
            resolve(refuse('queue-timeout'));
          }, options.queueTimeoutMs),
          since: performance.now(),
        };
        waiting.push(entry);
      });
    },
    stats,
    stop() {
      clearInterval(sampler);
      for (const entry of waiting.splice(0)) {
        clearTimeout(entry.timer);
        entry.admit();
      }
    },
  };
}
