import { PluginNameSchema, SESSION_EVENT_TYPES } from '@tactful/core';
import * as z from 'zod/mini';
import { SLOT_ID_RULE } from './options-check.js';

export { DEFAULT_SIGNAL_STRENGTHS } from './signal-strengths.js';

const Topic = z.string().check(z.minLength(1), z.maxLength(64));
const SlotId = z.string().check(z.minLength(1), z.maxLength(128), z.regex(...SLOT_ID_RULE));

/** Options of `anonymousSession`. */
export const AnonymousSessionOptionsSchema = z.strictObject({
  /** Plugin name (default `@tactful/anonymous-session`). */
  name: z._default(PluginNameSchema, '@tactful/anonymous-session'),
  /** Strength per event type, merged over {@link DEFAULT_SIGNAL_STRENGTHS}; 0 ignores a type. */
  signals: z._default(
    z.partialRecord(z.enum(SESSION_EVENT_TYPES), z.number().check(z.gte(0), z.lte(100))),
    {},
  ),
  /** Dwell time that counts as one unit of the `dwell` strength (default 30 s). */
  dwellUnitMs: z._default(z.number().check(z.int(), z.positive(), z.lte(3_600_000)), 30_000),
  /** Half-life of an event's weight: an event this old counts half (default 10 minutes). */
  halfLifeMs: z._default(z.number().check(z.int(), z.positive(), z.lte(7 * 86_400_000)), 600_000),
  caps: z._default(
    z.strictObject({
      /** Most one event may add to a topic (default 3). */
      perEvent: z._default(z.number().check(z.positive(), z.lte(1000)), 3),
      /** Most events about the same target that count (repeated reloads don't inflate; default 3). */
      perTarget: z._default(z.number().check(z.int(), z.positive(), z.lte(1000)), 3),
      /** Decayed strength at which a topic's score reaches 1 (default 5). */
      perTopic: z._default(z.number().check(z.positive(), z.lte(10_000)), 5),
      /** Most topics revealed (default 10). */
      topics: z._default(z.number().check(z.int(), z.positive(), z.lte(100)), 10),
    }),
    { perEvent: 3, perTarget: 3, perTopic: 5, topics: 10 },
  ),
  /** Scores below this are not revealed (default 0.05). */
  minScore: z._default(z.number().check(z.gte(0), z.lte(1)), 0.05),
  /**
   * Randomized response on the revealed interests (Topics API spirit): each revealed topic is, with
   * `probability`, replaced by a random topic from `topics`. Within one session the noise is stable
   * (seeded from the session id with a per-instance secret), so repeating requests can't average it out.
   */
  noise: z.optional(
    z.strictObject({
      probability: z.number().check(z.gte(0), z.lte(1)),
      topics: z.array(Topic).check(z.minLength(2, 'give at least two topics to draw noise from')),
      /** A random source in [0, 1) (for tests: `seededRandom(42)`); default: stable per session. */
      random: z.optional(
        z.custom<() => number>(
          (v) => typeof v === 'function',
          'expected a function returning a number in [0, 1)',
        ),
      ),
    }),
  ),
  /** Slots this strategy fills itself. */
  slots: z._default(
    z.strictObject({
      /** Categories reordered by interest: content `{ order, top }`. */
      categories: z.optional(SlotId),
      /** "Continue where you left off": content `{ items }` of recently viewed products. */
      continue: z.optional(SlotId),
    }),
    {},
  ),
  /** The site's category order (topic ids); interesting ones move first. */
  categories: z._default(z.array(Topic).check(z.maxLength(200)), []),
  /** Most items in "continue where you left off" (default 4). */
  continueLimit: z._default(z.number().check(z.int(), z.positive(), z.lte(50)), 4),
  /** Merge priority (default 0). */
  priority: z._default(z.number().check(z.int(), z.gte(-1000), z.lte(1000)), 0),
  timeoutMs: z.optional(z.number().check(z.int(), z.positive(), z.lte(60_000))),
});

/** Options of `anonymousSession`, as written. */
export type AnonymousSessionOptions = z.input<typeof AnonymousSessionOptionsSchema>;
/** Options of `anonymousSession`, with defaults applied. */
export type ResolvedAnonymousSessionOptions = z.output<typeof AnonymousSessionOptionsSchema>;
