import {
  type Check,
  SESSION_EVENT_TYPES,
  SLOT_ID_RULE,
  arr,
  custom,
  num,
  obj,
  oneOf,
  optional,
  pluginName,
  rec,
  str,
  withDefault,
} from '@tactful/core';
import type { ResolvedAnonymousSessionOptions } from './options.js';

/** A slot id this strategy fills: core's slot id rule (pattern and message shared with the schema). */
export { SLOT_ID_RULE };

const topic = str({ min: 1, max: 64 });
const slotId = str({ min: 1, max: 128, pattern: SLOT_ID_RULE });

/**
 * The options check of `anonymousSession`: accepts exactly what `AnonymousSessionOptionsSchema`
 * accepts, returns the same options and names the same first field (proven by
 * `options-check.test.ts`), without zod in a page.
 */
export const checkAnonymousSessionOptions: Check<ResolvedAnonymousSessionOptions> = obj(
  {
    name: withDefault(pluginName, () => '@tactful/anonymous-session'),
    signals: withDefault(rec(oneOf(SESSION_EVENT_TYPES), num({ gte: 0, lte: 100 }), true), () => ({})),
    dwellUnitMs: withDefault(num({ int: true, positive: true, lte: 3_600_000 }), () => 30_000),
    halfLifeMs: withDefault(num({ int: true, positive: true, lte: 7 * 86_400_000 }), () => 600_000),
    caps: withDefault(
      obj(
        {
          perEvent: withDefault(num({ positive: true, lte: 1000 }), () => 3),
          perTarget: withDefault(num({ int: true, positive: true, lte: 1000 }), () => 3),
          perTopic: withDefault(num({ positive: true, lte: 10_000 }), () => 5),
          topics: withDefault(num({ int: true, positive: true, lte: 100 }), () => 10),
        },
        true,
      ),
      () => ({ perEvent: 3, perTarget: 3, perTopic: 5, topics: 10 }),
    ),
    minScore: withDefault(num({ gte: 0, lte: 1 }), () => 0.05),
    noise: optional(
      obj(
        {
          probability: num({ gte: 0, lte: 1 }),
          topics: arr(topic, { min: 2, minMessage: 'give at least two topics to draw noise from' }),
          random: optional(
            custom<() => number>(
              (v) => typeof v === 'function',
              'expected a function returning a number in [0, 1)',
            ),
          ),
        },
        true,
      ),
    ),
    slots: withDefault(obj({ categories: optional(slotId), continue: optional(slotId) }, true), () => ({})),
    categories: withDefault(arr(topic, { max: 200 }), () => []),
    continueLimit: withDefault(num({ int: true, positive: true, lte: 50 }), () => 4),
    priority: withDefault(num({ int: true, gte: -1000, lte: 1000 }), () => 0),
    timeoutMs: optional(num({ int: true, positive: true, lte: 60_000 })),
  },
  true,
) as Check<ResolvedAnonymousSessionOptions>;
