import type { RandomSource } from './random.js';
import type { Interest } from './scoring.js';

/**
 * Randomized response over revealed interests (in the spirit of the Topics API): each interest is,
 * with probability `probability`, replaced by a topic drawn uniformly from `topics` (one not
 * already revealed), keeping its score. An observer of the revealed list can't tell whether any one
 * topic is real; the shape of the list (how many, which scores) is unchanged.
 *
 * @example
 * ```ts
 * applyNoise([{ topic: 'kids', score: 0.8 }], { probability: 0.1, topics: ['garden', 'books', 'kids'] }, seededRandom(1));
 * ```
 */
export function applyNoise(
  interests: readonly Interest[],
  noise: { probability: number; topics: readonly string[] },
  random: RandomSource,
): Interest[] {
  if (noise.probability <= 0 || interests.length === 0) return [...interests];
  const out: Interest[] = [];
  const used = new Set(interests.map((i) => i.topic));
  for (const interest of interests) {
    if (random() < noise.probability) {
      const pool = noise.topics.filter((t) => !used.has(t));
      const pick = pool[Math.floor(random() * pool.length)];
      if (pick !== undefined) {
        used.add(pick);
        out.push({ topic: pick, score: interest.score });
        continue;
      }
    }
    out.push(interest);
  }
  return out;
}
