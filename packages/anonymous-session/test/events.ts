import type { SessionEvent } from '@tactful/core';

export const NOW = Date.UTC(2026, 5, 1, 10, 0, 0);
export const MINUTE = 60_000;

/** A session event `minutesAgo` before {@link NOW}. */
export function ev(
  type: SessionEvent['type'],
  topics: string[],
  minutesAgo = 0,
  extra: Partial<SessionEvent> = {},
): SessionEvent {
  return { type, at: new Date(NOW - minutesAgo * MINUTE).toISOString(), topics, ...extra };
}
