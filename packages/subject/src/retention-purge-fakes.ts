import type { SubjectStore } from '@tactful/core';

/**
 * For the retention purge's tests (not exported by the package): a store whose purges are
 * recorded (`calls`, the limit of each) and answered by `answer` — a count, garbage, a throw or
 * a promise that never settles.
 */
export function fakePurgeStore(answer: (limit: number | undefined) => unknown) {
  const calls: Array<number | undefined> = [];
  return {
    calls,
    store: {
      purgeExpired: (options?: { limit?: number }) => {
        calls.push(options?.limit);
        return answer(options?.limit);
      },
    } as unknown as Pick<SubjectStore, 'purgeExpired'>,
  };
}

/** A fake store holding `items` expired items; each purge deletes up to its limit of them (`left()` says how many remain). */
export function backlogPurgeStore(items: number) {
  let left = items;
  const fake = fakePurgeStore(async (limit) => {
    const removed = Math.min(left, limit ?? left);
    left -= removed;
    return { removed };
  });
  return { ...fake, left: () => left };
}
