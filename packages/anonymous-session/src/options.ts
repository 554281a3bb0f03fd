import { PluginNameSchema, SESSION_EVENT_TYPES } from '@tactful/core';
import { z } from 'zod';

/** Default strength of each kind of session event (before caps and decay). */
export const DEFAULT_SIGNAL_STRENGTHS = Object.freeze({
  page_view: 0.25,
  category_view: 0.75,
  product_view: 1,
  search: 1,
  add_to_cart: 3,
  /** Per `dwellUnitMs` of dwell time. */
  dwell: 0.5,
});

const Topic = z.string().min(1).max(64);
const SlotId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : - only, e.g. "home.categories"');

/** Options of `anonymousSession`. */
export const AnonymousSessionOptionsSchema = z.strictObject({
  /** Plugin name (default `@tactful/anonymous-session`). */
  name: PluginNameSchema.default('@tactful/anonymous-session'),
  /** Strength per event type, merged over {@link DEFAULT_SIGNAL_STRENGTHS}; 0 ignores a type. */
  signals: z.partialRecord(z.enum(SESSION_EVENT_TYPES), z.number().min(0).max(100)).default({}),
  /** Dwell time that counts as one unit of the `dwell` strength (default 30 s). */
  dwellUnitMs: z.number().int().positive().max(3_600_000).default(30_000),
  /** Half-life of an event's weight: an event this old counts half (default 10 minutes). */
  halfLifeMs: z
    .number()
    .int()
    .positive()
    .max(7 * 86_400_000)
    .default(600_000),
  caps: z
    .strictObject({
      /** Most one event may add to a topic (default 3). */
      perEvent: z.number().positive().max(1000).default(3),
      /** Most events about the same target that count (repeated reloads don't inflate; default 3). */
      perTarget: z.number().int().positive().max(1000).default(3),
      /** Decayed strength at which a topic's score reaches 1 (default 5). */
      perTopic: z.number().positive().max(10_000).default(5),
      /** Most topics revealed (default 10). */
      topics: z.number().int().positive().max(100).default(10),
    })
    .default({ perEvent: 3, perTarget: 3, perTopic: 5, topics: 10 }),
  /** Scores below this are not revealed (default 0.05). */
  minScore: z.number().min(0).max(1).default(0.05),
  /**
   * Randomized response on the revealed interests (Topics API spirit): each revealed topic is, with
   * `probability`, replaced by a random topic from `topics`. Within one session the noise is stable
   * (seeded from the session id with a per-instance secret), so repeating requests can't average it out.
   */
  noise: z
    .strictObject({
      probability: z.number().min(0).max(1),
      topics: z.array(Topic).min(2, 'give at least two topics to draw noise from'),
      /** A random source in [0, 1) (for tests: `seededRandom(42)`); default: stable per session. */
      random: z
        .custom<() => number>(
          (v) => typeof v === 'function',
          'expected a function returning a number in [0, 1)',
        )
        .optional(),
    })
    .optional(),
  /** Slots this strategy fills itself. */
  slots: z
    .strictObject({
      /** Categories reordered by interest: content `{ order, top }`. */
      categories: SlotId.optional(),
      /** "Continue where you left off": content `{ items }` of recently viewed products. */
      continue: SlotId.optional(),
    })
    .default({}),
  /** The site's category order (topic ids); interesting ones move first. */
  categories: z.array(Topic).max(200).default([]),
  /** Most items in "continue where you left off" (default 4). */
  continueLimit: z.number().int().positive().max(50).default(4),
  /** Merge priority (default 0). */
  priority: z.number().int().min(-1000).max(1000).default(0),
  timeoutMs: z.number().int().positive().max(60_000).optional(),
});

/** Options of `anonymousSession`, as written. */
export type AnonymousSessionOptions = z.input<typeof AnonymousSessionOptionsSchema>;
/** Options of `anonymousSession`, with defaults applied. */
export type ResolvedAnonymousSessionOptions = z.output<typeof AnonymousSessionOptionsSchema>;
