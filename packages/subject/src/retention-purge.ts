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
  /** Runs skipped (draining, or still running). */
  readonly skipped: number;
  /** Items of subject data deleted. */
  readonly removed: number;
  /** Items of the other targets (the audit trail) deleted. */
  readonly purgedOther: number;
  /** Runs that failed (each reported once to `onError`). */
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
   * run), then the other targets; resolves with the counts. Rejects on a store's failure. Used by
   * the `tactful purge` command; the schedule itself never rejects.
   */
  purgeNow(options?: { maxBatches?: number }): Promise<{ removed: number; purgedOther: number }>;
  /** Counts since the start. */
  stats(): RetentionPurgeStats;
  /** Stops the schedule; resolves once a run in flight has ended (then nothing more runs). */
  stop(): Promise<void>;
}

function defaultOnError(error: unknown): void {
  const code = isTactfulError(error) ? error.code : error instanceof Error ? error.name : 'UNKNOWN';
  const message = error instanceof Error ? error.message : String(error);
  console.warn(`tactful: the scheduled retention purge failed (${code}): ${message}; retrying next interval`);
}

/**
 * Deletes a person's data past its retention on a schedule, so erasure by time does not depend on
 * someone running a command: every `intervalMs` (with jitter) one batch of at most `batchSize`
 * items, followed by the next batch after `batchPauseMs` while batches come back full; then the
 * other targets (the audit trail). The timer is unref'd (it never keeps a process alive), runs never
 * overlap, a run is skipped while `skip()` says so, and a failure is reported once to `onError`
 * and retried at the next interval — it never throws. Several processes may purge one database at
 * once: the stores' deletes are idempotent.
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

  const purgeOthers = async (): Promise<number> => {
    let purged = 0;
    for (const target of opts.also) purged += (await target.purge()).purged;
    return purged;
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

  const tick = () => {
    if (stopped) return;
    if (running !== undefined || opts.skip?.() === true) {
      stats.skipped++;
      arm(nextInterval());
      return;
    }
    stats.runs++;
    running = (async () => {
      let more = false;
      try {
        const { removed } = await opts.store.purgeExpired({ limit: opts.batchSize });
        stats.removed += removed;
        more = removed >= opts.batchSize;
        if (!more) stats.purgedOther += await purgeOthers();
        delete stats.lastError;
      } catch (error) {
        stats.failures++;
        stats.lastError = isTactfulError(error) ? error.code : 'STORE_FAILED';
        more = false;
        try {
          onError(error);
        } catch {
          // A failing error sink never stops the schedule.
        }
      } finally {
        stats.lastRunAt = Date.now();
        running = undefined;
      }
      // A full batch: more may be left, so the next batch comes soon; the other targets run once,
      // after the last batch of the interval.
      if (more) arm(opts.batchPauseMs);
      else arm(nextInterval());
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
      for (let batch = 0; batch < maxBatches; batch++) {
        const got = (await opts.store.purgeExpired({ limit: opts.batchSize })).removed;
        removed += got;
        if (got < opts.batchSize) break;
      }
      const purgedOther = await purgeOthers();
      stats.removed += removed;
      stats.purgedOther += purgedOther;
      return { removed, purgedOther };
    },
    stats: () => ({ ...stats }),
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
