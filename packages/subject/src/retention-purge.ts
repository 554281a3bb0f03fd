import { type SubjectStore, TactfulError, isTactfulError, parseOrThrow } from '@tactful/core';
import { z } from 'zod';

/** Something else purged once per interval next to the subject store (the audit trail's retention). */
export interface RetentionPurgeTarget {
  /** Named in errors, e.g. `audit`. */
  readonly name: string;
  /** Deletes what is past its retention; returns how many items went. */
  purge(): Promise<{ purged: number }>;
}

/** Options of {@link scheduleRetentionPurge}. */
export const RetentionPurgeOptionsSchema = z.strictObject({
  /** The store whose data past retention is deleted, in batches (`purgeExpired({ limit })`). */
  store: z.custom<Pick<SubjectStore, 'purgeExpired'>>(
    (v) => typeof v === 'object' && v !== null && typeof (v as SubjectStore).purgeExpired === 'function',
    'pass a SubjectStore (an object with purgeExpired)',
  ),
  /** Also purged once per interval (after the subject store), e.g. the audit trail. */
  also: z
    .array(
      z.custom<RetentionPurgeTarget>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          typeof (v as RetentionPurgeTarget).name === 'string' &&
          typeof (v as RetentionPurgeTarget).purge === 'function',
        'pass { name, purge() }',
      ),
    )
    .default([]),
  /** Time between runs, in milliseconds (default one hour; 1 s to 7 days). */
  intervalMs: z.number().int().min(1000).max(604_800_000).default(3_600_000),
  /**
   * Each wait is the interval times a random factor in [1 − jitter, 1 + jitter] (default 0.1), so
   * servers started together do not purge together. The first run comes after one such wait.
   */
  jitter: z.number().min(0).max(0.5).default(0.1),
  /** Most items one batch deletes (default 1000), so one batch never holds the database for long. */
  batchSize: z.number().int().min(1).max(1_000_000).default(1000),
  /** Wait before the next batch when a batch was full (more may be left), in ms (default 1000). */
  batchPauseMs: z.number().int().min(0).max(3_600_000).default(1000),
  /**
   * Most batches one interval runs (default 1000): a store that answers "full" forever, or a
   * backlog larger than this, waits for the next interval instead of purging without end.
   */
  maxBatchesPerInterval: z.number().int().min(1).max(1_000_000).default(1000),
  /**
   * How long one store call (a batch, or another target's purge) may take, in ms (default 10 s).
   * Past it the run fails with `STORE_FAILED` and the schedule stops waiting; no new call goes to
   * that store until the late one has answered (each interval until then is reported once).
   */
  callTimeoutMs: z.number().int().min(1).max(3_600_000).default(10_000),
  /** While this answers true (a server draining), runs are skipped. */
  skip: z.custom<() => boolean>((v) => typeof v === 'function', 'pass a function').optional(),
  /** Called with a run's failure: at most once per interval, never thrown. Default: one line on the console. */
  onError: z.custom<(error: unknown) => void>((v) => typeof v === 'function', 'pass a function').optional(),
  /** A random number in [0, 1), for the jitter. Default `Math.random`. */
  random: z.custom<() => number>((v) => typeof v === 'function', 'pass a function').optional(),
});
/** Options of {@link scheduleRetentionPurge}. */
export type RetentionPurgeOptions = z.input<typeof RetentionPurgeOptionsSchema>;

/** What a retention purger did since it started (for metrics). */
export interface RetentionPurgeStats {
  /** Runs that started (one per interval, plus the follow-up batches of a full batch). */
  readonly runs: number;
  /** Runs skipped (draining, still running, or a store call past its deadline not answered yet). */
  readonly skipped: number;
  /** Items of subject data deleted. */
  readonly removed: number;
  /** Items of the other targets (the audit trail) deleted. */
  readonly purgedOther: number;
  /** Intervals that failed (each reported once to `onError`). */
  readonly failures: number;
  /** When the last run ended, epoch ms (absent before the first). */
  readonly lastRunAt?: number;
  /** The code of the last failure (`STORE_FAILED` ...), cleared by a run that succeeds. */
  readonly lastError?: string;
}

/** A running schedule of retention purges. */
export interface RetentionPurger {
  /**
   * Purges now, batch after batch until a batch is not full (or `maxBatches`, default 1000, have
   * run), then the other targets; resolves with the counts. Rejects on a store's failure, on an
   * answer that is not a count, and on a call past `callTimeoutMs`. Used by the `tactful purge`
   * command; the schedule itself never rejects.
   */
  purgeNow(options?: { maxBatches?: number }): Promise<{ removed: number; purgedOther: number }>;
  /** Counts since the start. */
  stats(): RetentionPurgeStats;
  /**
   * Adds a reason to skip runs besides the `skip` option: while `predicate()` answers true (a
   * server given this purger draining), no run starts. Returns a function that removes it.
   */
  pauseWhile(predicate: () => boolean): () => void;
  /**
   * Stops the schedule: no run starts after it. Resolves once a run in flight has ended, at the
   * latest when its store call's deadline (`callTimeoutMs`) passes; each batch is one call, so a
   * batch is deleted whole or not at all by the store, never stopped half-way by this.
   */
  stop(): Promise<void>;
}

function defaultOnError(error: unknown): void {
  const code = isTactfulError(error) ? error.code : error instanceof Error ? error.name : 'UNKNOWN';
  const message = error instanceof Error ? error.message : String(error);
  console.warn(`tactful: the scheduled retention purge failed (${code}): ${message}; retrying next interval`);
}

/** The count in a store's answer, or a `STORE_FAILED` naming what came back instead. */
function countOf(answer: unknown, key: 'removed' | 'purged', what: string, max: number): number {
  const n =
    typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>)[key] : undefined;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= max) return n;
  const got =
    typeof n === 'number'
      ? String(n)
      : typeof answer === 'object' && answer !== null
        ? typeof n
        : typeof answer;
  throw new TactfulError(
    'STORE_FAILED',
    `the retention purge: ${what} answered ${key} = ${got}; it must resolve with { ${key}: n }, n a whole number from 0 to ${max}`,
    { path: [what, key] },
  );
}

/**
 * Deletes a person's data past its retention on a schedule, so erasure by time does not depend on
 * someone running a command: every `intervalMs` (with jitter) one batch of at most `batchSize`
 * items, followed by the next batch after `batchPauseMs` while batches come back full (at most
 * `maxBatchesPerInterval`); then the other targets (the audit trail). The timer is unref'd (it
 * never keeps a process alive), runs never overlap, a run is skipped while `skip()` says so, and a
 * failure — a store that throws, answers something that is not a count, or does not answer within
 * `callTimeoutMs` — is reported once per interval to `onError` and retried at the next interval;
 * it never throws. Several processes may purge one database at once: the stores' deletes are
 * idempotent.
 *
 * @example
 * ```ts
 * const purger = scheduleRetentionPurge({ store, intervalMs: 3_600_000, batchSize: 1000 });
 * // on shutdown:
 * await purger.stop();
 * ```
 */
export function scheduleRetentionPurge(options: RetentionPurgeOptions): RetentionPurger {
  const opts = parseOrThrow(RetentionPurgeOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: '@tactful/subject',
  });
  const random = opts.random ?? Math.random;
  const onError = opts.onError ?? defaultOnError;
  const stats = { runs: 0, skipped: 0, removed: 0, purgedOther: 0, failures: 0 } as {
    runs: number;
    skipped: number;
    removed: number;
    purgedOther: number;
    failures: number;
    lastRunAt?: number;
    lastError?: string;
  };
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let batches = 0; // batches run in this interval
  /** Store calls past their deadline that have not answered yet (no new call goes out meanwhile). */
  const late = new Set<Promise<unknown>>();
  /** Every reason to skip a run: the `skip` option and those added by `pauseWhile`. */
  const pauses = new Set<() => boolean>(opts.skip ? [opts.skip] : []);

  /**
   * One store call, validated and counted when it answers (even late), and bounded by
   * `callTimeoutMs`: past it the returned promise rejects while the call is kept in `late`.
   */
  const call = <T>(what: string, fn: () => unknown, check: (answer: unknown) => T): Promise<T> => {
    let answered: Promise<T>;
    try {
      answered = Promise.resolve(fn()).then(check);
    } catch (error) {
      answered = Promise.reject(error);
    }
    return new Promise<T>((resolve, reject) => {
      const deadline = setTimeout(() => {
        const settled: Promise<unknown> = answered.then(
          (): void => void late.delete(settled),
          (): void => void late.delete(settled),
        );
        late.add(settled);
        reject(
          new TactfulError(
            'STORE_FAILED',
            `the retention purge: ${what} did not answer within ${opts.callTimeoutMs} ms (callTimeoutMs); no purge is sent to it until it answers`,
            { path: [what] },
          ),
        );
      }, opts.callTimeoutMs);
      (deadline as { unref?: () => void }).unref?.();
      answered.then(
        (value) => {
          clearTimeout(deadline);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(deadline);
          reject(error);
        },
      );
    });
  };
  const batch = (): Promise<number> =>
    call(
      'purgeExpired',
      () => opts.store.purgeExpired({ limit: opts.batchSize }),
      (answer) => {
        const removed = countOf(answer, 'removed', 'purgeExpired', opts.batchSize);
        stats.removed += removed;
        return removed;
      },
    );
  const purgeOthers = async (): Promise<number> => {
    let purged = 0;
    for (const target of opts.also) {
      if (stopped && running !== undefined) break; // stopping: no new call after the batch in flight
      const what = `${target.name}.purge`;
      purged += await call(
        what,
        () => target.purge(),
        (answer) => {
          const n = countOf(answer, 'purged', what, Number.MAX_SAFE_INTEGER);
          stats.purgedOther += n;
          return n;
        },
      );
    }
    return purged;
  };
  const report = (error: unknown) => {
    stats.failures++;
    stats.lastError = isTactfulError(error) ? error.code : 'STORE_FAILED';
    try {
      // A failing error sink (thrown, or a promise that rejects) never stops the schedule.
      const sunk = onError(error) as unknown;
      if (sunk instanceof Promise) sunk.catch(() => {});
    } catch {
      // See above.
    }
  };

  const arm = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      tick();
    }, ms);
    (timer as { unref?: () => void }).unref?.();
  };
  const nextInterval = () =>
    Math.max(1000, Math.round(opts.intervalMs * (1 + opts.jitter * (2 * random() - 1))));
  const skipInterval = () => {
    stats.skipped++;
    batches = 0;
    arm(nextInterval());
  };

  const tick = () => {
    if (stopped) return;
    if (running !== undefined) return skipInterval();
    try {
      for (const paused of pauses) if (paused() === true) return skipInterval();
    } catch (error) {
      // A broken skip() is reported, and the run skipped: when in doubt, do not delete.
      report(error);
      return skipInterval();
    }
    if (late.size > 0) {
      report(
        new TactfulError(
          'STORE_FAILED',
          `the retention purge: a store call past its deadline (callTimeoutMs ${opts.callTimeoutMs} ms) has still not answered; this interval is skipped`,
        ),
      );
      return skipInterval();
    }
    stats.runs++;
    batches++;
    running = (async () => {
      let more = false;
      try {
        const removed = await batch();
        more = removed >= opts.batchSize && batches < opts.maxBatchesPerInterval;
        if (!more) await purgeOthers();
        delete stats.lastError;
      } catch (error) {
        more = false;
        report(error);
      } finally {
        stats.lastRunAt = Date.now();
        running = undefined;
      }
      // A full batch: more may be left, so the next batch comes soon; the other targets run once,
      // after the last batch of the interval.
      if (more) arm(opts.batchPauseMs);
      else {
        batches = 0;
        arm(nextInterval());
      }
    })();
  };

  arm(nextInterval());

  return {
    async purgeNow({ maxBatches = 1000 } = {}) {
      if (!Number.isInteger(maxBatches) || maxBatches < 1) {
        throw new TactfulError('INVALID_OPTIONS', 'purgeNow: maxBatches must be a positive integer', {
          path: ['maxBatches'],
        });
      }
      let removed = 0;
      for (let n = 0; n < maxBatches; n++) {
        const got = await batch();
        removed += got;
        if (got < opts.batchSize) break;
      }
      const purgedOther = await purgeOthers();
      return { removed, purgedOther };
    },
    stats: () => ({ ...stats }),
    pauseWhile(predicate) {
      if (typeof predicate !== 'function') {
        throw new TactfulError(
          'INVALID_OPTIONS',
          'pauseWhile: pass a function that answers true while runs should wait',
          {
            path: ['predicate'],
          },
        );
      }
      const own = () => predicate();
      pauses.add(own);
      return () => {
        pauses.delete(own);
      };
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
