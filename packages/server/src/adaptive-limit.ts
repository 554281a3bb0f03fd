/** Settings of {@link adaptiveLimit}. */
export interface AdaptiveLimitOptions {
  /**
   * Fewest requests let in at once, however late the server runs: a handful of concurrent callers
   * is never shed by the limit.
   */
  readonly min: number;
  /** Most requests let in at once (the configured `maxConcurrent`); the limit starts here. */
  readonly max: number;
  /**
   * The time an admitted request should take as its client sees it, in milliseconds: the wait for
   * the loop to look at it (the loop's delay) plus its time in the server (queue and decision).
   * While the loop is saturated and that estimate is over this, the limit shrinks; under 80% of it
   * (or while the loop has time to spare), it grows back. 0: the limit stays at `max`.
   */
  readonly targetMs: number;
  /** How often the limit is revised, in milliseconds (default 100). */
  readonly windowMs?: number;
}

/**
 * An in-flight limit that follows the server's lateness (in the manner of TCP Vegas or Netflix's
 * gradient limit, with the time a request spends in the server as the round trip): it shrinks in
 * proportion to how far the estimated answer time is over the target (at most by half a window),
 * and grows back by √limit a window. Pure arithmetic on the times it is given, so a test drives it
 * with a clock of its own.
 */
export interface AdaptiveLimit {
  /** Requests to let in at once now: an integer in `[min, max]`. */
  readonly limit: number;
  /**
   * Requests that left the server per millisecond, smoothed over recent windows; `undefined` until
   * the first window with traffic has ended (nothing is known of the rate yet).
   */
  readonly rate: number | undefined;
  /** Mean time a request spent in the server (queue and decision), smoothed, in milliseconds. */
  readonly sojournMs: number;
  /** A request came in (to the queue or a slot) at `now`. */
  enter(now: number): void;
  /** A request left at `now`: answered (its slot given back), or shed from the queue. */
  leave(now: number): void;
  /**
   * Revises the limit once a window has passed since the last revision: `lagMs` is how late the
   * loop runs now (the wait a request has before the server sees it), `saturated` whether the loop
   * is busy nearly all the time (only then is lateness the server's own doing, not a busy machine's).
   */
  update(now: number, lagMs: number, saturated: boolean): void;
}

/** Smoothing of the per-window figures (the share of the newest window). */
const NEW = 0.5;

/** Makes an {@link AdaptiveLimit}. */
export function adaptiveLimit(options: AdaptiveLimitOptions, start = 0): AdaptiveLimit {
  const max = Math.max(1, options.max);
  const min = Math.max(1, Math.min(options.min, max));
  const windowMs = options.windowMs ?? 100;
  let limit = max;
  // Little's law over each window: the mean time in the server is the area under the count of
  // requests in it, divided by how many left (no per-request bookkeeping needed).
  let inside = 0;
  let changed = start;
  let area = 0;
  let left = 0;
  let windowStart = start;
  let smoothArea: number | undefined;
  let smoothLeft = 0;
  let rate: number | undefined;
  const mean = () => (smoothArea === undefined || smoothLeft === 0 ? 0 : smoothArea / smoothLeft);
  const account = (now: number) => {
    if (now > changed) {
      area += inside * (now - changed);
      changed = now;
    }
  };
  return {
    get limit() {
      return Math.floor(limit);
    },
    get rate() {
      return rate;
    },
    get sojournMs() {
      return mean();
    },
    enter(now) {
      account(now);
      inside++;
    },
    leave(now) {
      account(now);
      if (inside > 0) inside--;
      left++;
    },
    update(now, lagMs, saturated) {
      const span = now - windowStart;
      if (span < windowMs) return;
      account(now);
      if (smoothArea === undefined) {
        if (left > 0 || area > 0) {
          smoothArea = area;
          smoothLeft = left;
          rate = left / span;
        }
      } else {
        smoothArea = smoothArea * (1 - NEW) + area * NEW;
        smoothLeft = smoothLeft * (1 - NEW) + left * NEW;
        rate = (rate ?? 0) * (1 - NEW) + (left / span) * NEW;
      }
      area = 0;
      left = 0;
      windowStart = now;
      if (options.targetMs <= 0) return;
      // In a window where nobody left, those inside have been there the whole window at least.
      const sojourn = smoothLeft >= 1 ? mean() : inside > 0 ? span : mean();
      const estimate = lagMs + sojourn;
      if (saturated && estimate > options.targetMs) {
        limit = Math.max(min, limit * Math.min(0.9, Math.max(0.5, options.targetMs / estimate)));
      } else if (!saturated || estimate < options.targetMs * 0.8) {
        limit = Math.min(max, limit + Math.max(1, Math.sqrt(limit)));
      }
    },
  };
}
