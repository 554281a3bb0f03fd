import { isTactfulError } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../test/memory-storage.js';
import { createBrowserSession } from './browser.js';
import { SESSION_ENTRY_BYTES, eventBytes } from './event-bytes.js';
import { createStorageSessionStore } from './storage-store.js';

const view = (i: number) => ({ type: 'product_view' as const, target: `sku-${i}`, topics: ['kids', 'toys'] });

/** The estimated bytes of a session as every store measures them. */
const bytesOf = (events: ReturnType<ReturnType<typeof createBrowserSession>['events']>) =>
  events.reduce((n, e) => n + eventBytes(e), SESSION_ENTRY_BYTES);

describe('createBrowserSession byte budgets', () => {
  it("keeps one session within the page's maxBytesPerSession, dropping the oldest events first", () => {
    const visit = createBrowserSession({ storage: memoryStorage(), maxBytesPerSession: 2048 });
    for (let i = 0; i < 60; i++) visit.record(view(i));
    const events = visit.events();
    expect(bytesOf(events)).toBeLessThanOrEqual(2048);
    // the newest event is kept; the oldest went
    expect(events.at(-1)?.target).toBe('sku-59');
    expect(events.some((e) => e.target === 'sku-0')).toBe(false);
    // and the default (64 KiB) would have kept all 60
    const roomy = createBrowserSession({ storage: memoryStorage() });
    for (let i = 0; i < 60; i++) roomy.record(view(i));
    expect(roomy.events()).toHaveLength(60);
  });

  it('holds for every budget and every run of events', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024, max: 8192 }), fc.integer({ min: 1, max: 80 }), (budget, n) => {
        const visit = createBrowserSession({ storage: memoryStorage(), maxBytesPerSession: budget });
        for (let i = 0; i < n; i++) visit.record(view(i));
        const events = visit.events();
        expect(bytesOf(events)).toBeLessThanOrEqual(budget);
        expect(events.at(-1)?.target).toBe(`sku-${n - 1}`);
      }),
      { numRuns: 60 },
    );
  });

  it("keeps every session under the prefix within the page's maxBytes, evicting the least recently active other one", () => {
    const storage = memoryStorage();
    let t = Date.UTC(2026, 0, 1);
    const now = () => t;
    // a session left by an earlier page of the same tab (another pointer, same prefix)
    const earlier = createStorageSessionStore({ storage, now });
    const old = earlier.open(undefined).id;
    for (let i = 0; i < 5; i++) earlier.record(old, view(i));
    t += 1000;
    const visit = createBrowserSession({ storage, now, maxBytesPerSession: 2048, maxBytes: 3000 });
    visit.record(view(100));
    expect(storage.getItem(`tactful.session.${old}`)).not.toBeNull();
    for (let i = 101; i < 110; i++) visit.record(view(i));
    // together they would pass 3000 bytes: the other, older session went; the page's is kept
    expect(storage.getItem(`tactful.session.${old}`)).toBeNull();
    expect(visit.events().at(-1)?.target).toBe('sku-109');
  });

  it.each([
    [{ maxBytesPerSession: 100 }, 'maxBytesPerSession'],
    [{ maxBytesPerSession: 1.5e3 + 0.5 }, 'maxBytesPerSession'],
    [{ maxBytesPerSession: '4096' as unknown as number }, 'maxBytesPerSession'],
    [{ maxBytes: 10 }, 'maxBytes'],
    [{ maxBytesPerSession: 8192, maxBytes: 4096 }, 'maxBytes'],
    [{ maxEvents: 0 }, 'maxEvents'],
  ])('refuses %o with INVALID_OPTIONS naming %s', (options, field) => {
    let caught: unknown;
    try {
      createBrowserSession({ storage: memoryStorage(), ...options });
    } catch (error) {
      caught = error;
    }
    expect(isTactfulError(caught)).toBe(true);
    const error = caught as { code: string; path: unknown; message: string };
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.path).toEqual([field]);
    expect(error.message).toMatch(new RegExp(`^createBrowserSession: ${field} must be`));
  });

  it('refuses maxBytes over a storage that cannot list its keys, naming the field', () => {
    expect(() =>
      createBrowserSession({ storage: memoryStorage(Infinity, { enumerable: false }), maxBytes: 1 << 20 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', path: ['maxBytes'] }));
  });
});
