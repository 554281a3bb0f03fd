import {
  type SubjectEventInput,
  type SubjectStore,
  SubjectDataExportSchema,
  isTactfulError,
  SUBJECT_LIMITS,
} from '@tactful/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

/** What {@link describeSubjectStoreConformance} needs to make stores under test. */
export interface SubjectStoreFactory {
  /** Makes a fresh, empty store whose clock is `now` (epoch ms): tests move time with it. */
  create(options: { now: () => number }): SubjectStore | Promise<SubjectStore>;
  /**
   * For durable stores: closes `store` and opens the same storage again (same clock). When given,
   * the suite proves that data and tombstones survive a restart.
   */
  reopen?(store: SubjectStore, options: { now: () => number }): SubjectStore | Promise<SubjectStore>;
  /** Releases a store after a test (close a database, delete a file). */
  dispose?(store: SubjectStore): void | Promise<void>;
}

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

async function expectError(p: unknown, code: string, pathPart: string | number): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(isTactfulError(caught), `expected a TactfulError ${code}, got ${String(caught)}`).toBe(true);
  const error = caught as { code: string; path?: ReadonlyArray<string | number>; message: string };
  expect(error.code).toBe(code);
  expect(error.path ?? []).toContain(pathPart);
}

const pageview = (atMs: number, extra: Record<string, unknown> = {}): SubjectEventInput => ({
  category: 'behavior.pageviews',
  data: { at: iso(atMs), url: '/p', durationMs: 1200, ...extra },
});
const purchase = (atMs: number, extra: Record<string, unknown> = {}): SubjectEventInput => ({
  category: 'behavior.purchases',
  data: { at: iso(atMs), orderId: 'o-1', amount: 250_000, currency: 'VND', topics: ['kids'], ...extra },
});

/**
 * The conformance suite of the `SubjectStore` contract from `@tactful/core`: every store
 * implementation (first-party or a vendor's) runs these same tests. Call it inside a vitest file.
 *
 * @example
 * ```ts
 * import { describeSubjectStoreConformance } from '@tactful/testing';
 * describeSubjectStoreConformance('memorySubjectStore', { create: ({ now }) => memorySubjectStore({ now }) });
 * ```
 */
export function describeSubjectStoreConformance(name: string, factory: SubjectStoreFactory): void {
  describe(`SubjectStore conformance: ${name}`, () => {
    let clock = T0;
    const now = () => clock;
    const made: SubjectStore[] = [];
    const make = async () => {
      clock = T0;
      const store = await factory.create({ now });
      made.push(store);
      return store;
    };
    afterEach(async () => {
      for (const s of made.splice(0)) await factory.dispose?.(s);
    });

    it('stores declared preferences; a topic declared in one list leaves the other', async () => {
      const s = await make();
      await s.declarePreferences('u-1', {
        interests: ['kids', 'toys'],
        answers: { budget: 'mid', sizes: ['s', 'm'] },
      });
      const after = await s.declarePreferences('u-1', { notInterested: ['toys', 'golf'] });
      expect(after).toEqual({
        interests: ['kids'],
        notInterested: ['toys', 'golf'],
        answers: { budget: 'mid', sizes: ['s', 'm'] },
      });
      await s.declarePreferences('u-1', {
        interests: ['kids', 'golf'],
        answers: { budget: null, pets: true },
      });
      expect(await s.getPreferences('u-1')).toEqual({
        interests: ['kids', 'golf'],
        notInterested: ['toys'],
        answers: { sizes: ['s', 'm'], pets: true },
      });
      expect(await s.getPreferences('u-2')).toBeUndefined();
    });

    it('for any sequence of declarations, no topic is both liked and not wanted, and the latest wins', async () => {
      const s = await make();
      const topic = fc.constantFrom('kids', 'toys', 'golf', 'tea', 'books');
      const patch = fc.record(
        {
          interests: fc.uniqueArray(topic, { maxLength: 3 }),
          notInterested: fc.uniqueArray(topic, { maxLength: 3 }),
        },
        { requiredKeys: [] },
      );
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(patch, { minLength: 1, maxLength: 6 }), async (patches) => {
          const id = `prop-${n++}`;
          const last = new Map<string, 'in' | 'out'>();
          for (const p of patches) {
            const clean = {
              ...p,
              ...(p.interests && p.notInterested
                ? { notInterested: p.notInterested.filter((t) => !p.interests?.includes(t)) }
                : {}),
            };
            await s.declarePreferences(id, clean);
            for (const t of clean.interests ?? []) last.set(t, 'in');
            for (const t of clean.notInterested ?? []) last.set(t, 'out');
          }
          const prefs = await s.getPreferences(id);
          expect(prefs?.interests.filter((t) => prefs.notInterested.includes(t))).toEqual([]);
          for (const t of prefs?.notInterested ?? []) expect(last.get(t)).toBe('out');
          for (const t of prefs?.interests ?? []) expect(last.get(t)).toBe('in');
        }),
        { numRuns: 40 },
      );
    });

    it('merges attributes, or replaces them all', async () => {
      const s = await make();
      await s.setAttributes('u-1', { city: 'Hanoi', vip: false });
      expect(await s.setAttributes('u-1', { vip: true, nickname: null })).toEqual({
        city: 'Hanoi',
        vip: true,
        nickname: null,
      });
      expect(await s.setAttributes('u-1', { city: 'Hue' }, { replace: true })).toEqual({ city: 'Hue' });
      expect(await s.getAttributes('u-1')).toEqual({ city: 'Hue' });
    });

    it('records events, lists them by category oldest first, and hands out copies', async () => {
      const s = await make();
      const r = await s.recordEvents('u-1', [
        pageview(T0 - 2 * DAY),
        purchase(T0 - DAY),
        pageview(T0 - 5 * DAY, { url: '/old' }),
      ]);
      expect(r).toEqual({ accepted: 3, duplicates: 0, expired: 0, droppedErased: 0 });
      const views = await s.listEvents('u-1', 'behavior.pageviews');
      expect(views.map((e) => e.data.url)).toEqual(['/old', '/p']);
      expect(views[0]?.category).toBe('behavior.pageviews');
      expect(typeof views[0]?.id).toBe('string');
      const buys = await s.listEvents('u-1', 'behavior.purchases');
      expect(buys).toHaveLength(1);
      expect(buys[0]?.data).toEqual({
        at: iso(T0 - DAY),
        orderId: 'o-1',
        amount: 250_000,
        currency: 'VND',
        topics: ['kids'],
      });
      buys[0]?.data.topics?.push('tampered');
      expect((await s.listEvents('u-1', 'behavior.purchases'))[0]?.data.topics).toEqual(['kids']);
    });

    it('ignores a replayed event id, in a later batch or the same one', async () => {
      const s = await make();
      await s.recordEvents('u-1', [{ ...pageview(T0 - DAY), id: 'ev-1' }]);
      const r = await s.recordEvents('u-1', [
        { ...pageview(T0 - DAY), id: 'ev-1' },
        { ...pageview(T0), id: 'ev-2' },
        { ...pageview(T0), id: 'ev-2' },
      ]);
      expect(r).toEqual({ accepted: 1, duplicates: 2, expired: 0, droppedErased: 0 });
      expect((await s.listEvents('u-1', 'behavior.pageviews')).map((e) => e.id)).toEqual(['ev-1', 'ev-2']);
    });

    it('applies retention per category: expired events are not stored, not returned, and are purged', async () => {
      const s = await make();
      const days = s.retention['behavior.pageviews'];
      const r = await s.recordEvents('u-1', [
        pageview(T0 - (days + 1) * DAY),
        pageview(T0 - (days - 1) * DAY),
        purchase(T0 - (days + 1) * DAY),
      ]);
      expect(r.expired).toBe(1);
      expect(r.accepted).toBe(2);
      expect(await s.listEvents('u-1', 'behavior.pageviews')).toHaveLength(1);
      clock = T0 + 2 * DAY;
      expect(await s.listEvents('u-1', 'behavior.pageviews')).toHaveLength(0);
      expect(await s.listEvents('u-1', 'behavior.purchases')).toHaveLength(1);
      const purged = await s.purgeExpired();
      expect(purged.removed).toBe(1);
      expect(await s.listEvents('u-1', 'behavior.pageviews', { now: T0 })).toHaveLength(0);
      expect((await s.exportSubject('u-1')).pageviews).toEqual([]);
    });

    it('for any events and any later time, returns exactly the events within retention', async () => {
      const s = await make();
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ ageDays: fc.integer({ min: 0, max: 1000 }), buy: fc.boolean() }), {
            maxLength: 12,
          }),
          fc.integer({ min: 0, max: 800 }),
          async (events, laterDays) => {
            const id = `ret-${n++}`;
            clock = T0;
            const batch = events.map((e, i) => ({
              ...(e.buy ? purchase(T0 - e.ageDays * DAY) : pageview(T0 - e.ageDays * DAY)),
              id: `e${i}`,
            }));
            const r = await s.recordEvents(id, batch);
            const live = (e: { ageDays: number; buy: boolean }, extra: number) =>
              e.ageDays + extra <= s.retention[e.buy ? 'behavior.purchases' : 'behavior.pageviews'];
            expect(r.accepted + r.expired).toBe(events.length);
            expect(r.expired).toBe(events.filter((e) => !live(e, 0)).length);
            clock = T0 + laterDays * DAY;
            const ids = async (c: 'behavior.purchases' | 'behavior.pageviews') =>
              (await s.listEvents(id, c)).map((e) => e.id).sort();
            const want = (buy: boolean) =>
              events.flatMap((e, i) => (e.buy === buy && live(e, laterDays) ? [`e${i}`] : [])).sort();
            expect(await ids('behavior.purchases')).toEqual(want(true));
            expect(await ids('behavior.pageviews')).toEqual(want(false));
          },
        ),
        { numRuns: 30 },
      );
    });

    it('expires the cart and stored segments after their retention', async () => {
      const s = await make();
      await s.setCart('u-1', { items: [{ productId: 'p-1', addedAt: iso(T0) }], updatedAt: iso(T0) });
      await s.setSegments('u-1', ['loyal', 'loyal', 'parents']);
      expect(await s.getCart('u-1')).toEqual({
        items: [{ productId: 'p-1', addedAt: iso(T0) }],
        updatedAt: iso(T0),
      });
      expect(await s.getSegments('u-1')).toEqual(['loyal', 'parents']);
      clock = T0 + (Math.max(s.retention['behavior.cart'], s.retention['derived.segments']) + 1) * DAY;
      expect(await s.getCart('u-1')).toBeUndefined();
      expect(await s.getSegments('u-1')).toBeUndefined();
      expect((await s.purgeExpired()).removed).toBe(2);
      await s.setCart('u-1', null);
      expect(await s.getCart('u-1', { now: T0 })).toBeUndefined();
    });

    it('purges in bounded batches: each call deletes at most `limit`, only what is past retention, until none is left', async () => {
      const s = await make();
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ ageDays: fc.integer({ min: 0, max: 1000 }), buy: fc.boolean() }), {
            minLength: 1,
            maxLength: 10,
          }),
          fc.boolean(),
          fc.integer({ min: 1, max: 4 }),
          async (events, withCart, limit) => {
            const id = `batch-${n++}`;
            clock = T0;
            await s.purgeExpired({ now: T0 + 2000 * DAY }); // leftovers of earlier runs
            await s.recordEvents(
              id,
              events.map((e, i) => ({
                ...(e.buy ? purchase(T0 - e.ageDays * DAY) : pageview(T0 - e.ageDays * DAY)),
                id: `e${i}`,
              })),
              { now: T0 - 1000 * DAY }, // all stored: none was past retention when it arrived
            );
            if (withCart) await s.setCart(id, { items: [], updatedAt: iso(T0 - 1000 * DAY) });
            const live = (e: { ageDays: number; buy: boolean }) =>
              e.ageDays <= s.retention[e.buy ? 'behavior.purchases' : 'behavior.pageviews'];
            const expired = events.filter((e) => !live(e)).length + (withCart ? 1 : 0);
            let total = 0;
            for (let round = 0; round <= expired; round++) {
              const { removed } = await s.purgeExpired({ limit });
              expect(removed).toBeLessThanOrEqual(limit);
              total += removed;
              if (removed < limit) break;
            }
            expect(total).toBe(expired);
            expect((await s.purgeExpired({ limit })).removed).toBe(0);
            const kept = async (c: 'behavior.purchases' | 'behavior.pageviews') =>
              (await s.listEvents(id, c, { now: T0 - 1000 * DAY })).map((e) => e.id).sort();
            const want = (buy: boolean) =>
              events.flatMap((e, i) => (e.buy === buy && live(e) ? [`e${i}`] : [])).sort();
            expect(await kept('behavior.purchases')).toEqual(want(true));
            expect(await kept('behavior.pageviews')).toEqual(want(false));
          },
        ),
        { numRuns: 20 },
      );
    });

    it('runs overlapping purges safely: every expired item is counted once, nothing live goes', async () => {
      const s = await make();
      const days = s.retention['behavior.pageviews'];
      const old = Array.from({ length: 9 }, (_, i) => ({
        ...pageview(T0 - (days + 1) * DAY),
        id: `old-${i}`,
      }));
      await s.recordEvents('u-1', old, { now: T0 - 10 * DAY });
      await s.recordEvents('u-1', [{ ...pageview(T0 - DAY), id: 'fresh' }]);
      const results = await Promise.all([
        s.purgeExpired({ limit: 2 }),
        s.purgeExpired({ limit: 5 }),
        s.purgeExpired(),
      ]);
      let total = results.reduce((sum, r) => sum + r.removed, 0);
      while (total < old.length) {
        const { removed } = await s.purgeExpired({ limit: 3 });
        if (removed === 0) break;
        total += removed;
      }
      expect(total).toBe(old.length);
      expect((await s.listEvents('u-1', 'behavior.pageviews')).map((e) => e.id)).toEqual(['fresh']);
    });

    it('rejects a bad purge limit with INVALID_INPUT naming it, deleting nothing', async () => {
      const s = await make();
      const days = s.retention['behavior.pageviews'];
      await s.recordEvents('u-1', [pageview(T0 - (days + 1) * DAY)], { now: T0 - 10 * DAY });
      for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2_000_000]) {
        await expectError(s.purgeExpired({ limit }), 'INVALID_INPUT', 'limit');
      }
      await expectError(s.purgeExpired({ limit: '3' as unknown as number }), 'INVALID_INPUT', 'limit');
      expect(await s.listEvents('u-1', 'behavior.pageviews', { now: T0 - 10 * DAY })).toHaveLength(1);
    });

    it('replaces the events of a category (rectification)', async () => {
      const s = await make();
      await s.recordEvents('u-1', [purchase(T0 - DAY), purchase(T0 - 2 * DAY), pageview(T0)]);
      expect(
        await s.replaceEvents('u-1', 'behavior.purchases', [
          { at: iso(T0 - DAY), orderId: 'o-9', amount: 1 },
        ]),
      ).toBe(1);
      expect((await s.listEvents('u-1', 'behavior.purchases')).map((e) => e.data.orderId)).toEqual(['o-9']);
      expect(await s.listEvents('u-1', 'behavior.pageviews')).toHaveLength(1);
    });

    it('exports everything it holds in the published shape', async () => {
      const s = await make();
      await s.declarePreferences('u-1', { interests: ['kids'], notInterested: ['golf'], answers: { q1: 3 } });
      await s.setAttributes('u-1', { city: 'Hanoi' });
      await s.recordEvents('u-1', [purchase(T0 - DAY), pageview(T0)]);
      await s.setCart('u-1', { items: [{ productId: 'p-1', addedAt: iso(T0) }], updatedAt: iso(T0) });
      await s.setSegments('u-1', ['parents']);
      const data = SubjectDataExportSchema.parse(await s.exportSubject('u-1'));
      expect(data.preferences?.notInterested).toEqual(['golf']);
      expect(data.attributes).toEqual({ city: 'Hanoi' });
      expect(data.purchases).toHaveLength(1);
      expect(data.pageviews).toHaveLength(1);
      expect(data.cart?.items).toHaveLength(1);
      expect(data.segments?.names).toEqual(['parents']);
      expect(await s.exportSubject('nobody')).toEqual({
        preferences: null,
        attributes: null,
        purchases: [],
        pageviews: [],
        cart: null,
        segments: null,
      });
    });

    it('erases everything about one subject, idempotently, and nothing about others', async () => {
      const s = await make();
      for (const id of ['u-1', 'u-2']) {
        await s.declarePreferences(id, { interests: ['kids'] });
        await s.setAttributes(id, { city: 'Hanoi' });
        await s.recordEvents(id, [purchase(T0 - DAY), pageview(T0)]);
        await s.setCart(id, { items: [], updatedAt: iso(T0) });
        await s.setSegments(id, ['parents']);
      }
      expect(await s.isErased('u-1')).toBe(false);
      expect(await s.erase('u-1')).toEqual({ erased: 6 });
      expect(await s.erase('u-1')).toEqual({ erased: 0 });
      expect(await s.isErased('u-1')).toBe(true);
      expect(await s.exportSubject('u-1')).toEqual({
        preferences: null,
        attributes: null,
        purchases: [],
        pageviews: [],
        cart: null,
        segments: null,
      });
      expect((await s.exportSubject('u-2')).purchases).toHaveLength(1);
      expect(await s.isErased('u-2')).toBe(false);
    });

    it('drops replayed observed and derived writes for an erased subject', async () => {
      const s = await make();
      await s.recordEvents('u-1', [{ ...purchase(T0), id: 'ev-1' }]);
      await s.erase('u-1');
      expect(await s.recordEvents('u-1', [{ ...purchase(T0), id: 'ev-1' }, pageview(T0)])).toEqual({
        accepted: 0,
        duplicates: 0,
        expired: 0,
        droppedErased: 2,
      });
      expect(await s.setCart('u-1', { items: [], updatedAt: iso(T0) })).toBe(false);
      expect(await s.setSegments('u-1', ['loyal'])).toBe(false);
      expect(await s.exportSubject('u-1')).toEqual({
        preferences: null,
        attributes: null,
        purchases: [],
        pageviews: [],
        cart: null,
        segments: null,
      });
    });

    it('refuses bad input with an error naming the field, and changes nothing already stored', async () => {
      const s = await make();
      await s.declarePreferences('u-1', { interests: ['kids'], answers: { q: 'a' } });
      await s.setAttributes('u-1', { city: 'Hanoi' });
      await s.recordEvents('u-1', [purchase(T0 - DAY)]);
      const before = await s.exportSubject('u-1');
      const anyStore = s as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
      await expectError(s.getPreferences('not an id!'), 'INVALID_INPUT', 'subjectId');
      await expectError(s.declarePreferences('', { interests: ['x'] }), 'INVALID_INPUT', 'subjectId');
      await expectError(
        s.recordEvents('u-1', [{ category: 'behavior.health', data: { at: iso(T0) } } as never]),
        'UNKNOWN_CATEGORY',
        'category',
      );
      await expectError(anyStore.listEvents!('u-1', 'profile.secrets'), 'UNKNOWN_CATEGORY', 'category');
      await expectError(anyStore.replaceEvents!('u-1', 'behavior.cart', []), 'UNKNOWN_CATEGORY', 'category');
      await expectError(
        s.recordEvents('u-1', [purchase(T0), pageview(T0, { at: '2026-02-30T10:00:00Z' })]),
        'INVALID_INPUT',
        'at',
      );
      await expectError(s.recordEvents('u-1', [pageview(T0, { at: 'yesterday' })]), 'INVALID_INPUT', 'at');
      await expectError(
        s.declarePreferences('u-1', JSON.parse('{"answers":{"__proto__":{"isAdmin":true}}}')),
        'INVALID_INPUT',
        '__proto__',
      );
      await expectError(
        s.declarePreferences('u-1', { answers: { constructor: 'x' } }),
        'INVALID_INPUT',
        'constructor',
      );
      await expectError(
        s.setAttributes('u-1', JSON.parse('{"__proto__":{"polluted":1}}')),
        'INVALID_INPUT',
        '__proto__',
      );
      await expectError(
        s.declarePreferences('u-1', { interests: ['kids'], notInterested: ['kids'] }),
        'INVALID_INPUT',
        'notInterested',
      );
      await expectError(
        s.declarePreferences('u-1', { interests: ['x'], extra: 1 } as never),
        'INVALID_INPUT',
        'preferences',
      );
      const big = 'x'.repeat(SUBJECT_LIMITS.maxString);
      const huge = Array.from({ length: 40 }, (_, i) =>
        pageview(T0, { url: `${big}${i}`.slice(0, SUBJECT_LIMITS.maxString) }),
      );
      await expectError(s.recordEvents('u-1', huge), 'PAYLOAD_TOO_LARGE', 'events');
      await expectError(
        s.setAttributes('u-1', { note: 'y'.repeat(SUBJECT_LIMITS.maxString + 1) }),
        'INVALID_INPUT',
        'note',
      );
      expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(await s.exportSubject('u-1')).toEqual(before);
    });

    if (factory.reopen) {
      const reopen = factory.reopen.bind(factory);
      it('keeps data and tombstones across a restart', async () => {
        const s = await make();
        await s.declarePreferences('u-1', { interests: ['kids'] });
        await s.recordEvents('u-1', [{ ...purchase(T0), id: 'ev-1' }]);
        await s.recordEvents('u-2', [purchase(T0)]);
        await s.erase('u-2');
        const again = await reopen(s, { now });
        made.splice(made.indexOf(s), 1, again);
        expect((await again.getPreferences('u-1'))?.interests).toEqual(['kids']);
        expect(await again.recordEvents('u-1', [{ ...purchase(T0), id: 'ev-1' }])).toMatchObject({
          duplicates: 1,
          accepted: 0,
        });
        expect(await again.isErased('u-2')).toBe(true);
        expect(await again.recordEvents('u-2', [purchase(T0)])).toMatchObject({ droppedErased: 1 });
      });
    }
  });
}
