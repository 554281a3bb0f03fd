import { SESSION_EVENT_TYPES, type SessionEvent } from '@tactful/core';
import { FUTURE_SKEW_MS, type TimedEvents, timedEvents } from './instant.js';
import { DEFAULT_SIGNAL_STRENGTHS } from './signal-strengths.js';

/** What scoring needs to know (a subset of the strategy's options). */
export interface ScoringOptions {
  signals: Partial<Record<SessionEvent['type'], number>>;
  dwellUnitMs: number;
  halfLifeMs: number;
  caps: { perEvent: number; perTarget: number; perTopic: number; topics: number };
  minScore: number;
}

/** One revealed interest. */
export interface Interest {
  readonly topic: string;
  /** In [0, 1], rounded to 3 decimals. */
  readonly score: number;
}

const TYPES: ReadonlySet<string> = new Set(SESSION_EVENT_TYPES);
export { FUTURE_SKEW_MS };

/**
 * Turns session events into interest scores: each event adds its type's strength (dwell: per unit
 * of time), capped per event, to each of its topics, weighted by `2^(-age / halfLife)`; at most
 * `caps.perTarget` events about one target count. A topic's score is its decayed total over
 * `caps.perTopic`, capped at 1. Returns the top `caps.topics` topics with score ≥ `minScore`,
 * highest first (ties by topic name). Malformed events are skipped; the result depends only on
 * the events, the options and `now`.
 *
 * @example
 * ```ts
 * scoreInterests(events, { signals: {}, dwellUnitMs: 30_000, halfLifeMs: 600_000,
 *   caps: { perEvent: 3, perTarget: 3, perTopic: 5, topics: 10 }, minScore: 0.05 }, Date.now());
 * // [{ topic: 'kids', score: 0.62 }, { topic: 'toys', score: 0.2 }]
 * ```
 */
export function scoreInterests(events: readonly unknown[], options: ScoringOptions, now: number): Interest[] {
  return scoreTimedEvents(timedEvents(events, now), options, now);
}

/** {@link scoreInterests} over events whose times were read already (by {@link timedEvents}). */
export function scoreTimedEvents(timed: TimedEvents, options: ScoringOptions, now: number): Interest[] {
  const raw = new Map<string, number>();
  // Events counted per type and target (a map per type: no key string built per event).
  const perTarget = new Map<string, Map<string, number>>();
  const ln2 = Math.LN2 / options.halfLifeMs;
  const { events, times } = timed;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as Partial<SessionEvent>;
    const type = event.type as SessionEvent['type'];
    if (typeof type !== 'string' || !TYPES.has(type)) continue;
    const at = times[i]!;
    const topics = event.topics;
    if (!Array.isArray(topics) || topics.length === 0) continue;
    let strength = options.signals[type] ?? DEFAULT_SIGNAL_STRENGTHS[type];
    if (type === 'dwell') {
      const d = typeof event.durationMs === 'number' && event.durationMs > 0 ? event.durationMs : 0;
      strength *= d / options.dwellUnitMs;
    }
    if (!(strength > 0)) continue;
    if (typeof event.target === 'string') {
      let counts = perTarget.get(type);
      if (counts === undefined) {
        counts = new Map();
        perTarget.set(type, counts);
      }
      const seen = (counts.get(event.target) ?? 0) + 1;
      counts.set(event.target, seen);
      if (seen > options.caps.perTarget) continue;
    }
    const weight = Math.min(strength, options.caps.perEvent) * Math.exp(-ln2 * Math.max(0, now - at));
    for (let t = 0; t < topics.length && t < 20; t++) {
      const topic = topics[t];
      if (typeof topic !== 'string' || topic === '' || topic.length > 64 || topics.indexOf(topic) !== t)
        continue;
      raw.set(topic, (raw.get(topic) ?? 0) + weight);
    }
  }
  const out: Interest[] = [];
  for (const [topic, total] of raw) {
    const score = Math.round(Math.min(total / options.caps.perTopic, 1) * 1000) / 1000;
    if (score >= options.minScore && score > 0) out.push({ topic, score });
  }
  if (out.length > 1)
    out.sort((a, b) => b.score - a.score || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  if (out.length > options.caps.topics) out.length = options.caps.topics;
  return out;
}
