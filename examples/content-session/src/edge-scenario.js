// Runs in a bare JavaScript context (no Node globals): both packages with the orchestrator, as a
// browser or an edge runtime would. Bundled and evaluated by edge.test.ts.
import { anonymousSession } from '@tactful/anonymous-session';
import { createBrowserSession } from '@tactful/anonymous-session/browser';
import { defineConsentProvider } from '@tactful/core';
import { defineCatalog, dynamicContent, renderTemplate } from '@tactful/dynamic-content';
import { createOrchestrator } from '@tactful/orchestrator';

const map = new Map();
const storage = {
  getItem: (k) => map.get(k) ?? null,
  setItem: (k, v) => void map.set(k, v),
  removeItem: (k) => void map.delete(k),
};

export async function scenario() {
  const visit = createBrowserSession({ storage });
  visit.record({ type: 'product_view', target: 'wooden-train', topics: ['kids', 'toys'] });
  visit.record({ type: 'add_to_cart', target: 'wooden-train', topics: ['kids', 'toys'] });
  const tactful = createOrchestrator({
    consent: [
      defineConsentProvider({
        manifest: { name: 'visit-banner', version: '1.0.0', core: '^0.1.0' },
        resolve: ({ purposes }) => ({
          purposes: Object.fromEntries(
            purposes.map((p) => [p, { status: 'granted', provider: 'visit-banner' }]),
          ),
        }),
      }),
    ],
    strategies: [
      anonymousSession({ slots: { categories: 'home.categories' }, categories: ['women', 'kids'] }),
      dynamicContent({
        purposes: ['personalization.session'],
        catalog: defineCatalog({
          slots: [
            {
              id: 'home.hero',
              default: { content: 'New' },
              variants: [
                {
                  id: 'kids',
                  when: { 'interests.kids': { $gte: 0.3 } },
                  content: { $template: 'For {{ locale ?? "you" }}' },
                },
              ],
            },
          ],
        }),
      }),
    ],
  });
  const decision = await visit.decide(tactful, { slots: [{ id: 'home.hero' }, { id: 'home.categories' }] });
  return {
    hero: decision.slots.find((s) => s.slot === 'home.hero')?.content,
    categories: decision.slots.find((s) => s.slot === 'home.categories')?.content,
    escaped: renderTemplate(
      '<a href="{{ u }}">{{ t }}</a>',
      { u: 'javascript:alert(1)', t: '<b>' },
      { context: 'html' },
    ),
  };
}
