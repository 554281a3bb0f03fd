import type { ConsentState } from '@tactful/core';

type Status = 'granted' | 'denied';

/**
 * Remembers, for the most recent subjects, which purposes were granted at their last decision, only
 * to emit `consent:changed`. It is never read to decide anything — consent is asked afresh for
 * every decision — so it cannot make a withdrawal late. Bounded (least recently used goes first);
 * anonymous sessions are not remembered (P7).
 */
export class ConsentMemory {
  readonly #capacity: number;
  readonly #seen = new Map<string, Map<string, Status>>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get enabled(): boolean {
    return this.#capacity > 0;
  }

  /** Records `state` for `subject` and returns what changed since the previous call for it. */
  compare(subject: string, state: ConsentState): Array<{ purpose: string; from: Status; to: Status }> {
    const current = new Map<string, Status>();
    for (const purpose of Object.keys(state.purposes)) current.set(purpose, state.purposes[purpose]!.status);
    const previous = this.#seen.get(subject);
    this.#seen.delete(subject);
    this.#seen.set(subject, current);
    if (this.#seen.size > this.#capacity) {
      const oldest = this.#seen.keys().next();
      if (!oldest.done) this.#seen.delete(oldest.value);
    }
    if (!previous) return [];
    const changes: Array<{ purpose: string; from: Status; to: Status }> = [];
    for (const [purpose, to] of current) {
      const from = previous.get(purpose);
      if (from !== undefined && from !== to) changes.push({ purpose, from, to });
    }
    return changes;
  }
}
