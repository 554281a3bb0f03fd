import { CheckFailure, type SessionEvent, TactfulError, sessionEvent } from '@tactful/core';
import type { SessionEventInput } from './session-store.js';

/**
 * Validates an event an app records with core's `sessionEvent` check alone (equal to
 * `SessionEventSchema`), filling `at`. The memory store puts a fast path for the common case in
 * front of it (`toSessionEvent`); the `sessionStorage` store, which records one click at a time in a
 * page, calls it directly and so ships without that path.
 * @throws TactfulError `INVALID_INPUT` naming the field
 */
export function checkSessionEvent(event: SessionEventInput, now: number): SessionEvent {
  const candidate =
    typeof event === 'object' && event !== null && event.at === undefined
      ? { ...event, at: new Date(now).toISOString() }
      : event;
  try {
    return Object.freeze(sessionEvent(candidate, []));
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    throw new TactfulError(
      'INVALID_INPUT',
      `session event: ${error.path.join('.') || '(root)'}: ${error.message}`,
      {
        path: [...error.path],
      },
    );
  }
}
