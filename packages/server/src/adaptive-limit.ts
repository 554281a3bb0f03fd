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
 * gradient limit, with the time a request spends in the server as the round trip): once the
 * estimated answer time has been over the target for two windows running, it shrinks in proportion
 * to how far over it is (by a tenth to a half a window); under 80% of the target, or while the loop
 * has time to spare, it grows back by √limit a window. Pure arithmetic on the times it is given, so a test drives it
 * with a clock of its own.
 */
export interface AdaptiveLimit {
  /** Requests to let in at once now: an integer in `[min, max]`. */
  readonly limit: number;
  /**
   * Mean time a request holds its slot (its decision), smoothed, in milliseconds; `undefined` until
   * the first window in which one was decided. With every slot taken, one frees about every
   * `serviceMs / limit` milliseconds: what a newcomer's wait is reckoned from.
   */
  readonly serviceMs: number | undefined;
  /** Mean time a request spent in the server (queue and decision), smoothed, in milliseconds. */
  readonly sojournMs: number;
  /** A request came in at `now`: to the queue, or straight to a slot (then {@link start} too). */
  enter(now: number): void;
  /** A request that came in took a slot at `now`. */
  start(now: number): void;
  /** A request left at `now`: `served` (its slot given back), or shed from the queue. */
  leave(now: number, served: boolean): void;
  /**
   * Revises the limit once a window has passed since the last revision: `lagMs` is how late the
   * loop runs now (the wait a request has before the server sees it), `saturated` whether the loop
   * is busy nearly all the time (only then is lateness the server's own doing, not a busy machine's).
   */
  update(now: number, lagMs: number, saturated: boolean): void;
}

/** Smoothing of the per-window figures (the share of the newest window). */
const NEW = 0.5;

/** Makes an {@link AdaptiveLimit}; `start` is the clock's reading now. */
export function adaptiveLimit(options: AdaptiveLimitOptions, start = 0): AdaptiveLimit {
  const max = Math.max(1, options.max);
  const min = Math.max(1, Math.min(options.min, max));
  const windowMs = options.windowMs ?? 100;
  let limit = max;
  let over = 0;
  // Little's law over each window: the mean time in the server (or in a slot) is the area under
  // the count of requests in it, divided by how many left it (no per-request bookkeeping needed).
  let inside = 0;
  let active = 0;
  let changed = start;
  let insideArea = 0;
  let activeArea = 0;
  let left = 0;
  let served = 0;
  let windowStart = start;
  // Smoothed areas and counts; their ratio is the smoothed mean. Windows without any traffic
  // leave them as they are, so a quiet spell changes nothing; a stall (requests inside, none
  // leaving) raises the area but not the count, so the mean grows while it lasts.
  const smooth = { insideArea: 0, left: 0, activeArea: 0, served: 0 };
  let measured = false;
  let serviceKnown = false;
  const account = (now: number) => {
    if (now > changed) {
      insideArea += inside * (now - changed);
      activeArea += active * (now - changed);
      changed = now;
    }
  };
  const sojourn = () =>
    smooth.left > 0 ? smooth.insideArea / smooth.left : measured ? Number.POSITIVE_INFINITY : 0;
  return {
    get limit() {
      return Math.floor(limit);
    },
    get serviceMs() {
      return serviceKnown ? smooth.activeArea / smooth.served : undefined;
    },
    get sojournMs() {
      const mean = sojourn();
      return Number.isFinite(mean) ? mean : 0;
    },
    enter(now) {
      account(now);
      inside++;
    },
    start(now) {
      account(now);
      active++;
    },
    leave(now, wasServed) {
      account(now);
      if (inside > 0) inside--;
      left++;
      if (wasServed) {
        if (active > 0) active--;
        served++;
      }
    },
    update(now, lagMs, saturated) {
      const span = now - windowStart;
      if (span < windowMs) return;
      account(now);
      if (insideArea > 0 || left > 0) {
        const k = measured ? NEW : 1;
        smooth.insideArea = smooth.insideArea * (1 - k) + insideArea * k;
        smooth.left = smooth.left * (1 - k) + left * k;
        smooth.activeArea = smooth.activeArea * (1 - k) + activeArea * k;
        smooth.served = smooth.served * (1 - k) + served * k;
        measured = true;
        serviceKnown ||= served > 0;
      }
      insideArea = 0;
      activeArea = 0;
      left = 0;
      served = 0;
      windowStart = now;
      if (options.targetMs <= 0 || !measured) return;
      // Requests inside and none ever left: they have been there since the first window at least.
      const mean = sojourn();
      const estimate = lagMs + (Number.isFinite(mean) ? mean : span);
      if (saturated && estimate > options.targetMs) {
        // Over for two windows running: one pause (a collection, a neighbour's burst) is not a trend.
        if (++over >= 2)
          limit = Math.max(min, limit * Math.min(0.9, Math.max(0.5, options.targetMs / estimate)));
        return;
      }
      over = 0;
      if (!saturated || estimate < options.targetMs * 0.8)
        limit = Math.min(max, limit + Math.max(1, Math.sqrt(limit)));
    },
  };
}
