/** Events stamped further than this in the future are ignored (clock skew allowance). */
export const FUTURE_SKEW_MS = 60_000;

/**
 * A decision's session events with their times, each `at` parsed once: only objects whose `at`
 * reads as an instant no later than `now` plus {@link FUTURE_SKEW_MS}, in their given order.
 */
export interface TimedEvents {
  readonly events: readonly Readonly<Record<string, unknown>>[];
  /** Epoch milliseconds of `events[i]`. */
  readonly times: readonly number[];
}

/** Reads the times of `events` once, for scoring and "continue where you left off" alike. */
export function timedEvents(events: readonly unknown[], now: number): TimedEvents {
  const kept: Readonly<Record<string, unknown>>[] = [];
  const times: number[] = [];
  const latest = now + FUTURE_SKEW_MS;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (typeof e !== 'object' || e === null) continue;
    const at = (e as { at?: unknown }).at;
    if (typeof at !== 'string') continue;
    const t = Date.parse(at);
    if (!Number.isFinite(t) || t > latest) continue;
    kept.push(e as Readonly<Record<string, unknown>>);
    times.push(t);
  }
  return { events: kept, times };
}
