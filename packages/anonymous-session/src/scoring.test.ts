import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ev, MINUTE, NOW } from '../test/events.js';
import { AnonymousSessionOptionsSchema } from './options.js';
import { scoreInterests } from './scoring.js';

const options = (extra: Record<string, unknown> = {}) => AnonymousSessionOptionsSchema.parse(extra);

describe('scoreInterests', () => {
  it('halves an event’s weight every half-life', () => {
    const o = options({ halfLifeMs: 10 * MINUTE, caps: { perTopic: 10 } });
    const fresh = scoreInterests([ev('product_view', ['kids'], 0)], o, NOW)[0]!.score;
    const old = scoreInterests([ev('product_view', ['kids'], 10)], o, NOW)[0]!.score;
    const older = scoreInterests([ev('product_view', ['kids'], 20)], o, NOW)[0]?.score ?? 0;
    expect(fresh).toBe(0.1);
    expect(old).toBe(0.05);
    expect(older).toBe(0); // 0.025 is below minScore: not revealed at all
  });

  it('weighs event types by configured strength, dwell by time', () => {
    const o = options({ signals: { search: 2 }, caps: { perTopic: 10 }, minScore: 0 });
    const scores = scoreInterests(
      [
        ev('page_view', ['a']),
        ev('product_view', ['b']),
        ev('add_to_cart', ['c']),
        ev('search', ['d']),
        ev('dwell', ['e'], 0, { durationMs: 60_000 }),
      ],
      o,
      NOW,
    );
    expect(Object.fromEntries(scores.map((s) => [s.topic, s.score]))).toEqual({
      a: 0.025,
      b: 0.1,
      c: 0.3,
      d: 0.2,
      e: 0.1,
    });
  });

  it('caps one event, repeated events about one target, and a topic at 1', () => {
    const o = options({ caps: { perEvent: 2, perTarget: 2, perTopic: 5, topics: 10 } });
    expect(scoreInterests([ev('dwell', ['x'], 0, { durationMs: 3_600_000 })], o, NOW)).toEqual([
      { topic: 'x', score: 0.4 },
    ]);
    const reloads = Array.from({ length: 50 }, () => ev('product_view', ['y'], 0, { target: 'p1' }));
    expect(scoreInterests(reloads, o, NOW)).toEqual([{ topic: 'y', score: 0.4 }]);
    const many = Array.from({ length: 50 }, (_, i) => ev('product_view', ['z'], 0, { target: `p${i}` }));
    expect(scoreInterests(many, o, NOW)).toEqual([{ topic: 'z', score: 1 }]);
  });

  it('reveals at most caps.topics topics, highest first, ties by name', () => {
    const o = options({ caps: { topics: 2 } });
    const events = ['b', 'a', 'c'].map((t) => ev('add_to_cart', [t]));
    expect(scoreInterests([...events, ev('product_view', ['c'])], o, NOW).map((s) => s.topic)).toEqual([
      'c',
      'a',
    ]);
  });

  it('skips malformed and future events', () => {
    const o = options();
    const events = [
      null,
      'x',
      { type: 'teleport', at: new Date(NOW).toISOString(), topics: ['a'] },
      { type: 'product_view', at: 'soon', topics: ['a'] },
      ev('product_view', ['a'], -5),
    ];
    expect(scoreInterests(events, o, NOW)).toEqual([]);
  });

  it('keeps every score in [0, 1], the list bounded, and never lowers a topic when an event about it is added (property)', () => {
    const o = options({ minScore: 0 });
    const event = fc.record({
      type: fc.constantFrom(
        'page_view',
        'product_view',
        'category_view',
        'search',
        'add_to_cart',
        'dwell' as const,
      ),
      minutesAgo: fc.integer({ min: 0, max: 600 }),
      topics: fc.array(fc.constantFrom('kids', 'toys', 'garden', 'books', 'tech'), {
        minLength: 1,
        maxLength: 3,
      }),
      durationMs: fc.integer({ min: 0, max: 600_000 }),
      target: fc.constantFrom('p1', 'p2', 'p3', undefined),
    });
    const toEvent = (e: {
      type: 'dwell';
      minutesAgo: number;
      topics: string[];
      durationMs: number;
      target: string | undefined;
    }) =>
      ev(e.type, e.topics, e.minutesAgo, {
        durationMs: e.durationMs,
        ...(e.target === undefined ? {} : { target: e.target }),
      });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), event, (list, extra) => {
        const events = list.map((e) => toEvent(e as never));
        const before = scoreInterests(events, o, NOW);
        for (const s of before) expect(s.score >= 0 && s.score <= 1).toBe(true);
        expect(before.length).toBeLessThanOrEqual(10);
        expect(scoreInterests(events, o, NOW)).toEqual(before);
        const added = { ...(extra as never as { topics: string[] }), target: undefined };
        const after = scoreInterests(
          [...events, toEvent(added as never)],
          options({ minScore: 0, caps: { topics: 100 } }),
          NOW,
        );
        const all = scoreInterests(events, options({ minScore: 0, caps: { topics: 100 } }), NOW);
        for (const topic of added.topics) {
          const was = all.find((s) => s.topic === topic)?.score ?? 0;
          expect(after.find((s) => s.topic === topic)?.score ?? 0).toBeGreaterThanOrEqual(was);
        }
      }),
      { numRuns: 200 },
    );
  });
});
