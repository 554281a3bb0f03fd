import { describeDataSourceConformance, describeStrategyConformance } from '@tactful/testing';
import { builtins, memoryMembershipStore, segments } from '../src/index.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const ago = (days: number) => new Date(NOW - days * 86_400_000).toISOString();

const definitions = [
  builtins.newVisitor({ proposals: [{ slot: 'home.hero', content: { banner: 'welcome' } }] }),
  builtins.returningVisitor(),
  builtins.newCustomer(),
  builtins.loyalCustomer(
    { purchases: 3, withinDays: 365 },
    { proposals: [{ slot: 'home.hero', content: { banner: 'thanks' } }] },
  ),
  builtins.interestedIn(
    'kids',
    { observedViews: 3 },
    { proposals: [{ slot: 'home.banner', content: { banner: 'kids' } }] },
  ),
  builtins.cartAbandoner({ afterHours: 24 }),
];

describeStrategyConformance('@tactful/segments', {
  create: () => segments({ segments: definitions }),
  sampleInput: {
    slots: ['home.hero', 'home.banner'],
    now: NOW,
    data: {
      'behavior.purchases': [{ at: ago(1) }, { at: ago(20) }, { at: ago(200) }],
      'behavior.pageviews': [
        { at: ago(2), topics: ['kids'] },
        { at: ago(3), topics: ['kids'] },
        { at: ago(4), topics: ['kids'] },
      ],
      'profile.preferences': { interests: ['kids'], notInterested: ['gardening'], answers: {} },
      'behavior.cart': { items: [{ productId: 'p1', addedAt: ago(3) }], updatedAt: ago(2) },
      'session.events': [],
    },
  },
});

describeStrategyConformance('@tactful/segments with a population counter', {
  create: () => segments({ segments: definitions, population: { count: async () => 120 }, k: 100 }),
});

const store = memoryMembershipStore();
describeDataSourceConformance('@tactful/segments-store', {
  create: () => segments({ segments: definitions, store }).source!,
  // What a decision would have stored for the subject.
  seed: (_source, subject) => store.save(subject.id, ['loyal-customer'], NOW),
});
