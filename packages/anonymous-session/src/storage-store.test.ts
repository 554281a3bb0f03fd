import { SESSION_EVENT_TYPES, type SessionEvent } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../test/memory-storage.js';
import { SESSION_ENTRY_BYTES, eventBytes, toSessionEvent } from './session-store.js';
import { createStorageSessionStore } from './storage-store.js';

describe('createStorageSessionStore', () => {
  it('keeps the session in storage and reads it back', () => {
    const storage = memoryStorage();
    const store = createStorageSessionStore({ storage });
    const { id } = store.open();
    store.record(id, { type: 'product_view', target: 'p1', topics: ['kids'] });
    const again = createStorageSessionStore({ storage });
    expect(again.open(id)).toEqual({ id, created: false });
    expect(again.events(id)?.map((e) => e.target)).toEqual(['p1']);
  });

  it('replaces a tampered or malformed stored session instead of trusting it', () => {
    const storage = memoryStorage();
    const store = createStorageSessionStore({ storage });
    const { id } = store.open();
    storage.setItem(`tactful.session.${id}`, '{"v":1,"createdAt":"yesterday"}');
    expect(store.open(id).created).toBe(true);
    const forged = 'AAAAAAAAAAAAAAAAAAAAAAAA';
    storage.setItem(`tactful.session.${forged}`, 'not json');
    expect(store.open(forged).id).not.toBe(forged);
    expect(storage.getItem(`tactful.session.${forged}`)).toBeNull();
  });

  it('drops invalid stored events but keeps valid ones', () => {
    const storage = memoryStorage();
    const store = createStorageSessionStore({ storage });
    const { id } = store.open();
    store.record(id, { type: 'page_view', target: '/a' });
    const raw = JSON.parse(storage.getItem(`tactful.session.${id}`)!);
    raw.events.push({ type: 'page_view', at: 'never', target: '<script>' });
    storage.setItem(`tactful.session.${id}`, JSON.stringify(raw));
    expect(store.events(id)?.map((e) => e.target)).toEqual(['/a']);
  });

  it('expires idle sessions', () => {
    let t = 0;
    const storage = memoryStorage();
    const store = createStorageSessionStore({ storage, ttlMs: 1000, now: () => t });
    const { id } = store.open();
    t = 1000;
    expect(store.open(id).created).toBe(true);
    expect(storage.getItem(`tactful.session.${id}`)).toBeNull();
  });

  it('stays within the storage quota by dropping the oldest events', () => {
    const storage = memoryStorage(4000);
    const store = createStorageSessionStore({ storage, maxEventsPerSession: 500 });
    const { id } = store.open();
    for (let i = 0; i < 200; i++)
      store.record(id, { type: 'product_view', target: `product-${i}`, topics: ['kids'] });
    const events = store.events(id)!;
    expect(events.length).toBeGreaterThan(0);
    expect(events.length).toBeLessThan(200);
    expect(events.at(-1)?.target).toBe('product-199');
  });

  it('rotates and ends', () => {
    const storage = memoryStorage();
    const store = createStorageSessionStore({ storage });
    const { id } = store.open();
    const next = store.rotate(id);
    expect(storage.getItem(`tactful.session.${id}`)).toBeNull();
    store.end(next);
    expect(storage.map.size).toBe(0);
  });

  it('requires a storage object', () => {
    expect(() => createStorageSessionStore({ storage: {} as never })).toThrow(
      /getItem, setItem and removeItem/,
    );
  });
});

const big = (i: number, topics = ['kids', 'toys']) => ({
  type: 'product_view' as const,
  target: `product-${i}-${'x'.repeat(40)}`,
  topics,
});

/** A stored session's estimated bytes, counted the way the memory store counts its entries. */
const storedBytes = (events: readonly SessionEvent[]) =>
  SESSION_ENTRY_BYTES + events.reduce((n, e) => n + eventBytes(e), 0);

describe('createStorageSessionStore: byte budgets', () => {
  it("keeps a session within maxBytesPerSession by the memory store's estimate, dropping the oldest events", () => {
    const storage = memoryStorage();
    const store = createStorageSessionStore({ storage, maxBytesPerSession: 4096, maxEventsPerSession: 500 });
    const { id } = store.open();
    for (let i = 0; i < 200; i++) expect(store.record(id, big(i))).toBe(true);
    const kept = store.events(id)!;
    expect(storedBytes(kept)).toBeLessThanOrEqual(4096);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept.length).toBeLessThan(200);
    expect(kept.at(-1)!.target).toBe(big(199).target);
    // What is stored is what the budget allows: a fresh store reading it back sees the same events.
    expect(createStorageSessionStore({ storage }).events(id)).toEqual(kept);
  });

  it('trims events a rotation carries over to the new id to the same budget', () => {
    const storage = memoryStorage();
    const wide = createStorageSessionStore({ storage, maxEventsPerSession: 500 });
    const { id } = wide.open();
    for (let i = 0; i < 100; i++) wide.record(id, big(i));
    const narrow = createStorageSessionStore({ storage, maxBytesPerSession: 2048, maxEventsPerSession: 500 });
    const next = narrow.rotate(id, { keepEvents: true });
    const kept = narrow.events(next)!;
    expect(storedBytes(kept)).toBeLessThanOrEqual(2048);
    expect(kept.at(-1)!.target).toBe(big(99).target);
  });

  it('evicts the least recently active other sessions past maxBytes, never the one being written', () => {
    let t = 0;
    const storage = memoryStorage();
    const store = createStorageSessionStore({
      storage,
      maxBytesPerSession: 8192,
      maxBytes: 16 * 1024,
      maxEventsPerSession: 500,
      now: () => t,
    });
    const ids: string[] = [];
    for (let s = 0; s < 20; s++) {
      t += 1000;
      const { id } = store.open();
      ids.push(id);
      for (let i = 0; i < 10; i++) store.record(id, big(i));
    }
    const live = ids.filter((id) => store.events(id) !== undefined);
    const total = live.reduce((n, id) => n + storedBytes(store.events(id)!), 0);
    expect(total).toBeLessThanOrEqual(16 * 1024);
    expect(live.length).toBeGreaterThan(1);
    expect(live.length).toBeLessThan(20);
    // The newest sessions are kept, whole; the oldest went first.
    expect(live).toEqual(ids.slice(ids.length - live.length));
    expect(store.events(ids.at(-1)!)).toHaveLength(10);
  });

  it('refuses maxBytes over a storage it cannot enumerate (no length/key) instead of ignoring it', () => {
    const storage = memoryStorage(Number.POSITIVE_INFINITY, { enumerable: false });
    expect(() => createStorageSessionStore({ storage, maxBytes: 1024 * 1024 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', path: ['maxBytes'] }),
    );
    // Without maxBytes it still works (the storage's own quota bounds it).
    const store = createStorageSessionStore({ storage, maxBytesPerSession: 2048 });
    const { id } = store.open();
    for (let i = 0; i < 50; i++) store.record(id, big(i));
    expect(storedBytes(store.events(id)!)).toBeLessThanOrEqual(2048);
  });

  it('still handles a full storage (QuotaExceededError) under a byte budget', () => {
    const storage = memoryStorage(3000);
    const store = createStorageSessionStore({
      storage,
      maxBytesPerSession: 64 * 1024,
      maxEventsPerSession: 500,
    });
    const { id } = store.open();
    for (let i = 0; i < 200; i++) store.record(id, big(i));
    const kept = store.events(id)!;
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.at(-1)!.target).toBe(big(199).target);
    expect([...storage.map].reduce((n, [k, v]) => n + k.length + v.length, 0)).toBeLessThanOrEqual(3000);
  });

  it('for every sequence of events, the stored session stays within maxBytesPerSession and keeps the newest events', () => {
    const input = fc.record({
      type: fc.constantFrom(...SESSION_EVENT_TYPES),
      target: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
      topics: fc.option(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 64 }), { maxLength: 20 }), {
        nil: undefined,
      }),
    });
    fc.assert(
      fc.property(
        fc.array(input, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1024, max: 8192 }),
        fc.integer({ min: 1, max: 60 }),
        (inputs, maxBytesPerSession, maxEventsPerSession) => {
          const storage = memoryStorage();
          const now = () => 1_780_000_000_000;
          const store = createStorageSessionStore({ storage, maxBytesPerSession, maxEventsPerSession, now });
          const { id } = store.open();
          const sent: SessionEvent[] = [];
          for (const raw of inputs) {
            const e = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)) as never;
            let expected: SessionEvent;
            try {
              expected = toSessionEvent(e, now());
            } catch {
              expect(() => store.record(id, e)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
              continue;
            }
            expect(store.record(id, e)).toBe(true);
            sent.push(expected);
            const kept = createStorageSessionStore({ storage, now }).events(id)!;
            expect(storedBytes(kept)).toBeLessThanOrEqual(maxBytesPerSession);
            expect(kept.length).toBeLessThanOrEqual(maxEventsPerSession);
            // The kept events are the newest ones sent, in order: a suffix of what was recorded.
            expect(kept).toEqual(sent.slice(sent.length - kept.length));
            // None could be added back without breaking a budget.
            const previous = sent[sent.length - kept.length - 1];
            if (previous !== undefined && kept.length < maxEventsPerSession)
              expect(storedBytes([previous, ...kept])).toBeGreaterThan(maxBytesPerSession);
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe('createStorageSessionStore: sweep', () => {
  it('removes the expired sessions it finds under its prefix and counts them', () => {
    let t = 0;
    const storage = memoryStorage();
    const store = createStorageSessionStore({ storage, ttlMs: 1000, now: () => t });
    const old = [store.open().id, store.open().id];
    storage.setItem('other.app', 'kept');
    t = 900;
    const fresh = store.open().id;
    t = 1500;
    expect(store.sweep()).toBe(2);
    for (const id of old) expect(storage.getItem(`tactful.session.${id}`)).toBeNull();
    expect(store.events(fresh)).toEqual([]);
    expect(storage.getItem('other.app')).toBe('kept');
  });
});
