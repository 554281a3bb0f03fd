import type { SessionEvent } from '@tactful/core';
import { callContext, strategyInput } from '@tactful/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MINUTE, NOW } from '../test/events.js';
import { timedEvents } from './instant.js';
import { AnonymousSessionOptionsSchema, DEFAULT_SIGNAL_STRENGTHS } from './options.js';
import { continueWhereLeftOff } from './proposals.js';
import { scoreInterests } from './scoring.js';
import { anonymousSession } from './strategy.js';

// The algorithms as they were before an event's time was read once per decision (Date.parse on
// every read, the filters and sort of each proposal on its own): the reference the shared pass
// must agree with, event for event.
function referenceScores(events: readonly unknown[], o: ReturnType<typeof options>, now: number) {
  const types = new Set(['page_view', 'product_view', 'category_view', 'search', 'add_to_cart', 'dwell']);
  const strengths: Record<string, number> = DEFAULT_SIGNAL_STRENGTHS;
  const raw = new Map<string, number>();
  const perTarget = new Map<string, number>();
  for (const e of events) {
    if (typeof e !== 'object' || e === null) continue;
    const event = e as Partial<SessionEvent>;
    if (typeof event.type !== 'string' || !types.has(event.type) || typeof event.at !== 'string') continue;
    const at = Date.parse(event.at);
    if (!Number.isFinite(at) || at > now + 60_000) continue;
    const topics = event.topics;
    if (!Array.isArray(topics) || topics.length === 0) continue;
    let strength = strengths[event.type]!;
    if (event.type === 'dwell')
      strength *=
        (typeof event.durationMs === 'number' && event.durationMs > 0 ? event.durationMs : 0) / o.dwellUnitMs;
    if (!(strength > 0)) continue;
    if (typeof event.target === 'string') {
      const key = `${event.type}\u0000${event.target}`;
      const seen = (perTarget.get(key) ?? 0) + 1;
      perTarget.set(key, seen);
      if (seen > o.caps.perTarget) continue;
    }
    const weight =
      Math.min(strength, o.caps.perEvent) * Math.exp(-(Math.LN2 / o.halfLifeMs) * Math.max(0, now - at));
    topics.forEach((topic, t) => {
      if (t >= 20 || typeof topic !== 'string' || topic === '' || topic.length > 64) return;
      if (topics.indexOf(topic) !== t) return;
      raw.set(topic, (raw.get(topic) ?? 0) + weight);
    });
  }
  return [...raw]
    .map(([topic, total]) => ({
      topic,
      score: Math.round(Math.min(total / o.caps.perTopic, 1) * 1000) / 1000,
    }))
    .filter((s) => s.score >= o.minScore && s.score > 0)
    .sort((a, b) => b.score - a.score || (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0))
    .slice(0, o.caps.topics);
}

function referenceContinue(events: readonly unknown[], limit: number, now: number) {
  const sorted = events
    .filter(
      (e): e is SessionEvent =>
        typeof e === 'object' && e !== null && typeof (e as SessionEvent).at === 'string',
    )
    .map((e) => ({ e, t: Date.parse(e.at) }))
    .filter(({ t }) => Number.isFinite(t) && t <= now + 60_000)
    .sort((a, b) => b.t - a.t);
  const inCart = new Set(
    sorted
      .filter(({ e }) => e.type === 'add_to_cart' && typeof e.target === 'string')
      .map(({ e }) => e.target),
  );
  const items: Array<{ target: string; topics: string[]; at: string }> = [];
  const seen = new Set<string>();
  for (const { e } of sorted) {
    if (items.length >= limit) break;
    if (
      e.type !== 'product_view' ||
      typeof e.target !== 'string' ||
      seen.has(e.target) ||
      inCart.has(e.target)
    )
      continue;
    seen.add(e.target);
    items.push({ target: e.target, topics: Array.isArray(e.topics) ? [...e.topics] : [], at: e.at });
  }
  return { kind: 'continue', items };
}

const options = (extra: Record<string, unknown> = {}) => AnonymousSessionOptionsSchema.parse(extra);

/** Session events as a browser may send them: well-formed, late, early, in other formats, or junk. */
const at = fc.oneof(
  fc.integer({ min: -600, max: 5 }).map((m) => new Date(NOW - m * MINUTE).toISOString()),
  fc
    .integer({ min: -600, max: 5 })
    .map((m) => new Date(NOW - m * MINUTE + 7 * 3_600_000).toISOString().replace('Z', '+07:00')),
  fc.integer({ min: 0, max: 600 }).map((m) => new Date(NOW - m * MINUTE).toUTCString()),
  fc.constantFrom('soon', '', '2026-13-01T00:00:00Z', '2026-06-01T10:00Z'),
  fc.integer(),
);
const event = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        type: fc.constantFrom(
          'page_view',
          'product_view',
          'category_view',
          'search',
          'add_to_cart',
          'dwell',
          'other',
        ),
        at,
        topics: fc.array(fc.constantFrom('kids', 'toys', 'rain', '', 'x'.repeat(65)), { maxLength: 4 }),
        target: fc.constantFrom('p1', 'p2', 'p3', 'p4', 7),
        durationMs: fc.integer({ min: -1, max: 600_000 }),
      },
      { requiredKeys: ['type', 'at'] },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, 3, 'page_view', [], {}) },
);

describe('session events read once per decision', () => {
  it('scores and lists recently viewed exactly as reading every event on its own did (property)', () => {
    const o = options({ minScore: 0, continueLimit: 3 });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.boolean(), (events, frozen) => {
        const list = frozen
          ? Object.freeze(events.map((e) => (e && typeof e === 'object' ? Object.freeze(e) : e)))
          : events;
        expect(scoreInterests(list, o, NOW)).toEqual(referenceScores(list, o, NOW));
        expect(continueWhereLeftOff(list, 3, NOW)).toEqual(referenceContinue(list, 3, NOW));
        const timed = timedEvents(list, NOW);
        expect(timed.events.length).toBe(timed.times.length);
      }),
      { numRuns: 300 },
    );
  });

  it('reads every event time as Date.parse does, years 0–99, 24:00 and other forms included', () => {
    const ats = [
      '0050-01-01T00:00:00Z',
      '0099-12-31T23:59:59.500+07:00',
      '2026-12-03T24:00:00Z',
      '2026-12-03T19:21:00.1234+07:00',
      '+002026-12-03T19:21:00Z',
      'Thu, 03 Dec 2026 12:21:00 GMT',
    ];
    const timed = timedEvents(
      ats.map((at) => ({ type: 'page_view', at })),
      Date.parse('2030-01-01T00:00:00Z'),
    );
    expect(timed.times).toEqual(ats.map((at) => Date.parse(at)));
    // Year 50 stays year 50 (Date.UTC would read it as 1950).
    expect(new Date(timed.times[0]!).getUTCFullYear()).toBe(50);
    expect(new Date(timed.times[1]!).getUTCFullYear()).toBe(99);
  });

  it("the strategy's proposals and signal match the reference for any events (property)", async () => {
    const strategy = anonymousSession({
      slots: { categories: 'home.rail', continue: 'home.continue' },
      categories: ['kids', 'toys', 'rain', 'home'],
      continueLimit: 3,
    });
    const o = options({ continueLimit: 3 });
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 40 }), async (events) => {
        const out = await strategy.decide(
          strategyInput({
            slots: ['home.rail', 'home.continue'],
            data: { 'session.events': events },
            granted: ['personalization.session'],
            now: NOW,
          }),
          callContext(),
        );
        const scores = referenceScores(events, o, NOW);
        expect(out.signals?.['session.interests']).toEqual(
          Object.fromEntries(scores.map((s) => [s.topic, s.score])),
        );
        const cont = referenceContinue(events, 3, NOW);
        const proposed = out.proposals.find((p) => p.slot === 'home.continue');
        expect(proposed?.content).toEqual(cont.items.length > 0 ? cont : undefined);
        expect(proposed?.topics).toEqual(
          proposed === undefined ? undefined : [...new Set(cont.items.flatMap((i) => i.topics))],
        );
        // The categories reordered as the Set-and-filter version did: interests first, then the rest in site order.
        const site = ['kids', 'toys', 'rain', 'home'];
        const known = new Set(site);
        const top = scores.map((s) => s.topic).filter((t) => known.has(t));
        const reordered = out.proposals.find((p) => p.slot === 'home.rail');
        expect(reordered?.content).toEqual(
          top.length > 0
            ? { kind: 'categories', order: [...top, ...site.filter((c) => !top.includes(c))], top }
            : undefined,
        );
        expect(reordered?.signals).toEqual(top.length > 0 ? top.map((t) => `interest:${t}`) : undefined);
      }),
      { numRuns: 200 },
    );
  });
});
