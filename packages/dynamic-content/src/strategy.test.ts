import { type StrategyInput, TactfulError } from '@tactful/core';
import { callContext, describeStrategyConformance, strategyInput } from '@tactful/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, defineCatalog, dynamicContent } from './index.js';
import { profileCatalog } from '../test/catalogs.js';
import { shopCatalog } from '../test/shop-catalog.js';

const run = (strategy: ReturnType<typeof dynamicContent>, input: StrategyInput) =>
  strategy.decide(input, callContext());
const sessionId = (n: number) => `session-${n.toString().padStart(12, '0')}`;

describe('dynamicContent', () => {
  const strategy = dynamicContent({ catalog: shopCatalog() });

  it('derives its manifest from the catalog: signals and identifier reads it needs, nothing more', () => {
    expect(strategy.manifest.purposes).toEqual(['personalization.contextual']);
    expect(strategy.manifest.signals.reads).toEqual([
      'segments.memberships',
      'contextual.context',
      'session.interests',
    ]);
    expect(strategy.manifest.reads.map((r) => `${r.category}:${r.purpose}`)).toEqual([
      'context.locale:personalization.contextual',
      'session.id:personalization.contextual',
      'subject.id:measurement',
    ]);
    const contextOnly = dynamicContent({
      catalog: defineCatalog({
        slots: [
          {
            id: 'x',
            default: { content: 1 },
            variants: [{ id: 'rainy', when: { 'context.weather.raining': true }, content: 2 }],
          },
        ],
      }),
    });
    expect(contextOnly.manifest.signals.reads).toEqual(['contextual.context']);
    expect(contextOnly.manifest.reads).toEqual([]);
  });

  it('picks the applicable variant of highest priority, localized', async () => {
    const input = strategyInput({
      slots: ['home.hero'],
      signals: { 'session.interests': { kids: 0.8 }, 'segments.memberships': ['loyal'] },
      granted: ['personalization.contextual'],
      locale: 'vi',
    });
    const out = await run(strategy, input);
    expect(out.proposals).toEqual([
      expect.objectContaining({
        slot: 'home.hero',
        variant: 'kids',
        content: { title: 'Dành cho bé khám phá', href: '/kids' },
        topics: ['kids'],
        score: 1,
        signals: ['interests.kids'],
      }),
    ]);
    expect(out.proposals[0]?.reason.vi).toMatch(/phiên truy cập/);
  });

  it('offers the other applicable variants as fallbacks, best first, for when its topic is vetoed (P4)', async () => {
    const catalog = defineCatalog({
      slots: [
        {
          id: 'home.hero',
          default: { content: 'default' },
          variants: [
            {
              id: 'rain',
              priority: 30,
              when: { 'context.weather.raining': true },
              topics: ['rain'],
              content: 'rain',
            },
            {
              id: 'kids',
              priority: 20,
              when: { segments: 'interested-in-kids' },
              topics: ['kids'],
              content: 'kids',
              locales: { vi: 'bé' },
            },
            { id: 'never', priority: 25, when: { segments: 'nobody' }, content: 'never' },
            { id: 'evening', priority: 5, when: { 'context.daypart': 'evening' }, content: 'evening' },
          ],
        },
      ],
    });
    const out = await run(
      dynamicContent({ catalog }),
      strategyInput({
        slots: ['home.hero'],
        signals: {
          'contextual.context': { weather: { raining: true }, daypart: 'evening' },
          'segments.memberships': ['interested-in-kids'],
        },
        granted: ['personalization.contextual'],
        locale: 'vi',
      }),
    );
    const [hero] = out.proposals;
    expect(hero?.variant).toBe('rain');
    expect(hero?.fallbacks?.map((f) => f.variant)).toEqual(['kids', 'evening']);
    expect(hero?.fallbacks?.[0]).toMatchObject({ content: 'bé', topics: ['kids'], signals: ['segments'] });
    expect(hero?.fallbacks?.[1]).toMatchObject({ content: 'evening', signals: ['context.daypart'] });
    expect(hero?.fallbacks?.[1]?.topics).toBeUndefined();
  });

  it('sends at most eight fallbacks, the best that apply, in priority then catalog order', async () => {
    const variants = Array.from({ length: 14 }, (_, i) => ({
      id: `v${i}`,
      // Priorities 0, 1, 2, 0, 1, 2 ...; v13 never applies.
      priority: i % 3,
      when: { 'context.daypart': i === 13 ? 'morning' : 'evening' },
      topics: [`t${i}`],
      content: `c${i}`,
    }));
    const catalog = defineCatalog({ slots: [{ id: 'home.hero', default: { content: 'd' }, variants }] });
    const input = strategyInput({
      slots: ['home.hero'],
      signals: { 'contextual.context': { daypart: 'evening' } },
      granted: ['personalization.contextual'],
    });
    const [hero] = (await run(dynamicContent({ catalog }), input)).proposals;
    expect(hero?.variant).toBe('v2');
    expect(hero?.fallbacks?.map((f) => f.variant)).toEqual([
      'v5',
      'v8',
      'v11',
      'v1',
      'v4',
      'v7',
      'v10',
      'v0',
    ]);
  });

  it('hands out frozen lists, so what one caller does to a proposal never reaches the next decision', async () => {
    const input = strategyInput({
      slots: ['home.hero'],
      signals: { 'session.interests': { kids: 0.8 } },
      granted: ['personalization.contextual'],
    });
    const first = (await run(strategy, input)).proposals[0]!;
    expect(Object.isFrozen(first.signals)).toBe(true);
    expect(Object.isFrozen(first.topics)).toBe(true);
    expect(Object.isFrozen(first.categories)).toBe(true);
    expect(Object.isFrozen(first.signalsUsed?.[0])).toBe(true);
    expect(() => first.signals?.push('injected')).toThrow(TypeError);
    const second = (await run(strategy, input)).proposals[0]!;
    expect(second.signals).toEqual(['interests.kids']);
    expect(second.topics).toEqual(['kids']);
  });

  it('renders templates from signals and falls back to the next variant when a condition fails', async () => {
    const out = await run(
      strategy,
      strategyInput({
        slots: ['home.hero'],
        signals: {
          'session.interests': { kids: 0.2 },
          'segments.memberships': ['loyal'],
          'contextual.context': { city: ', Hà Nội' },
        },
      }),
    );
    expect(out.proposals[0]).toMatchObject({
      variant: 'loyal',
      content: { title: 'Welcome back, Hà Nội!', href: '/members' },
    });
  });

  it('applies a schedule: a variant outside its window never applies', async () => {
    const signals = { 'contextual.context': { holidays: ['tet'] } };
    const during = await run(
      strategy,
      strategyInput({ slots: ['home.hero'], signals, now: '2026-02-12T09:00:00+07:00' }),
    );
    const after = await run(
      strategy,
      strategyInput({ slots: ['home.hero'], signals, now: '2026-02-20T00:00:00+07:00' }),
    );
    expect(during.proposals[0]?.variant).toBe('tet');
    expect(after.proposals).toEqual([]);
  });

  it('proposes nothing for a slot it does not know or when nothing applies, unless fallback is "default"', async () => {
    const input = strategyInput({ slots: ['home.hero', 'unknown.slot'], locale: 'vi' });
    expect((await run(strategy, input)).proposals).toEqual([]);
    const withDefault = dynamicContent({ catalog: shopCatalog(), fallback: 'default' });
    expect((await run(withDefault, input)).proposals).toEqual([
      expect.objectContaining({
        slot: 'home.hero',
        variant: 'default',
        score: 0,
        content: { title: 'Hàng mới tuần này', href: '/new' },
      }),
    ]);
  });

  it('treats a signal of the wrong shape as absent', async () => {
    const out = await run(
      strategy,
      strategyInput({
        slots: ['home.hero'],
        signals: { 'session.interests': 'kids', 'segments.memberships': { loyal: true } },
      }),
    );
    expect(out.proposals).toEqual([]);
  });

  it('splits by a seeded hash of the session id: same session, same variant, in the configured proportions', async () => {
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 4000; i++) {
      const input = strategyInput({
        slots: ['home.rail'],
        data: { 'session.id': sessionId(i) },
        granted: ['personalization.contextual'],
      });
      const first = await run(strategy, input);
      const again = await run(strategy, input);
      expect(again).toEqual(first);
      const p = first.proposals[0]!;
      counts[p.variant!]!++;
      expect(p.categories).toEqual(['session.id']);
      expect(p.signals).toEqual(['split:rail-test@v1']);
      // the bucket is a pure function of experiment:version:key
      const b = bucketOf('rail-test', 1, sessionId(i));
      expect(p.variant).toBe(b < 0.5 ? 'a' : b < 0.8 ? 'b' : 'c');
    }
    expect(counts['a']! / 4000).toBeCloseTo(0.5, 1);
    expect(counts['b']! / 4000).toBeCloseTo(0.3, 1);
    expect(counts['c']! / 4000).toBeCloseTo(0.2, 1);
  });

  it('re-buckets only when the bucket version changes', async () => {
    const v2 = dynamicContent({
      catalog: defineCatalog({
        slots: [
          {
            id: 'home.rail',
            default: { content: 0 },
            experiment: { id: 'rail-test', version: 2 },
            variants: [
              { id: 'a', weight: 50, content: 1 },
              { id: 'b', weight: 30, content: 2 },
              { id: 'c', weight: 20, content: 3 },
            ],
          },
        ],
      }),
    });
    let moved = 0;
    for (let i = 0; i < 500; i++) {
      const input = strategyInput({ slots: ['home.rail'], data: { 'session.id': sessionId(i) } });
      const [one, two] = [(await run(strategy, input)).proposals[0]!, (await run(v2, input)).proposals[0]!];
      if (one.variant !== two.variant) moved++;
    }
    expect(moved).toBeGreaterThan(100);
  });

  it('without a key, serves the control (first) variant of a split', async () => {
    const out = await run(strategy, strategyInput({ slots: ['home.rail'] }));
    expect(out.proposals[0]).toMatchObject({ variant: 'a', score: 0.5, categories: [] });
  });

  it('keys a subject split on the person only when its consent is granted, else on the session', async () => {
    const data = { 'subject.id': 'customer-42', 'session.id': sessionId(7) };
    const withConsent = await run(
      strategy,
      strategyInput({ slots: ['email.block'], data, granted: ['measurement'] }),
    );
    const without = await run(strategy, strategyInput({ slots: ['email.block'], data, granted: [] }));
    expect(withConsent.proposals[0]?.categories).toEqual(['subject.id']);
    expect(without.proposals[0]?.categories).toEqual(['session.id']);
    const bySubject = bucketOf('email.block', 1, 'customer-42') < 0.5 ? 'x' : 'y';
    expect(withConsent.proposals[0]?.variant).toBe(bySubject);
  });

  it('is deterministic for any input (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          kids: fc.double({ min: 0, max: 1, noNaN: true }),
          loyal: fc.boolean(),
          session: fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/),
          now: fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }),
        }),
        async ({ kids, loyal, session, now }) => {
          const input = strategyInput({
            slots: ['home.hero', 'home.rail', 'email.block'],
            signals: { 'session.interests': { kids }, 'segments.memberships': loyal ? ['loyal'] : [] },
            data: { 'session.id': session },
            now,
          });
          expect(await run(strategy, input)).toEqual(await run(strategy, input));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('runs under marketing.email for the email channel, and rejects bad options', () => {
    expect(
      dynamicContent({ catalog: shopCatalog(), channel: 'email', name: 'email-content' }).manifest.purposes,
    ).toEqual(['marketing.email']);
    expect(() => dynamicContent({ catalog: shopCatalog(), channel: 'sms' as 'email' })).toThrow(TactfulError);
    expect(() => dynamicContent({ catalog: shopCatalog(), purposes: ['nope'] })).toThrow(
      /unknown purpose "nope"/,
    );
    expect(() => dynamicContent({} as never)).toThrow(/catalog: a catalog is required/);
  });

  it('accepts catalog JSON directly', () => {
    const s = dynamicContent({ catalog: { slots: [{ id: 'a', default: { content: 1 } }] } });
    expect([...s.catalog.slots.keys()]).toEqual(['a']);
  });

  it('throws ABORTED on an aborted call', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => strategy.decide(strategyInput(), { signal: controller.signal, traceId: 't' })).toThrow(
      /aborted/,
    );
  });
});

describeStrategyConformance('dynamicContent', {
  create: () => dynamicContent({ catalog: shopCatalog() }),
  slots: ['home.hero', 'home.rail', 'email.block'],
  sampleInput: {
    slots: ['home.hero', 'home.rail'],
    signals: {
      'session.interests': { kids: 0.9 },
      'segments.memberships': ['loyal'],
      'contextual.context': { city: 'Huế' },
    },
    data: { 'session.id': 'abcdefghijklmnop1234' },
    granted: ['personalization.contextual'],
  },
});

describe('dynamicContent over data categories', () => {
  const strategy = dynamicContent({ catalog: profileCatalog() });

  it('declares each category under its variant purpose and applies a variant only when its purpose is granted', async () => {
    expect(strategy.manifest.reads.map((r) => `${r.category}:${r.purpose}`)).toEqual([
      'behavior.purchases:personalization.profile',
      'profile.attributes:personalization.profile',
      'location.precise:personalization.precise-location',
    ]);
    const data = {
      'location.precise': { latitude: 16.4, longitude: 107.6 },
      'behavior.purchases': [{ at: '2026-01-01T00:00:00Z' }],
    };
    const withoutLocation = await run(
      strategy,
      strategyInput({ slots: ['home.offer'], data, granted: ['personalization.profile'] }),
    );
    expect(withoutLocation.proposals).toEqual([]);
    const withLocation = await run(
      strategy,
      strategyInput({
        slots: ['home.offer'],
        data,
        granted: ['personalization.profile', 'personalization.precise-location'],
      }),
    );
    expect(withLocation.proposals[0]).toMatchObject({ variant: 'nearby', categories: ['location.precise'] });
  });

  it('renders templates from data it was given', async () => {
    const out = await run(
      strategy,
      strategyInput({
        slots: ['home.offer'],
        data: {
          'profile.attributes': { tier: 'gold' },
          'behavior.purchases': [{ at: '2026-01-01T00:00:00Z' }],
        },
        granted: ['personalization.profile'],
      }),
    );
    expect(out.proposals[0]).toMatchObject({ variant: 'gold', content: { voucher: 'GOLD-gold' } });
  });
});

describeStrategyConformance('dynamicContent over data categories', {
  create: () => dynamicContent({ catalog: profileCatalog() }),
  slots: ['home.offer'],
  sampleInput: {
    slots: ['home.offer'],
    data: { 'behavior.purchases': [], 'profile.attributes': { tier: 'gold' } },
    granted: ['personalization.contextual', 'personalization.profile'],
  },
});

describeStrategyConformance('dynamicContent for email', {
  create: () => dynamicContent({ catalog: shopCatalog(), channel: 'email', name: 'email-content' }),
  slots: ['email.block', 'home.hero'],
  sampleInput: {
    slots: ['email.block'],
    data: { 'subject.id': 'customer-42' },
    granted: ['marketing.email', 'measurement'],
  },
});
