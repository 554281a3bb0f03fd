import { createOrchestrator } from '@tactful/orchestrator';
import { defineConsentProvider } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { createBrowserSession } from './browser.js';
import { memoryStorage } from '../test/memory-storage.js';
import { anonymousSession } from './strategy.js';

const sessionConsent = defineConsentProvider({
  manifest: { name: 'visitor-choice', version: '1.0.0', core: '^0.1.0' },
  resolve: ({ purposes }) => ({
    purposes: Object.fromEntries(
      purposes.map((p) => [
        p,
        {
          status: p === 'personalization.session' ? ('granted' as const) : ('denied' as const),
          provider: 'visitor-choice',
        },
      ]),
    ),
  }),
});

describe('createBrowserSession', () => {
  it('records events in storage and attaches them to a decide request', () => {
    const storage = memoryStorage();
    const visit = createBrowserSession({ storage });
    visit.record({ type: 'product_view', target: 'lego-city', topics: ['kids'] });
    const request = visit.attach({ slots: [{ id: 'home.hero' }] });
    expect(request.session.id).toBe(visit.id);
    expect(request.session.events).toEqual([
      expect.objectContaining({ type: 'product_view', target: 'lego-city' }),
    ]);
    // a new page load in the same tab sees the same session
    expect(createBrowserSession({ storage }).events()).toHaveLength(1);
  });

  it('runs the decision in the page with an orchestrator', async () => {
    const visit = createBrowserSession({ storage: memoryStorage() });
    const tactful = createOrchestrator({
      consent: [sessionConsent],
      // generous deadlines: this test is about the session, not about a loaded CI machine
      timeouts: { consentMs: 5000, strategyMs: 5000, decisionMs: 10_000 },
      strategies: [
        anonymousSession({ slots: { categories: 'home.categories' }, categories: ['women', 'men', 'kids'] }),
      ],
    });
    const before = await visit.decide(tactful, {
      slots: [{ id: 'home.categories', default: { order: ['women', 'men', 'kids'] } }],
    });
    expect(before.slots[0]?.isDefault).toBe(true);
    visit.record({ type: 'product_view', target: 'lego-city', topics: ['kids'] });
    visit.record({ type: 'add_to_cart', target: 'lego-city', topics: ['kids'] });
    const after = await visit.decide(tactful, {
      slots: [{ id: 'home.categories', default: { order: ['women', 'men', 'kids'] } }],
    });
    expect(after.slots[0]?.content).toEqual({
      kind: 'categories',
      order: ['kids', 'women', 'men'],
      top: ['kids'],
    });
  });

  it('sends the request through a function (your server) with the session attached', async () => {
    const visit = createBrowserSession({ storage: memoryStorage() });
    visit.record({ type: 'search', target: 'lego' });
    let sent: unknown;
    await visit.decide(
      async (request) => {
        sent = JSON.parse(JSON.stringify(request));
        return {
          traceId: 't',
          decidedAt: '',
          slots: [],
          purposesUsed: [],
          categoriesUsed: [],
          dropped: [],
          consent: { purposes: {} },
        };
      },
      { slots: [{ id: 'x' }] },
    );
    expect(sent).toMatchObject({ session: { id: visit.id, events: [{ type: 'search', target: 'lego' }] } });
  });

  it('replaces a tampered id pointer instead of adopting it', () => {
    const storage = memoryStorage();
    storage.setItem('tactful.session.current', 'forged-id-chosen-by-attacker');
    const visit = createBrowserSession({ storage });
    expect(visit.id).not.toBe('forged-id-chosen-by-attacker');
    expect(storage.getItem('tactful.session.current')).toBe(visit.id);
  });

  it('rotates on sign-in or consent change and ends cleanly', () => {
    const storage = memoryStorage();
    const visit = createBrowserSession({ storage });
    visit.record({ type: 'page_view', target: '/' });
    const old = visit.id;
    const next = visit.rotate();
    expect(next).not.toBe(old);
    expect(visit.id).toBe(next);
    expect(visit.events()).toEqual([]);
    visit.end();
    expect(storage.map.size).toBe(0);
  });

  it('needs a storage outside a browser', () => {
    expect(() => createBrowserSession()).toThrow(/no sessionStorage here/);
  });
});
