/** Counts the members of a segment across the whole population (a database count, an analytics query ...). */
export interface PopulationCounter {
  count(segment: string): number | Promise<number>;
}

/** The default k of the k-anonymity floor: a segment with fewer members does not activate. */
export const DEFAULT_K = 50;

/**
 * A cache in front of a population counter, so the floor costs one count per segment per
 * `cacheMs`, not one per decision. A counter that throws, rejects or returns something other
 * than a non-negative number counts as 0: the floor fails closed.
 */
export function cachedPopulation(
  counter: PopulationCounter,
  cacheMs: number,
): (segment: string, now: number) => Promise<number> {
  const cache = new Map<string, { count: number; expires: number }>();
  const inflight = new Map<string, Promise<number>>();
  return async (segment, now) => {
    const hit = cache.get(segment);
    if (hit !== undefined && hit.expires > now) return hit.count;
    const running = inflight.get(segment);
    if (running !== undefined) return running;
    const work = (async () => {
      let count: number;
      let ok = true;
      try {
        const n = await counter.count(segment);
        ok = typeof n === 'number' && Number.isFinite(n) && n >= 0;
        count = ok ? n : 0;
      } catch {
        ok = false;
        count = 0;
      }
      // Failures are not cached: the next decision asks again.
      if (ok && cacheMs > 0) cache.set(segment, { count, expires: now + cacheMs });
      return count;
    })().finally(() => inflight.delete(segment));
    inflight.set(segment, work);
    return work;
  };
}
