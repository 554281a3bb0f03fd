// The page side of browser.test.ts: bundled for the browser and loaded by a real Chromium. The
// visitor's events go through the browser entry point into this tab's sessionStorage, and the
// decision runs in the page with the orchestrator. Exposed to the test as `window.contentSession`.
import { anonymousSession } from '@tactful/anonymous-session';
import { createBrowserSession } from '@tactful/anonymous-session/browser';
import { defineConsentProvider } from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';

/** The site's category order before anything is known about the visit. */
export const CATEGORIES = ['women', 'men', 'home', 'toys', 'sale', 'kids'];

/** The visitor's banner choice: "personalize this visit" grants the session purpose, nothing else. */
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

const tactful = createOrchestrator({
  consent: [visitBanner],
  strategies: [anonymousSession({ slots: { categories: 'home.categories' }, categories: CATEGORIES })],
});

// Uses the tab's own sessionStorage (the default); nothing is written until the first call.
const visit = createBrowserSession();

/** The session id (starts a session if none is live in this tab). */
export const sessionId = () => visit.id;

/** Records events through the browser entry point. */
export function record(events) {
  for (const event of events) visit.record(event);
  return visit.events().length;
}

/** The session's events as the entry point reads them back from storage. */
export const events = () => JSON.parse(JSON.stringify(visit.events()));

/** Decides the home page's category slot in the page, with this tab's session attached. */
export async function decideCategories() {
  const decision = await visit.decide(tactful, {
    slots: [{ id: 'home.categories', default: { kind: 'categories', order: CATEGORIES } }],
  });
  const slot = decision.slots.find((s) => s.slot === 'home.categories');
  return JSON.parse(
    JSON.stringify({ content: slot?.content, strategy: slot?.strategy, isDefault: slot?.isDefault }),
  );
}
