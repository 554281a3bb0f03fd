import type { Proposal } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MergeFunction, createOrchestrator, seededRandom } from '../src/index.js';
import { consentProvider, memorySource, request, strategy } from './fixtures.js';

const PROFILE = 'personalization.profile';
const preferences = { interests: ['kids'], notInterested: ['wine'], answers: {} };

function proposing(name: string, proposal: Partial<Proposal>, init: Parameters<typeof strategy>[1] = {}) {
  return strategy(name, {
    ...init,
    decide: () => ({ proposals: [{ slot: 'home.hero', content: name, reason: { en: name }, ...proposal }] }),
  });
}

describe('merge', () => {
  it('priority: the highest manifest priority wins, then the highest score, then registration order', async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      strategies: [
        proposing('low', { score: 1 }, { priority: 1 }),
        proposing('high-a', { score: 0.2 }, { priority: 5 }),
        proposing('high-b', { score: 0.7 }, { priority: 5 }),
        proposing('high-c', { score: 0.7 }, { priority: 5 }),
      ],
    });
    expect((await tactful.decide(request())).slots[0]?.strategy).toBe('high-b');
  });

  it('score: the highest score wins whatever the priority', async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      merge: 'score',
      strategies: [
        proposing('low', { score: 0.95 }, { priority: -5 }),
        proposing('high', { score: 0.5 }, { priority: 5 }),
      ],
    });
    expect((await tactful.decide(request())).slots[0]?.strategy).toBe('low');
  });

  it('weighted: deterministic for the same trace id, and picks in proportion to score', async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      merge: 'weighted',
      strategies: [proposing('a', { score: 0.75 }), proposing('b', { score: 0.25 })],
    });
    const first = await tactful.decide(request({ traceId: 'trace-fixed-1' }));
    for (let i = 0; i < 5; i++)
      expect((await tactful.decide(request({ traceId: 'trace-fixed-1' }))).slots).toEqual(first.slots);
    const wins = { a: 0, b: 0 } as Record<string, number>;
    for (let i = 0; i < 2000; i++) {
      const d = await tactful.decide(request({ traceId: `trace-${String(i).padStart(6, '0')}` }));
      wins[d.slots[0]!.strategy] = (wins[d.slots[0]!.strategy] ?? 0) + 1;
    }
    expect(wins['a']! / 2000).toBeGreaterThan(0.7);
    expect(wins['a']! / 2000).toBeLessThan(0.8);
  });

  it('weighted: without a trace id the choice is sticky per subject', async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      merge: 'weighted',
      strategies: [proposing('a', { score: 0.5 }), proposing('b', { score: 0.5 })],
    });
    const decide = (subject: string) =>
      tactful.decide({ subject: { id: subject }, slots: [{ id: 'home.hero' }] });
    for (const subject of ['u1', 'u2', 'u3', 'u4']) {
      const first = (await decide(subject)).slots[0]?.strategy;
      expect((await decide(subject)).slots[0]?.strategy).toBe(first);
    }
  });

  it('seededRandom is uniform enough and stable', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (seed, slot) => {
        const r = seededRandom(seed, slot);
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThan(1);
        expect(seededRandom(seed, slot)).toBe(r);
      }),
    );
  });

  it('zero-party first (P4): a proposal from declared data outranks a higher-priority inferred one', async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      sources: [memorySource('prefs', { 'profile.preferences': preferences, 'behavior.purchases': [] })],
      strategies: [
        proposing(
          'inferred',
          { score: 1 },
          {
            priority: 100,
            purposes: [PROFILE],
            reads: [{ category: 'behavior.purchases', purpose: PROFILE }],
          },
        ),
        proposing(
          'declared',
          { score: 0.1 },
          {
            priority: -100,
            purposes: [PROFILE],
            reads: [{ category: 'profile.preferences', purpose: PROFILE }],
          },
        ),
      ],
    });
    const decision = await tactful.decide(request({ subject: { id: 'u1' } }));
    expect(decision.slots[0]?.strategy).toBe('declared');
  });

  it('does not let a strategy claim declared evidence it was not given', async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      strategies: [
        proposing('liar', { origin: 'declared' }, { priority: -1 }),
        proposing('honest', {}, { priority: 1 }),
      ],
    });
    expect((await tactful.decide(request())).slots[0]?.strategy).toBe('honest');
  });

  it('a declared "not interested" removes inferred proposals on that topic (P4)', async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      sources: [memorySource('prefs', { 'profile.preferences': preferences, 'behavior.purchases': [] })],
      strategies: [
        strategy('preference-center', {
          purposes: [PROFILE],
          reads: [{ category: 'profile.preferences', purpose: PROFILE }],
          decide: (input) => ({
            proposals: [],
            vetoes: (input.data['profile.preferences'] as typeof preferences).notInterested.map((topic) => ({
              topic,
            })),
          }),
        }),
        proposing(
          'wine-upsell',
          { topics: ['wine'], score: 1 },
          {
            priority: 10,
            purposes: [PROFILE],
            reads: [{ category: 'behavior.purchases', purpose: PROFILE }],
          },
        ),
        proposing('fallback', { topics: ['cheese'] }, { priority: 0 }),
      ],
    });
    const decision = await tactful.decide(request({ subject: { id: 'u1' } }));
    expect(decision.slots[0]?.strategy).toBe('fallback');
  });

  it('ignores vetoes from a strategy that read no declared data', async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      strategies: [
        strategy('meddler', { decide: () => ({ proposals: [], vetoes: [{ topic: 'wine' }] }) }),
        proposing('wine', { topics: ['wine'] }),
      ],
    });
    expect((await tactful.decide(request())).slots[0]?.strategy).toBe('wine');
  });

  it('a custom merge function picks among the best tier, and a failing one falls back to priority', async () => {
    const lowest: MergeFunction = (candidates) => [...candidates].sort((a, b) => a.priority - b.priority)[0];
    const custom = createOrchestrator({
      consent: [consentProvider('opt-in')],
      merge: lowest,
      strategies: [proposing('a', {}, { priority: 1 }), proposing('b', {}, { priority: 2 })],
    });
    expect((await custom.decide(request())).slots[0]?.strategy).toBe('a');

    const broken = createOrchestrator({
      consent: [consentProvider('opt-in')],
      merge: () => {
        throw new Error('bug');
      },
      strategies: [proposing('a', {}, { priority: 1 }), proposing('b', {}, { priority: 2 })],
    });
    const failures: unknown[] = [];
    broken.on('merge:failed', (e) => failures.push(e));
    expect((await broken.decide(request())).slots[0]?.strategy).toBe('b');
    expect(failures).toHaveLength(1);
  });
});
