import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adaptiveLimit } from './adaptive-limit.js';

/**
 * Drives a limit with a clock of the test's own: `perWindow` requests each spend `sojournMs` in
 * the server in each 100 ms window (under 100 ms, so each leaves within its window), the loop runs
 * `lagMs` late and is (or is not) saturated.
 */
function drive(
  limit: ReturnType<typeof adaptiveLimit>,
  clock: { t: number },
  windows: number,
  load: { perWindow: number; sojournMs: number; lagMs: number; saturated: boolean },
) {
  const seen: number[] = [];
  for (let w = 0; w < windows; w++) {
    const start = clock.t;
    // Arrivals spread over the window, each leaving sojournMs later, fed in time order.
    const events: Array<[number, 'enter' | 'leave']> = [];
    for (let i = 0; i < load.perWindow; i++) {
      const at = start + (i * (100 - load.sojournMs)) / Math.max(1, load.perWindow);
      events.push([at, 'enter'], [at + load.sojournMs, 'leave']);
    }
    events.sort((a, b) => a[0] - b[0] || (a[1] === 'leave' ? -1 : 1));
    for (const [at, kind] of events) {
      if (kind === 'enter') {
        limit.enter(at);
        limit.start(at);
      } else limit.leave(at, true);
    }
    clock.t = start + 100;
    limit.update(clock.t, load.lagMs, load.saturated);
    seen.push(limit.limit);
  }
  return seen;
}

describe('adaptiveLimit', () => {
  it('measures the time in a slot and in the server by Little’s law, with no per-request bookkeeping', () => {
    const clock = { t: 0 };
    const limit = adaptiveLimit({ min: 4, max: 64, targetMs: 150 }, 0);
    expect(limit.serviceMs).toBeUndefined();
    // 20 requests a window, 30 ms each.
    drive(limit, clock, 3, { perWindow: 20, sojournMs: 30, lagMs: 0, saturated: false });
    expect(limit.serviceMs).toBeCloseTo(30, 5);
    expect(limit.sojournMs).toBeCloseTo(30, 5);
    // Queued 40 ms before a 30 ms decision; and one shed from the queue after 100 ms.
    const t = clock.t;
    for (let w = 0; w < 16; w++) {
      const at = t + w * 100;
      limit.enter(at);
      limit.start(at + 40);
      limit.leave(at + 70, true);
      limit.update(at + 100, 0, false);
    }
    expect(limit.serviceMs).toBeCloseTo(30, 0);
    expect(limit.sojournMs).toBeCloseTo(70, 0);
    // Nothing happens before a whole window has passed.
    limit.enter(clock.t + 10);
    limit.update(clock.t + 50, 500, true);
    expect(limit.limit).toBe(64);
  });

  it('shrinks while the loop is saturated and answers run over the target, down to its floor and never below', () => {
    const clock = { t: 0 };
    const limit = adaptiveLimit({ min: 16, max: 256, targetMs: 150 }, 0);
    const seen = drive(limit, clock, 30, { perWindow: 40, sojournMs: 60, lagMs: 200, saturated: true });
    // One window over is not a trend; from the second on, each window lower than the one before,
    // until the floor.
    expect(seen[0]).toBe(256);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThanOrEqual(seen[i - 1]!);
    expect(seen[1]).toBeLessThan(256);
    expect(seen[1]).toBeGreaterThanOrEqual(128); // at most halved in one window
    expect(seen.at(-1)).toBe(16);
    expect(Math.min(...seen)).toBe(16);
  });

  it('grows back once answers are under the target, and never past max', () => {
    const clock = { t: 0 };
    const limit = adaptiveLimit({ min: 8, max: 100, targetMs: 150 }, 0);
    drive(limit, clock, 20, { perWindow: 40, sojournMs: 80, lagMs: 300, saturated: true });
    expect(limit.limit).toBe(8);
    const seen = drive(limit, clock, 40, { perWindow: 40, sojournMs: 20, lagMs: 20, saturated: true });
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen[0]).toBeGreaterThan(8);
    expect(seen.at(-1)).toBe(100);
    expect(Math.max(...seen)).toBe(100);
  });

  it('does not shrink for one late window between good ones (a pause is not a trend)', () => {
    const clock = { t: 0 };
    const limit = adaptiveLimit({ min: 8, max: 100, targetMs: 150 }, 0);
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      seen.push(...drive(limit, clock, 1, { perWindow: 40, sojournMs: 20, lagMs: 900, saturated: true }));
      seen.push(...drive(limit, clock, 1, { perWindow: 40, sojournMs: 20, lagMs: 10, saturated: true }));
    }
    expect(new Set(seen)).toEqual(new Set([100]));
  });

  it('holds between 80% and 100% of the target', () => {
    const clock = { t: 0 };
    const limit = adaptiveLimit({ min: 8, max: 100, targetMs: 150 }, 0);
    drive(limit, clock, 2, { perWindow: 40, sojournMs: 50, lagMs: 250, saturated: true });
    const held = limit.limit;
    expect(held).toBeLessThan(100);
    // 50 ms in the server + 80 ms late = 130 ms: within the band, neither way.
    const seen = drive(limit, clock, 10, { perWindow: 40, sojournMs: 50, lagMs: 80, saturated: true });
    expect(new Set(seen)).toEqual(new Set([held]));
  });

  it('does not shrink for lateness that is not its own (the loop has time to spare: a busy machine)', () => {
    const clock = { t: 0 };
    const limit = adaptiveLimit({ min: 8, max: 100, targetMs: 150 }, 0);
    const seen = drive(limit, clock, 20, { perWindow: 40, sojournMs: 90, lagMs: 400, saturated: false });
    expect(new Set(seen)).toEqual(new Set([100]));
  });

  it('reads a window in which nobody left as at least a window in the server (stuck decisions count)', () => {
    const limit = adaptiveLimit({ min: 2, max: 64, targetMs: 150 }, 0);
    for (let i = 0; i < 10; i++) {
      limit.enter(0);
      limit.start(0);
    }
    for (let w = 1; w <= 3; w++) limit.update(w * 100, 100, true);
    expect(limit.limit).toBeLessThan(64);
    // Nothing decided yet: the time a decision takes is not known (so no wait is reckoned from it).
    expect(limit.serviceMs).toBeUndefined();
  });

  it('stays at max with a target of 0 (adaptation off)', () => {
    const clock = { t: 0 };
    const limit = adaptiveLimit({ min: 4, max: 32, targetMs: 0 }, 0);
    const seen = drive(limit, clock, 10, { perWindow: 40, sojournMs: 90, lagMs: 900, saturated: true });
    expect(new Set(seen)).toEqual(new Set([32]));
    expect(limit.serviceMs).toBeCloseTo(90, 5);
  });

  it('for every sequence of arrivals, departures and samples: an integer in [min, max]', () => {
    const event = fc.oneof(
      fc.record({ kind: fc.constant('enter' as const), dt: fc.nat(50) }),
      fc.record({ kind: fc.constant('start' as const), dt: fc.nat(50) }),
      fc.record({ kind: fc.constant('leave' as const), dt: fc.nat(50), served: fc.boolean() }),
      fc.record({
        kind: fc.constant('update' as const),
        dt: fc.nat(300),
        lag: fc.double({ min: 0, max: 10_000, noNaN: true }),
        saturated: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.array(event, { maxLength: 200 }),
        (a, b, targetMs, events) => {
          const [min, max] = a <= b ? [a, b] : [b, a];
          const limit = adaptiveLimit({ min, max, targetMs }, 0);
          let t = 0;
          for (const e of events) {
            t += e.dt;
            if (e.kind === 'enter') limit.enter(t);
            else if (e.kind === 'start') limit.start(t);
            else if (e.kind === 'leave') limit.leave(t, e.served);
            else limit.update(t, e.lag, e.saturated);
            expect(Number.isInteger(limit.limit)).toBe(true);
            expect(limit.limit).toBeGreaterThanOrEqual(min);
            expect(limit.limit).toBeLessThanOrEqual(max);
            expect(limit.sojournMs).toBeGreaterThanOrEqual(0);
            if (limit.serviceMs !== undefined) expect(limit.serviceMs).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });
});
