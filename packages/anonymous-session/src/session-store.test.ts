import { SessionSchema } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSessionId, isSessionIdFormat, SESSION_ID_BYTES } from './session-id.js';
import { SESSION_STORE_CONFORMANCE } from './conformance.js';
import { createSessionStore } from './session-store.js';

const clock = (start = Date.UTC(2026, 0, 1)) => {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('createSessionId', () => {
  it('makes URL-safe ids of 144 random bits, never repeating', () => {
    expect(SESSION_ID_BYTES * 8).toBeGreaterThanOrEqual(128);
    const ids = new Set(Array.from({ length: 20_000 }, createSessionId));
    expect(ids.size).toBe(20_000);
    for (const id of [...ids].slice(0, 100)) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(SessionSchema.shape.id.safeParse(id).success).toBe(true);
    }
  });

  it('spreads bits evenly (no fixed character positions)', () => {
    const firsts = new Set(Array.from({ length: 2000 }, () => createSessionId()[0]));
    expect(firsts.size).toBeGreaterThan(50);
  });
});

describe('createSessionStore', () => {
  it('never adopts an unknown, forged or malformed id: it starts a fresh session instead', () => {
    const store = createSessionStore();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.stringMatching(/^[A-Za-z0-9_-]{24}$/),
          fc.constant(null),
          fc.constant(undefined),
        ),
        (candidate) => {
          const opened = store.open(candidate);
          expect(opened.created).toBe(true);
          expect(opened.id).not.toBe(candidate);
          expect(isSessionIdFormat(opened.id)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reopens a live session by its id', () => {
    const store = createSessionStore();
    const { id } = store.open();
    expect(store.record(id, { type: 'product_view', target: 'p1', topics: ['kids'] })).toBe(true);
    expect(store.open(id)).toEqual({ id, created: false });
    expect(store.session(id)?.events).toHaveLength(1);
  });

  it('expires a session after ttlMs idle and after maxAgeMs however active', () => {
    const c = clock();
    const store = createSessionStore({ ttlMs: 60_000, maxAgeMs: 180_000, now: c.now });
    const { id } = store.open();
    c.advance(59_000);
    expect(store.open(id).created).toBe(false);
    c.advance(60_000);
    const after = store.open(id);
    expect(after.created).toBe(true);
    expect(after.id).not.toBe(id);
    expect(store.events(id)).toBeUndefined();
    const active = store.open().id;
    for (let i = 0; i < 6; i++) {
      c.advance(30_000);
      store.record(active, { type: 'page_view', target: '/' });
    }
    expect(store.record(active, { type: 'page_view' })).toBe(false);
    expect(store.events(active)).toBeUndefined();
  });

  it('keeps memory per session bounded under an event flood: the newest maxEventsPerSession survive', () => {
    const store = createSessionStore({ maxEventsPerSession: 100 });
    const { id } = store.open();
    for (let i = 0; i < 10_000; i++) store.record(id, { type: 'product_view', target: `p${i}` });
    const events = store.events(id)!;
    expect(events).toHaveLength(100);
    expect(events[0]?.target).toBe('p9900');
    expect(events[99]?.target).toBe('p9999');
  });

  it('keeps at most maxSessions, dropping the least recently active', () => {
    const store = createSessionStore({ maxSessions: 3 });
    const [a, b, c] = [store.open().id, store.open().id, store.open().id];
    store.record(a, { type: 'page_view' });
    store.open();
    expect(store.size).toBe(3);
    expect(store.events(b)).toBeUndefined();
    expect(store.events(a)).toHaveLength(1);
    expect(store.events(c)).toEqual([]);
  });

  it('rotates to a new id, retiring the old one for good; events move only when asked', () => {
    const store = createSessionStore();
    const { id } = store.open();
    store.record(id, { type: 'product_view', target: 'p1', topics: ['kids'] });
    const fresh = store.rotate(id);
    expect(fresh).not.toBe(id);
    expect(store.events(fresh)).toEqual([]);
    expect(store.open(id).id).not.toBe(id);
    const kept = store.rotate(fresh, { keepEvents: true });
    expect(store.events(kept)).toEqual([]);
    store.record(kept, { type: 'search', target: 'lego' });
    const again = store.rotate(kept, { keepEvents: true });
    expect(store.events(again)?.map((e) => e.target)).toEqual(['lego']);
    expect(() => store.rotate(id)).toThrow(/no live session/);
  });

  it('ends a session and sweeps expired ones', () => {
    const c = clock();
    const store = createSessionStore({ ttlMs: 1000, now: c.now });
    const ids = [store.open().id, store.open().id, store.open().id];
    store.end(ids[0]!);
    expect(store.size).toBe(2);
    c.advance(1000);
    expect(store.sweep()).toBe(2);
    expect(store.size).toBe(0);
  });

  it('validates events and options', () => {
    const store = createSessionStore();
    const { id } = store.open();
    expect(() => store.record(id, { type: 'teleport' } as never)).toThrow(/session event: type/);
    expect(() => store.record(id, { type: 'dwell', durationMs: -1 })).toThrow(/durationMs/);
    expect(() => createSessionStore({ maxEventsPerSession: 10_000 })).toThrow(
      /maxEventsPerSession must be an integer from 1 to 500/,
    );
    expect(() => createSessionStore({ ttlMs: 5 })).toThrow(/ttlMs/);
  });
});

describe('toSessionEvent', () => {
  it('accepts and rejects exactly what core’s SessionEventSchema does, with and without the fast path (property)', async () => {
    const { SessionEventSchema } = await import('@tactful/core');
    const { toSessionEvent } = await import('./session-store.js');
    const { checkSessionEvent } = await import('./session-event.js');
    const now = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(
        fc.record(
          {
            type: fc.oneof(
              fc.constantFrom('page_view', 'product_view', 'category_view', 'search', 'add_to_cart', 'dwell'),
              fc.string(),
            ),
            target: fc.oneof(fc.string({ maxLength: 3000 }), fc.integer()),
            topics: fc.oneof(fc.array(fc.string({ maxLength: 70 }), { maxLength: 25 }), fc.string()),
            durationMs: fc.oneof(fc.integer({ min: -10, max: 90_000_000 }), fc.double()),
            extra: fc.string(),
          },
          { requiredKeys: [] },
        ),
        (event) => {
          const expected = SessionEventSchema.safeParse({ ...event, at: new Date(now).toISOString() });
          // The memory store's fast path and the check the sessionStorage store calls directly.
          for (const check of [toSessionEvent, checkSessionEvent]) {
            let actual: unknown;
            try {
              actual = check(event as never, now);
            } catch {
              actual = undefined;
            }
            expect(actual).toEqual(expected.success ? expected.data : undefined);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('createSessionStore conformance', () => {
  const c = clock();
  for (const k of SESSION_STORE_CONFORMANCE)
    it(k.name, () =>
      k.run({ create: (o) => createSessionStore({ ...o, now: c.now }), advance: (ms) => void c.advance(ms) }),
    );
});
