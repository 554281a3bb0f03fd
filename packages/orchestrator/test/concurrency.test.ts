import { describe, expect, it } from 'vitest';
import { ConsentMemory } from '../src/consent-memory.js';
import { createOrchestrator } from '../src/index.js';
import { consentProvider, memorySource, request, since, strategy } from './fixtures.js';

const PROFILE = 'personalization.profile';
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('concurrency and deadlines', () => {
  it('runs independent strategies and sources concurrently', async () => {
    const slowSource = (name: string, category: string) =>
      memorySource(
        name,
        { [category]: [] },
        {
          load: async (q) => {
            await wait(60);
            return Object.fromEntries(q.categories.map((c) => [c, []]));
          },
        },
      );
    const slowStrategy = (name: string, category: string) =>
      strategy(name, {
        purposes: [PROFILE],
        reads: [{ category, purpose: PROFILE }],
        decide: async () => {
          await wait(60);
          return { proposals: [] };
        },
      });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      sources: [
        slowSource('s1', 'behavior.purchases'),
        slowSource('s2', 'behavior.cart'),
        slowSource('s3', 'behavior.pageviews'),
      ],
      strategies: [
        slowStrategy('a', 'behavior.purchases'),
        slowStrategy('b', 'behavior.cart'),
        slowStrategy('c', 'behavior.pageviews'),
      ],
      timeouts: { sourceMs: 1000, strategyMs: 1000, decisionMs: 2000 },
    });
    const start = performance.now();
    const decision = await tactful.decide(request({ subject: { id: 'u1' } }));
    // Sequential would take 6 x 60 ms; concurrent sources then concurrent strategies take 2 x 60 ms.
    expect(since(start)).toBeLessThan(250);
    expect(decision.dropped).toEqual([]);
  });

  it("lets a strategy's own timeoutMs lower the orchestrator's deadline, never raise it", async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      strategies: [
        strategy('quick', { timeoutMs: 20, decide: () => wait(80).then(() => ({ proposals: [] })) }),
        strategy('greedy', { timeoutMs: 5000, decide: () => wait(5000).then(() => ({ proposals: [] })) }),
      ],
      timeouts: { strategyMs: 100 },
    });
    const start = performance.now();
    const decision = await tactful.decide(request());
    expect(since(start)).toBeLessThan(250);
    expect(decision.dropped.map((d) => [d.plugin, d.reason])).toEqual([
      ['quick', 'strategy "quick" did not answer within 20 ms'],
      ['greedy', 'strategy "greedy" did not answer within 100 ms'],
    ]);
  });
});

describe('consent change memory', () => {
  it('reports changes per subject, forgets the least recent beyond its capacity, and can be off', () => {
    const granted = { purposes: { a: { status: 'granted' as const, provider: 'p' } } };
    const denied = { purposes: { a: { status: 'denied' as const, provider: 'p' } } };
    const memory = new ConsentMemory(2);
    expect(memory.compare('u1', granted)).toEqual([]);
    expect(memory.compare('u1', denied)).toEqual([{ purpose: 'a', from: 'granted', to: 'denied' }]);
    memory.compare('u2', granted);
    memory.compare('u3', granted); // u1 is now the least recent and is forgotten
    expect(memory.compare('u1', granted)).toEqual([]);
    expect(new ConsentMemory(0).enabled).toBe(false);
  });

  it('never states a negative time: a call whose deadline had passed says it was not called', async () => {
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {}
    };
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      // The first strategy blocks the thread past the whole decision's deadline.
      strategies: [
        strategy('hog', {
          priority: 10,
          decide: () => {
            busy(60);
            return { proposals: [] };
          },
        }),
        strategy('late', { decide: () => ({ proposals: [] }) }),
      ],
      timeouts: { strategyMs: 40, decisionMs: 30 },
    });
    const decision = await tactful.decide(request());
    const reasons = decision.dropped.map((d) => d.reason);
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason).not.toMatch(/-\d/);
  });
});
