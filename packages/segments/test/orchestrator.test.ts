import { type ConsentProvider, defineConsentProvider, defineStrategy } from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';
import { memorySubjectStore, subjectSource } from '@tactful/subject';
import { describe, expect, it } from 'vitest';
import { builtins, segments } from '../src/index.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const granting = (granted: string[]): ConsentProvider =>
  defineConsentProvider({
    manifest: { name: 'test-consent', version: '1.0.0', core: '^0.1.0' },
    resolve: ({ purposes }) => ({
      purposes: Object.fromEntries(
        purposes.map((p) => [
          p,
          {
            status: granted.includes(p) ? ('granted' as const) : ('denied' as const),
            provider: 'test-consent',
          },
        ]),
      ),
    }),
  });

/** Another strategy proposing kids' content from inferred interest. */
const recommender = defineStrategy({
  manifest: {
    name: 'kids-recommender',
    version: '1.0.0',
    core: '^0.1.0',
    purposes: ['personalization.profile'],
    reads: [{ category: 'behavior.pageviews', purpose: 'personalization.profile' }],
    priority: 100,
  },
  decide: () => ({
    proposals: [
      {
        slot: 'home.hero',
        content: { banner: 'kids-toys' },
        origin: 'observed' as const,
        topics: ['kids'],
        reason: { en: 'You looked at toys.', vi: 'Bạn đã xem đồ chơi.' },
        categories: ['behavior.pageviews'],
      },
    ],
  }),
});

async function setup(options: { granted: string[]; count?: number; notInterested?: string[] }) {
  const subjects = memorySubjectStore();
  const id = 'subject-loyal';
  await subjects.recordEvents(
    id,
    [400, 200, 100, 10].map((days, i) => ({
      category: 'behavior.purchases' as const,
      data: {
        at: new Date(NOW - days * 86_400_000).toISOString(),
        orderId: `o-${i}`,
        amount: 100_000,
        currency: 'VND',
      },
    })),
  );
  if (options.notInterested) await subjects.declarePreferences(id, { notInterested: options.notInterested });
  const strategy = segments({
    segments: [
      builtins.loyalCustomer({}, { proposals: [{ slot: 'home.offer', content: { voucher: 'THANKS15' } }] }),
      builtins.interestedIn('kids', { observedViews: 1 }),
    ],
    ...(options.count === undefined ? {} : { population: { count: () => options.count! } }),
  });
  const engine = createOrchestrator({
    consent: [granting(options.granted)],
    sources: [subjectSource({ store: subjects })],
    strategies: [strategy, recommender],
    timeouts: { sourceMs: 2000, strategyMs: 2000, decisionMs: 4000 },
  });
  return engine.decide({
    subject: { id },
    context: { now: new Date(NOW).toISOString() },
    slots: [
      { id: 'home.hero', default: 'hero' },
      { id: 'home.offer', default: 'offer' },
    ],
  });
}

describe('through the orchestrator', () => {
  it('proposes the loyal-customer offer with its explanation when profile personalization is granted', async () => {
    const decision = await setup({ granted: ['personalization.profile'] });
    const offer = decision.slots.find((s) => s.slot === 'home.offer')!;
    expect(offer).toMatchObject({
      strategy: '@tactful/segments',
      content: { voucher: 'THANKS15' },
      isDefault: false,
    });
    expect(offer.explanation.signals).toEqual(['segment:loyal-customer']);
    expect(offer.explanation.categories).toEqual(['behavior.purchases']);
    expect(offer.explanation.summary.vi).toBeTruthy();
  });

  it('never runs without consent for its purpose', async () => {
    const decision = await setup({ granted: [] });
    expect(decision.slots.every((s) => s.isDefault)).toBe(true);
    expect(decision.dropped.map((d) => d.plugin)).toContain('@tactful/segments');
  });

  it('keeps a segment below the k-anonymity floor from activating', async () => {
    const decision = await setup({ granted: ['personalization.profile'], count: 49 });
    expect(decision.slots.find((s) => s.slot === 'home.offer')).toMatchObject({ isDefault: true });
  });

  it("lets a declared 'not interested' veto another strategy's inferred proposal about the topic", async () => {
    const before = await setup({ granted: ['personalization.profile'] });
    expect(before.slots.find((s) => s.slot === 'home.hero')).toMatchObject({
      content: { banner: 'kids-toys' },
    });
    const after = await setup({ granted: ['personalization.profile'], notInterested: ['kids'] });
    expect(after.slots.find((s) => s.slot === 'home.hero')).toMatchObject({ isDefault: true });
  });
});
