import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SESSION_ENTRY_BYTES, createSessionStore, eventBytes } from './session-store.js';

const event = (i: number, topics = ['kids', 'toys']) => ({
  type: 'product_view' as const,
  target: `product-${i}-${'x'.repeat(40)}`,
  topics,
});

/** The bytes of a store's live sessions, counted again from scratch. */
function recount(store: ReturnType<typeof createSessionStore>, ids: Iterable<string>): number {
  let total = 0;
  for (const id of new Set(ids)) {
    const events = store.events(id);
    if (events === undefined) continue;
    total += SESSION_ENTRY_BYTES + events.reduce((n, e) => n + eventBytes(e), 0);
  }
  return total;
}

describe('memory session store: bounded in bytes', () => {
  it("keeps a session's events within maxBytesPerSession, dropping the oldest first", () => {
    const store = createSessionStore({ maxBytesPerSession: 4096, maxEventsPerSession: 500 });
    const { id } = store.open();
    for (let i = 0; i < 200; i++) store.record(id, event(i));
    const kept = store.events(id)!;
    const bytes = kept.reduce((n, e) => n + eventBytes(e), 0);
    expect(bytes).toBeLessThanOrEqual(4096);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.at(-1)!.target).toBe(event(199).target);
    expect(store.stats().trimmedEvents).toBe(200 - kept.length);
    expect(store.bytes).toBe(SESSION_ENTRY_BYTES + bytes);
  });

  it('evicts the least recently active sessions past maxBytes, never the one being written, and counts it', () => {
    const store = createSessionStore({
      maxBytesPerSession: 8192,
      maxBytes: 64 * 1024,
      maxSessions: 1_000_000,
    });
    const ids: string[] = [];
    for (let s = 0; s < 100; s++) {
      const { id } = store.open();
      ids.push(id);
      for (let i = 0; i < 10; i++) store.record(id, event(i));
    }
    expect(store.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(store.stats().evictedSessions).toBeGreaterThan(0);
    expect(store.stats().sessions + store.stats().evictedSessions).toBe(100);
    // The newest sessions are the ones kept; the oldest went first.
    expect(store.events(ids.at(-1)!)).toHaveLength(10);
    expect(store.events(ids[0]!)).toBeUndefined();
    expect(store.bytes).toBe(recount(store, ids));
  });

  it('for every sequence of opens, events, rotations and ends, the byte count is exact and within both budgets', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('open' as const) }),
      fc.record({
        kind: fc.constant('record' as const),
        s: fc.nat(),
        topics: fc.array(fc.string({ minLength: 1, maxLength: 64 }), { maxLength: 20 }),
      }),
      fc.record({ kind: fc.constant('rotate' as const), s: fc.nat(), keep: fc.boolean() }),
      fc.record({ kind: fc.constant('end' as const), s: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const store = createSessionStore({
          maxBytesPerSession: 2048,
          maxBytes: 8192,
          maxEventsPerSession: 50,
        });
        const ids: string[] = [];
        for (const o of ops) {
          if (o.kind === 'open' || ids.length === 0) ids.push(store.open().id);
          else if (o.kind === 'record')
            store.record(ids[o.s % ids.length]!, event(o.s, [...new Set(o.topics)]));
          else if (o.kind === 'rotate') {
            const id = ids[o.s % ids.length]!;
            if (store.events(id) !== undefined) ids.push(store.rotate(id, { keepEvents: o.keep }));
          } else store.end(ids[o.s % ids.length]!);
          expect(store.bytes).toBeLessThanOrEqual(8192);
          for (const id of ids) {
            const events = store.events(id);
            if (events) expect(events.reduce((n, e) => n + eventBytes(e), 0)).toBeLessThanOrEqual(2048);
          }
        }
        expect(store.bytes).toBe(recount(store, ids));
      }),
      { numRuns: 150 },
    );
  });

  it('refuses byte budgets out of range with INVALID_OPTIONS naming the field', () => {
    expect(() => createSessionStore({ maxBytesPerSession: 10 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => createSessionStore({ maxBytesPerSession: 8192, maxBytes: 4096 })).toThrow(/maxBytes/);
  });
});
