import type { StrategyInput } from '@tactful/core';
import { callContext, describeStrategyConformance, strategyInput } from '@tactful/testing';
import { describe, expect, it } from 'vitest';
import { ev, NOW } from '../test/events.js';
import { seededRandom } from './random.js';
import { anonymousSession } from './strategy.js';

const kidsBrowsing = [
  ev('category_view', ['kids'], 12, { target: '/kids' }),
  ev('product_view', ['kids', 'toys'], 9, { target: 'lego-city' }),
  ev('dwell', ['kids', 'toys'], 8, { target: 'lego-city', durationMs: 90_000 }),
  ev('product_view', ['kids', 'clothing'], 4, { target: 'rain-boots' }),
  ev('product_view', ['kids', 'toys'], 2, { target: 'wooden-train' }),
  ev('add_to_cart', ['kids', 'toys'], 1, { target: 'wooden-train' }),
];

const slots = { categories: 'home.categories', continue: 'home.continue' };
const categories = ['women', 'men', 'kids', 'home', 'toys', 'sale'];
const input = (events: unknown[], extra: Partial<Parameters<typeof strategyInput>[0]> = {}): StrategyInput =>
  strategyInput({
    slots: ['home.categories', 'home.continue', 'home.hero'],
    data: { 'session.events': events },
    granted: ['personalization.session'],
    now: NOW,
    ...extra,
  });

describe('anonymousSession', () => {
  const strategy = anonymousSession({ slots, categories, caps: { perTopic: 10 } });

  it('declares only session events under personalization.session and publishes session.interests', () => {
    expect(strategy.manifest.purposes).toEqual(['personalization.session']);
    expect(strategy.manifest.reads.map((r) => r.category)).toEqual(['session.events']);
    expect(strategy.manifest.signals.publishes.map((s) => s.name)).toEqual(['session.interests']);
  });

  it('turns a session browsing kids’ products into interests, kids first, and reorders the categories', async () => {
    const out = await strategy.decide(input(kidsBrowsing), callContext());
    const interests = out.signals?.['session.interests'] as Record<string, number>;
    expect(Object.keys(interests)).toEqual(['kids', 'toys', 'clothing']);
    expect(interests['kids']).toBeGreaterThan(interests['toys']!);
    const proposal = out.proposals.find((p) => p.slot === 'home.categories')!;
    expect(proposal.content).toEqual({
      kind: 'categories',
      order: ['kids', 'toys', 'women', 'men', 'home', 'sale'],
      top: ['kids', 'toys'],
    });
    expect(proposal).toMatchObject({
      origin: 'observed',
      topics: ['kids', 'toys'],
      signals: ['interest:kids', 'interest:toys'],
      categories: ['session.events'],
    });
    expect(proposal.reason.vi).toContain('phiên truy cập hiện tại');
  });

  it('offers "continue where you left off" without what is already in the cart', async () => {
    const out = await strategy.decide(input(kidsBrowsing), callContext());
    const proposal = out.proposals.find((p) => p.slot === 'home.continue')!;
    expect(proposal.content).toEqual({
      kind: 'continue',
      items: [
        { target: 'rain-boots', topics: ['kids', 'clothing'], at: kidsBrowsing[3]!.at },
        { target: 'lego-city', topics: ['kids', 'toys'], at: kidsBrowsing[1]!.at },
      ],
    });
  });

  it('proposes nothing and publishes empty interests for a fresh session', async () => {
    const out = await strategy.decide(input([]), callContext());
    expect(out).toEqual({ proposals: [], signals: { 'session.interests': {} } });
  });

  it('forgets: interests decay away as the visit ages', async () => {
    const later = await strategy.decide(input(kidsBrowsing, { now: NOW + 3 * 3_600_000 }), callContext());
    expect(later.signals?.['session.interests']).toEqual({});
  });

  it('with noise probability 1, reveals only noise topics; with a seeded source, reproducibly', async () => {
    const make = () =>
      anonymousSession({
        slots,
        categories,
        caps: { perTopic: 10 },
        noise: { probability: 1, topics: ['garden', 'books', 'tech', 'pets'], random: seededRandom(7) },
      });
    const interests = (await make().decide(input(kidsBrowsing), callContext())).signals?.[
      'session.interests'
    ] as Record<string, number>;
    expect((await make().decide(input(kidsBrowsing), callContext())).signals?.['session.interests']).toEqual(
      interests,
    );
    expect(Object.keys(interests).every((t) => ['garden', 'books', 'tech', 'pets'].includes(t))).toBe(true);
    expect(Object.values(interests)).toEqual(
      Object.values(strategy.interests(kidsBrowsing, NOW).map((i) => i.score)),
    );
  });

  it('replaces each revealed topic with probability p (randomized response)', () => {
    const p = 0.2;
    const noisy = anonymousSession({
      noise: { probability: p, topics: ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'], random: seededRandom(99) },
    });
    let replaced = 0;
    const trials = 5000;
    for (let i = 0; i < trials; i++) {
      const [first] = noisy.interests([ev('add_to_cart', ['kids'])], NOW);
      if (first?.topic !== 'kids') replaced++;
    }
    expect(replaced / trials).toBeGreaterThan(p - 0.03);
    expect(replaced / trials).toBeLessThan(p + 0.03);
  });

  it('keeps noise stable within a session (it cannot be averaged out) when keyed by the session id', async () => {
    const noisy = anonymousSession({ noise: { probability: 0.5, topics: ['n1', 'n2', 'n3', 'n4'] } });
    expect(noisy.manifest.reads.map((r) => r.category)).toEqual(['session.events', 'session.id']);
    const events = ['a', 'b', 'c', 'd', 'e'].map((t) => ev('add_to_cart', [t]));
    const one = noisy.interests(events, NOW, 'session-aaaaaaaaaaaaaaaa');
    for (let i = 0; i < 20; i++)
      expect(noisy.interests(events, NOW, 'session-aaaaaaaaaaaaaaaa')).toEqual(one);
    const across = new Set(
      Array.from({ length: 50 }, (_, i) =>
        JSON.stringify(noisy.interests(events, NOW, `session-${i}-bbbbbbbbbbbb`)),
      ),
    );
    expect(across.size).toBeGreaterThan(1);
  });

  it('rejects bad options naming the field', () => {
    expect(() => anonymousSession({ halfLifeMs: -1 })).toThrow(/halfLifeMs/);
    expect(() => anonymousSession({ noise: { probability: 2, topics: ['a', 'b'] } })).toThrow(
      /noise\.probability/,
    );
    expect(() => anonymousSession({ noise: { probability: 0.1, topics: ['a'] } })).toThrow(
      /at least two topics/,
    );
    expect(() => anonymousSession({ slots: { categories: 'bad slot' } })).toThrow(/slots\.categories/);
  });
});

describeStrategyConformance('anonymousSession', {
  create: () => anonymousSession({ slots, categories }),
  slots: ['home.categories', 'home.continue'],
  sampleInput: {
    slots: ['home.categories', 'home.continue'],
    data: { 'session.events': kidsBrowsing },
    granted: ['personalization.session'],
    now: NOW,
  },
});

describeStrategyConformance('anonymousSession with session-stable noise', {
  create: () =>
    anonymousSession({ slots, categories, noise: { probability: 0.3, topics: ['garden', 'books', 'tech'] } }),
  slots: ['home.categories'],
  sampleInput: {
    slots: ['home.categories'],
    data: { 'session.events': kidsBrowsing, 'session.id': 'abcdefghijklmnopqrstuvwx' },
    granted: ['personalization.session'],
    now: NOW,
  },
});
