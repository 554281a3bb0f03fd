import type { DataSourceQuery, PurposeConsent, StrategyInput } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOrchestrator } from '../src/index.js';
import { consentProvider, memorySource, request, strategy } from './fixtures.js';

const PURPOSES = [
  'personalization.contextual',
  'personalization.profile',
  'personalization.session',
  'personalization.precise-location',
  'marketing.email',
  'measurement',
] as const;
const SOURCE_CATEGORIES = [
  'profile.preferences',
  'profile.attributes',
  'behavior.purchases',
  'behavior.pageviews',
  'behavior.cart',
  'derived.segments',
  'context.weather',
] as const;
const REQUEST_CATEGORIES = [
  'context.time',
  'context.device',
  'context.locale',
  'context.page',
  'session.events',
  'context.location.coarse',
];

const consentArb = fc.array(
  fc.dictionary(
    fc.constantFrom(...PURPOSES),
    fc.constantFrom('granted', 'denied') as fc.Arbitrary<'granted' | 'denied'>,
  ),
  {
    minLength: 1,
    maxLength: 3,
  },
);
const sourcesArb = fc.array(
  fc.record({
    provides: fc.subarray([...SOURCE_CATEGORIES], { minLength: 1 }),
    values: fc.dictionary(fc.constantFrom(...SOURCE_CATEGORIES), fc.jsonValue({ maxDepth: 2 })),
  }),
  { minLength: 0, maxLength: 3 },
);
const readArb = (categories: readonly string[]) =>
  fc.record({
    category: fc.constantFrom(...categories, 'location.precise'),
    purpose: fc.constantFrom(...PURPOSES),
  });
const strategiesArb = (categories: readonly string[]) =>
  fc.array(
    fc.record({
      purposes: fc.subarray([...PURPOSES], { minLength: 1, maxLength: 2 }),
      reads: fc.array(readArb(categories), { maxLength: 4 }),
      priority: fc.integer({ min: -3, max: 3 }),
      score: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 5 },
  );
const scenarioArb = sourcesArb.chain((sources) => {
  const provided = [...new Set(sources.flatMap((s) => s.provides)), ...REQUEST_CATEGORIES];
  return fc.record({
    sources: fc.constant(sources),
    strategies: strategiesArb(provided),
    consent: consentArb,
    merge: fc.constantFrom('priority', 'score', 'weighted') as fc.Arbitrary<
      'priority' | 'score' | 'weighted'
    >,
  });
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Builds a fresh orchestrator for a scenario, recording every call. */
function build(scenario: Scenario, denyEverything = false) {
  const sourceCalls: Array<{ name: string; query: DataSourceQuery }> = [];
  const strategyCalls: Array<{ name: string; input: StrategyInput }> = [];
  const sources = scenario.sources.map((s, i) => {
    const name = `source-${i}`;
    const data = Object.fromEntries(s.provides.map((c) => [c, s.values[c] ?? null]));
    return memorySource(name, data, {
      load: (query) => {
        sourceCalls.push({ name, query });
        return Object.fromEntries(query.categories.map((c) => [c, structuredClone(data[c])]));
      },
    });
  });
  const strategies = scenario.strategies.map((s, i) => {
    const name = `strategy-${i}`;
    const reads = s.reads.map((r) =>
      r.category === 'location.precise'
        ? { category: r.category, purpose: 'personalization.precise-location' }
        : r,
    );
    return strategy(name, {
      purposes: s.purposes,
      reads,
      priority: s.priority,
      decide: (input) => {
        strategyCalls.push({ name, input });
        return {
          proposals: input.slots.map((slot) => ({
            slot: slot.id,
            content: { by: name, saw: Object.keys(input.data).sort() },
            reason: { en: `from ${name}` },
            ...(s.score === undefined ? {} : { score: s.score }),
          })),
        };
      },
    });
  });
  const consent = scenario.consent.map((answers, i) =>
    consentProvider(`consent-${i}`, {
      resolve: ({ purposes }) => {
        const out: Record<string, PurposeConsent> = {};
        for (const p of purposes) {
          const status = denyEverything ? 'denied' : answers[p];
          if (status) out[p] = { status, provider: `consent-${i}` };
        }
        return { purposes: out };
      },
    }),
  );
  const tactful = createOrchestrator({
    consent,
    sources,
    strategies,
    merge: scenario.merge,
    allowSourcesWithoutErasure: [],
    // A fixed server clock: identical inputs then give identical decisions, decidedAt included.
    clock: () => Date.parse('2026-01-15T10:00:00.000Z'),
  });
  return { tactful, sourceCalls, strategyCalls, scenario };
}

function grantedOf(scenario: Scenario): Set<string> {
  const granted = new Set<string>();
  for (const p of PURPOSES) {
    const answers = scenario.consent.map((a) => a[p]);
    if (answers.includes('granted') && !answers.includes('denied')) granted.add(p);
  }
  return granted;
}

const fullRequest = request({
  subject: { id: 'u1' },
  session: {
    id: 'session-0123456789abcdef',
    events: [{ type: 'page_view', at: '2026-01-15T09:59:00Z', topics: ['kids'] }],
  },
  context: {
    userAgent: 'Mozilla/5.0',
    locale: 'vi-VN',
    url: 'https://shop.example/',
    geo: { country: 'VN', city: 'Hanoi' },
    preciseLocation: { latitude: 21.03, longitude: 105.85 },
  },
  slots: [{ id: 'home.hero', default: 'hero' }, { id: 'home.banner' }],
});

describe('properties', () => {
  it('no strategy ever receives a category it did not declare or whose purpose is not granted', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { tactful, strategyCalls } = build(scenario);
        const granted = grantedOf(scenario);
        await tactful.decide(fullRequest);
        for (const call of strategyCalls) {
          const spec = scenario.strategies[Number(call.name.split('-')[1])]!;
          for (const p of spec.purposes) expect(granted.has(p)).toBe(true);
          const allowed = new Set(
            spec.reads
              .map((r) =>
                r.category === 'location.precise' ? { ...r, purpose: 'personalization.precise-location' } : r,
              )
              .filter((r) => granted.has(r.purpose))
              .map((r) => r.category),
          );
          for (const category of Object.keys(call.input.data)) expect(allowed.has(category)).toBe(true);
          expect(Object.isFrozen(call.input.data)).toBe(true);
          expect(call.input.granted.every((p) => granted.has(p))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('no source is called for categories no permitted strategy needs', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { tactful, sourceCalls } = build(scenario);
        const granted = grantedOf(scenario);
        await tactful.decide(fullRequest);
        const needed = new Set<string>();
        for (const s of scenario.strategies) {
          if (!s.purposes.every((p) => granted.has(p))) continue;
          for (const r of s.reads) {
            const purpose =
              r.category === 'location.precise' ? 'personalization.precise-location' : r.purpose;
            if (granted.has(purpose)) needed.add(r.category);
          }
        }
        for (const call of sourceCalls) {
          const spec = scenario.sources[Number(call.name.split('-')[1])]!;
          expect(call.query.categories.length).toBeGreaterThan(0);
          for (const c of call.query.categories) {
            expect(needed.has(c)).toBe(true);
            expect(spec.provides).toContain(c);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a decision is identical for identical inputs', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const one = await build(scenario).tactful.decide(fullRequest);
        const two = await build(scenario).tactful.decide(fullRequest);
        expect(two).toEqual(one);
        expect(JSON.stringify(two)).toBe(JSON.stringify(one));
      }),
      { numRuns: 150 },
    );
  });

  it('with every purpose denied, the decision is all defaults and no source or strategy was called', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { tactful, sourceCalls, strategyCalls } = build(scenario, true);
        const decision = await tactful.decide(fullRequest);
        expect(sourceCalls).toEqual([]);
        expect(strategyCalls).toEqual([]);
        expect(decision.slots.map((s) => [s.isDefault, s.content])).toEqual([
          [true, 'hero'],
          [true, undefined],
        ]);
        expect(decision.purposesUsed).toEqual([]);
        expect(decision.categoriesUsed).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
