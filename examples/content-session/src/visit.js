// Part 2: a first-time visitor (no account, no cookie history) browses kids' products; the home page
// changes with the session. Nothing identifies the visitor: a random session id, events in a
// session store with a TTL, and interest scores that decay.
import { anonymousSession, createSessionStore } from '@tactful/anonymous-session';
import { defineConsentProvider } from '@tactful/core';
import { defineCatalog, dynamicContent } from '@tactful/dynamic-content';
import { createOrchestrator } from '@tactful/orchestrator';

export const homeCatalog = defineCatalog({
  slots: [
    {
      id: 'home.hero',
      default: { content: { title: 'New this week', href: '/new' } },
      variants: [
        {
          id: 'kids',
          when: { 'interests.kids': { $gte: 0.3 } },
          topics: ['kids'],
          content: { title: 'For little explorers', href: '/kids' },
        },
      ],
    },
  ],
});

/**
 * The visitor's banner choice. The page attaches the session to a request only after the visitor
 * chose "personalize this visit"; this provider grants exactly that purpose, and nothing else.
 */
const visitBanner = defineConsentProvider({
  manifest: { name: 'visit-banner', version: '1.0.0', core: '^0.1.0' },
  resolve: ({ purposes, session }) => ({
    purposes: Object.fromEntries(
      purposes.map((p) => [
        p,
        {
          status: p === 'personalization.session' && session !== undefined ? 'granted' : 'denied',
          provider: 'visit-banner',
        },
      ]),
    ),
  }),
});

const SLOTS = [
  { id: 'home.hero', default: { title: 'New this week', href: '/new' } },
  {
    id: 'home.categories',
    default: { kind: 'categories', order: ['women', 'men', 'kids', 'home', 'toys', 'sale'] },
  },
  { id: 'home.continue', default: { kind: 'continue', items: [] } },
];

/** Runs the visit: the home page before browsing, then after each of four events. */
export async function runVisit() {
  const sessions = createSessionStore({ ttlMs: 30 * 60_000, maxEventsPerSession: 200 });
  const tactful = createOrchestrator({
    consent: [visitBanner],
    strategies: [
      anonymousSession({
        slots: { categories: 'home.categories', continue: 'home.continue' },
        categories: ['women', 'men', 'kids', 'home', 'toys', 'sale'],
      }),
      dynamicContent({ catalog: homeCatalog, purposes: ['personalization.session'] }),
    ],
    timeouts: { consentMs: 5000, strategyMs: 5000, decisionMs: 15000 },
  });
  // A cookie from nowhere (or forged) is never adopted: the store starts a fresh session.
  const { id } = sessions.open('forged-or-stale-cookie-value');
  const steps = [
    { label: 'arrives on the home page', event: undefined },
    {
      label: "opens the kids' category",
      event: { type: 'category_view', target: '/kids', topics: ['kids'] },
    },
    {
      label: 'views a wooden train',
      event: { type: 'product_view', target: 'wooden-train', topics: ['kids', 'toys'] },
    },
    {
      label: 'spends 90 s on the train',
      event: { type: 'dwell', target: 'wooden-train', topics: ['kids', 'toys'], durationMs: 90_000 },
    },
    { label: 'views rain boots', event: { type: 'product_view', target: 'rain-boots', topics: ['kids'] } },
  ];
  const pages = [];
  for (const step of steps) {
    if (step.event) sessions.record(id, step.event);
    const decision = await tactful.decide({ session: sessions.session(id), slots: SLOTS });
    const slot = (name) => decision.slots.find((s) => s.slot === name);
    pages.push({
      step: step.label,
      hero: slot('home.hero'),
      categories: slot('home.categories'),
      continue: slot('home.continue'),
    });
  }
  // Signing in rotates the id: the anonymous one is retired, never reused.
  const afterSignIn = sessions.rotate(id);
  return { sessionId: id, afterSignIn, pages };
}
