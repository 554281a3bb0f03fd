import type { SessionEvent } from '@tactful/core';

/** Estimated bytes of a session entry without events (map slot, id, object). */
export const SESSION_ENTRY_BYTES = 200;

/**
 * The estimated bytes an event takes in memory: the object and its fields (V8 headers, pointers)
 * and its strings (two bytes a character, to be safe). Every session store measures its
 * `maxBytesPerSession` and `maxBytes` budgets with it.
 */
export function eventBytes(event: SessionEvent): number {
  let bytes = 120 + 2 * (event.type.length + event.at.length);
  if (event.target !== undefined) bytes += 24 + 2 * event.target.length;
  if (event.topics !== undefined) {
    bytes += 32;
    for (const t of event.topics) bytes += 24 + 2 * t.length;
  }
  return bytes;
}
