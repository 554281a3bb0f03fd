import { defineStrategy, type StrategyOutput } from '@tactful/core';
import { inWindow, localTime } from './local-time.js';
import { type HappyHourOptions, parseHappyHourOptions } from './options.js';

/** The signal this strategy publishes: `true` during happy hour, `false` outside it. */
export const HAPPY_HOUR_SIGNAL = 'happy-hour.active';

function readTime(value: unknown): { epochMs: number; timeZone?: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { now, timeZone } = value as { now?: unknown; timeZone?: unknown };
  const epochMs = typeof now === 'string' ? Date.parse(now) : Number.NaN;
  if (!Number.isFinite(epochMs)) return undefined;
  return typeof timeZone === 'string' ? { epochMs, timeZone } : { epochMs };
}

const pad = (hour: number) => `${String(hour % 24).padStart(2, '0')}:00`;

/**
 * A strategy that fills one slot with a happy-hour offer while it is happy hour where the visitor
 * is. It reads only the local time of the request (`context.time`, for contextual
 * personalization): no identity, no history.
 *
 * @example
 * ```ts
 * import { happyHour } from 'tactful-plugin-happy-hour';
 *
 * const strategy = happyHour({
 *   slot: 'home.hero',
 *   startHour: 17,
 *   endHour: 19,
 *   days: ['friday', 'saturday'],
 *   timeZone: 'Asia/Ho_Chi_Minh',
 *   content: { headline: { en: '2 for 1 on iced coffee', vi: 'Mua 1 tặng 1 cà phê đá' } },
 * });
 * const orchestrator = createOrchestrator({ consent, strategies: [strategy] });
 * ```
 */
export function happyHour(options: HappyHourOptions) {
  const o = parseHappyHourOptions(options);
  const window = `${pad(o.startHour)}–${pad(o.endHour)}`;
  return defineStrategy({
    manifest: {
      name: 'tactful-plugin-happy-hour',
      version: '1.0.0',
      core: '^0.1.0',
      description: {
        en: 'Shows a happy-hour offer during local happy hour',
        vi: 'Hiển thị ưu đãi giờ vàng theo giờ địa phương',
      },
      purposes: ['personalization.contextual'],
      reads: [
        {
          category: 'context.time',
          purpose: 'personalization.contextual',
          why: {
            en: 'To show offers that are on at your local time',
            vi: 'Để hiển thị ưu đãi đang diễn ra theo giờ địa phương của bạn',
          },
        },
      ],
      signals: {
        publishes: [
          {
            name: HAPPY_HOUR_SIGNAL,
            description: { en: 'Whether it is happy hour', vi: 'Có đang trong giờ vàng không' },
          },
        ],
        reads: [],
      },
    },
    decide(input, { signal }): StrategyOutput {
      signal.throwIfAborted();
      const time = readTime(input.data['context.time']);
      if (!time) return { proposals: [] };
      const local =
        (time.timeZone === undefined ? undefined : localTime(time.epochMs, time.timeZone)) ??
        localTime(time.epochMs, o.timeZone);
      if (!local) return { proposals: [] };
      const active = o.days.includes(local.weekday) && inWindow(local.hour, o.startHour, o.endHour);
      const wanted = input.slots.some((s) => s.id === o.slot);
      return {
        proposals:
          active && wanted
            ? [
                {
                  slot: o.slot,
                  content: structuredClone(o.content),
                  variant: o.variant,
                  score: o.score,
                  origin: 'contextual',
                  reason: {
                    en: `It is happy hour (${window}) where you are.`,
                    vi: `Đang là giờ vàng (${window}) tại nơi bạn ở.`,
                  },
                  signals: ['happy-hour'],
                  categories: ['context.time'],
                },
              ]
            : [],
        signals: { [HAPPY_HOUR_SIGNAL]: active },
      };
    },
  });
}
