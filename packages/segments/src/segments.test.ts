import type { PluginCallContext, StrategyInput } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtins } from './builtins.js';
import { segments } from './segments.js';
import { memoryMembershipStore } from './store.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();
const ctx = (traceId = 'trace-seg-1'): PluginCallContext => ({
  signal: new AbortController().signal,
  traceId,
});
const input = (
  data: Record<string, unknown>,
  granted = ['personalization.profile'],
  slots = ['home.hero'],
): StrategyInput => ({
  slots: slots.map((id) => ({ id })),
  data,
  signals: {},
  granted,
  now: NOW,
});
const members = async (s: ReturnType<typeof segments>, data: Record<string, unknown>, granted?: string[]) =>
  (await s.decide(input(data, granted), ctx())).signals?.['segments.memberships'];

const all = () =>
  segments({
    segments: [
      builtins.newVisitor(),
      builtins.returningVisitor(),
      builtins.newCustomer({ withinDays: 30 }),
      builtins.loyalCustomer({ purchases: 3, withinDays: 365 }),
      builtins.interestedIn('kids', { observedViews: 3 }),
      builtins.cartAbandoner({ afterHours: 24 }),
    ],
  });

describe('built-in segments', () => {
  it('puts someone with no history in new-visitor only', async () => {
    expect(await members(all(), {})).toEqual(['new-visitor']);
  });

  it('recognises returning visitors from earlier visits, not the current one', async () => {
    const s = all();
    const current = [
      { at: new Date(NOW - 5 * 60_000).toISOString() },
      { at: new Date(NOW - 60_000).toISOString() },
    ];
    expect(await members(s, { 'behavior.pageviews': current })).toEqual(['new-visitor']);
    expect(await members(s, { 'behavior.pageviews': [{ at: ago(3) }, ...current] })).toEqual([
      'returning-visitor',
    ]);
  });

  it('tells new customers from loyal ones by purchases in the window', async () => {
    const s = all();
    expect(await members(s, { 'behavior.purchases': [{ at: ago(5), amount: 10 }] })).toEqual([
      'new-customer',
    ]);
    expect(
      await members(s, {
        'behavior.purchases': [{ at: ago(400) }, { at: ago(200) }, { at: ago(100) }, { at: ago(10) }],
      }),
    ).toEqual(['loyal-customer']);
    expect(
      await members(s, { 'behavior.purchases': [{ at: ago(400) }, { at: ago(380) }, { at: ago(10) }] }),
    ).toEqual([]);
  });

  it('finds interest declared in the preference center or observed in views', async () => {
    const s = all();
    const declared = { 'profile.preferences': { interests: ['kids'], notInterested: [], answers: {} } };
    expect(await members(s, declared)).toContain('interested-in-kids');
    const views = [
      { at: ago(2), topics: ['kids'] },
      { at: ago(1), topics: ['kids', 'toys'] },
    ];
    expect(await members(s, { 'behavior.pageviews': views })).not.toContain('interested-in-kids');
    const session = [{ type: 'product_view', at: new Date(NOW).toISOString(), topics: ['kids'] }];
    expect(await members(s, { 'behavior.pageviews': views, 'session.events': session })).toContain(
      'interested-in-kids',
    );
  });

  it('finds cart abandoners after the idle time', async () => {
    const cart = (hours: number) => ({
      'behavior.cart': {
        items: [{ productId: 'p1', addedAt: ago(3) }],
        updatedAt: new Date(NOW - hours * 3_600_000).toISOString(),
      },
    });
    expect(await members(all(), cart(30))).toContain('cart-abandoner');
    expect(await members(all(), cart(2))).not.toContain('cart-abandoner');
  });

  it('derives categories from condition paths, so the orchestrator can gate each read', () => {
    const s = all();
    expect(s.compiled.segments.map((x) => [x.name, x.categories])).toEqual([
      ['new-visitor', ['behavior.pageviews', 'behavior.purchases']],
      ['returning-visitor', ['behavior.pageviews']],
      ['new-customer', ['behavior.purchases']],
      ['loyal-customer', ['behavior.purchases']],
      ['interested-in-kids', ['behavior.pageviews', 'profile.preferences', 'session.events']],
      ['cart-abandoner', ['behavior.cart']],
    ]);
    expect(s.manifest.reads.map((r) => r.category).sort()).toEqual([
      'behavior.cart',
      'behavior.pageviews',
      'behavior.purchases',
      'profile.preferences',
      'session.events',
    ]);
    expect(s.manifest.signals.publishes.map((p) => p.name)).toEqual(['segments.memberships']);
  });
});

describe('zero-party first', () => {
  it('a declared "not interested" beats observed views and is returned as a veto', async () => {
    const s = all();
    const out = await s.decide(
      input({
        'profile.preferences': { interests: ['kids'], notInterested: ['kids'], answers: {} },
        'behavior.pageviews': Array.from({ length: 10 }, (_, i) => ({ at: ago(i + 1), topics: ['kids'] })),
      }),
      ctx(),
    );
    expect(out.signals?.['segments.memberships']).not.toContain('interested-in-kids');
    expect(out.vetoes).toEqual([
      {
        topic: 'kids',
        reason: {
          en: 'You told us you are not interested in kids.',
          vi: 'Bạn đã cho biết bạn không quan tâm đến kids.',
        },
      },
    ]);
  });
});

describe("explanations in people's words", () => {
  it('names a declared "not interested" by the topic\'s label from the options, in both languages', async () => {
    const s = segments({
      segments: [builtins.interestedIn('kids', { observedViews: 3 })],
      topics: { 'rain-gear': { en: 'rain gear', vi: 'đồ đi mưa' }, kids: { en: "kids' products" } },
    });
    const out = await s.decide(
      input({
        'profile.preferences': {
          interests: [],
          notInterested: ['rain-gear', 'kids', 'home-goods'],
          answers: {},
        },
      }),
      ctx(),
    );
    expect(out.vetoes?.map((v) => v.reason)).toEqual([
      {
        en: 'You told us you are not interested in rain gear.',
        vi: 'Bạn đã cho biết bạn không quan tâm đến đồ đi mưa.',
      },
      {
        en: "You told us you are not interested in kids' products.",
        vi: "Bạn đã cho biết bạn không quan tâm đến kids' products.",
      },
      // No label given: the key read as words, never the raw key.
      {
        en: 'You told us you are not interested in home goods.',
        vi: 'Bạn đã cho biết bạn không quan tâm đến home goods.',
      },
    ]);
    expect(() => segments({ segments: [builtins.newVisitor()], topics: { Rain: { en: 'x' } } })).toThrow(
      /topics/,
    );
  });
});

describe('consent', () => {
  it('evaluates only segments whose purpose is granted', async () => {
    const s = segments({
      segments: [
        builtins.newVisitor(),
        builtins.newVisitor({ name: 'new-visitor-email', purpose: 'marketing.email' }),
      ],
    });
    expect(await members(s, {}, ['personalization.profile'])).toEqual(['new-visitor']);
    expect(await members(s, {}, ['personalization.profile', 'marketing.email'])).toEqual([
      'new-visitor',
      'new-visitor-email',
    ]);
    expect(await members(s, {}, [])).toEqual([]);
  });

  it('asks consent per segment when purposes alternate along the list', async () => {
    const s = segments({
      segments: [
        builtins.newVisitor(),
        builtins.newVisitor({ name: 'new-visitor-email', purpose: 'marketing.email' }),
        builtins.newVisitor({ name: 'new-visitor-again' }),
      ],
    });
    expect(await members(s, {}, ['marketing.email'])).toEqual(['new-visitor-email']);
    expect(await members(s, {}, ['personalization.profile'])).toEqual(['new-visitor', 'new-visitor-again']);
  });
});

describe('k-anonymity floor', () => {
  const withCounts = (counts: Record<string, number>, k?: number) => {
    const calls: string[] = [];
    const s = segments({
      segments: [builtins.newVisitor(), builtins.interestedIn('kids')],
      population: {
        count: (segment) => {
          calls.push(segment);
          return counts[segment] ?? 0;
        },
      },
      ...(k === undefined ? {} : { k }),
    });
    return { s, calls };
  };
  const prefs = { 'profile.preferences': { interests: ['kids'], notInterested: [], answers: {} } };

  it('keeps a segment with fewer than k members (default 50) from activating', async () => {
    expect(await members(withCounts({ 'new-visitor': 49, 'interested-in-kids': 50 }).s, prefs)).toEqual([
      'interested-in-kids',
    ]);
    expect(await members(withCounts({ 'new-visitor': 1000, 'interested-in-kids': 3 }).s, prefs)).toEqual([
      'new-visitor',
    ]);
  });

  it('activates a matching segment exactly when its population reaches k', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 500 }),
        fc.integer({ min: 0, max: 1000 }),
        async (k, population) => {
          const { s } = withCounts({ 'new-visitor': population }, k);
          const active = (await members(s, {})) as string[];
          expect(active.includes('new-visitor')).toBe(population >= k);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('fails closed when the counter throws, and caches counts between decisions', async () => {
    const failing = segments({
      segments: [builtins.newVisitor()],
      population: { count: () => Promise.reject(new Error('db down')) },
    });
    expect(await members(failing, {})).toEqual([]);
    const { s, calls } = withCounts({ 'new-visitor': 100 });
    await members(s, {});
    await members(s, {});
    expect(calls).toEqual(['new-visitor']);
  });

  it('counts the segments concurrently, so the floor costs the slowest count, not their sum', async () => {
    const s = segments({
      segments: ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, description: { en: name }, condition: {} })),
      population: { count: () => new Promise<number>((resolve) => setTimeout(() => resolve(100), 60)) },
    });
    const started = performance.now();
    expect(await members(s, {})).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('withholds proposals of a suppressed segment', async () => {
    const s = segments({
      segments: [builtins.newVisitor({ proposals: [{ slot: 'home.hero', content: 'welcome' }] })],
      population: { count: () => 10 },
      k: 20,
    });
    expect((await s.decide(input({}), ctx())).proposals).toEqual([]);
  });
});

describe('proposals', () => {
  it('proposes the highest-priority active segment per slot with a reason from its description', async () => {
    const s = segments({
      segments: [
        builtins.newVisitor({ proposals: [{ slot: 'home.hero', content: { banner: 'welcome' } }] }),
        builtins.interestedIn(
          'kids',
          {},
          {
            priority: 5,
            proposals: [{ slot: 'home.hero', content: { banner: 'kids' }, variant: 'kids-hero', score: 0.8 }],
          },
        ),
      ],
    });
    const out = await s.decide(
      input({ 'profile.preferences': { interests: ['kids'], notInterested: [], answers: {} } }),
      ctx(),
    );
    expect(out.proposals).toEqual([
      {
        slot: 'home.hero',
        content: { banner: 'kids' },
        variant: 'kids-hero',
        score: 0.8,
        origin: 'observed',
        topics: ['kids'],
        reason: {
          en: 'Chosen for a customer group you are in: People interested in kids.',
          vi: 'Được chọn cho phân khúc khách hàng bạn thuộc về: Người quan tâm đến kids.',
        },
        signals: ['segment:interested-in-kids'],
        categories: ['profile.preferences'],
      },
    ]);
    const declaredOnly = segments({
      segments: [
        {
          name: 'vegetarian',
          description: { en: 'Vegetarians' },
          condition: { 'profile.attributes.diet': 'vegetarian' },
        },
      ],
    });
    expect(declaredOnly.compiled.segments[0]!.origin).toBe('declared');
  });
});

describe('storing memberships', () => {
  it('keeps nothing without a store', () => {
    const s = all();
    expect(s.source).toBeUndefined();
    expect(s.manifest.reads.map((r) => r.category)).not.toContain('derived.segments');
  });

  it('with a store, saves the memberships of the subject its source loaded, and exports and erases them', async () => {
    const store = memoryMembershipStore();
    const s = segments({
      segments: [builtins.newVisitor(), builtins.loyalCustomer()],
      store,
      retentionDays: 90,
    });
    expect(s.source?.manifest).toMatchObject({
      provides: [{ category: 'derived.segments', retentionDays: 90 }],
      rights: { export: true, erase: true },
    });
    expect(s.manifest.reads).toContainEqual(
      expect.objectContaining({ category: 'derived.segments', purpose: 'personalization.profile' }),
    );
    const subject = { id: 'subject-42' };
    const loaded = await s.source!.load(
      { subject, categories: ['derived.segments'], context: {}, now: NOW },
      ctx('trace-store'),
    );
    expect(loaded).toEqual({});
    await s.decide(input({}), ctx('trace-store'));
    expect(await s.export(subject)).toEqual({
      'derived.segments': { memberships: ['new-visitor'], updatedAt: new Date(NOW).toISOString() },
    });
    expect(
      await s.source!.load({ subject, categories: ['derived.segments'], context: {}, now: NOW }, ctx('t2')),
    ).toEqual({
      'derived.segments': ['new-visitor'],
    });
    expect(await s.erase(subject)).toEqual({ erased: 1 });
    expect(await s.export(subject)).toEqual({});
    // A decision whose subject the source never saw stores nothing.
    await s.decide(input({}), ctx('trace-anonymous'));
    expect(store.size).toBe(0);
  });

  it('writes memberships only when they changed since the store was read', async () => {
    const inner = memoryMembershipStore();
    const saves: string[][] = [];
    const store = {
      ...inner,
      save(id: string, memberships: ReadonlyArray<string>, at: number) {
        saves.push([...memberships]);
        return inner.save(id, memberships, at);
      },
    };
    const s = segments({ segments: [builtins.newVisitor(), builtins.loyalCustomer()], store });
    const subject = { id: 'subject-7' };
    const decideFor = async (trace: string, data: Record<string, unknown>) => {
      await s.source!.load({ subject, categories: ['derived.segments'], context: {}, now: NOW }, ctx(trace));
      await s.decide(input(data), ctx(trace));
    };
    await decideFor('t-1', {});
    expect(saves).toEqual([['new-visitor']]);
    // The same memberships again: the store is not written.
    await decideFor('t-2', {});
    await decideFor('t-3', {});
    expect(saves).toHaveLength(1);
    // A change is written, and the stored memberships follow it.
    await decideFor('t-4', { 'behavior.purchases': [{ at: ago(30) }, { at: ago(20) }, { at: ago(10) }] });
    expect(saves).toHaveLength(2);
    expect(saves[1]).not.toEqual(['new-visitor']);
    expect((await inner.load(subject.id))?.memberships).toEqual(saves[1]);
  });
});
