import type { Proposal } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPLANATION, createOrchestrator } from '../src/index.js';
import { consentProvider, memorySource, request, strategy } from './fixtures.js';

const PROFILE = 'personalization.profile';
const TOPICS = ['rain', 'kids', 'home', 'wine', 'tet'] as const;

/** The preference center: reads the declared "not interested" topics and vetoes them. */
function preferenceCenter() {
  return strategy('preference-center', {
    purposes: [PROFILE],
    reads: [{ category: 'profile.preferences', purpose: PROFILE }],
    decide: (input) => ({
      proposals: [],
      vetoes: ((input.data['profile.preferences'] as { notInterested: string[] }).notInterested ?? []).map(
        (topic) => ({ topic, reason: { en: `You are not interested in ${topic}.` } }),
      ),
    }),
  });
}

function withVetoes(notInterested: readonly string[], strategies: ReturnType<typeof strategy>[]) {
  return createOrchestrator({
    consent: [consentProvider('opt-in')],
    sources: [
      memorySource('prefs', {
        'profile.preferences': { interests: [], notInterested: [...notInterested], answers: {} },
      }),
    ],
    strategies: [preferenceCenter(), ...strategies],
  });
}

function proposing(name: string, proposals: Array<Omit<Proposal, 'slot'>>, priority = 0) {
  return strategy(name, {
    priority,
    decide: () => ({ proposals: proposals.map((p) => ({ slot: 'home.hero', ...p })) }),
  });
}

describe('a declared "not interested" (P4)', () => {
  it('lets a vetoed proposal give way to its first fallback that is not vetoed, not to the default', async () => {
    const tactful = withVetoes(
      ['rain'],
      [
        proposing('content', [
          {
            content: 'rain hero',
            variant: 'rain',
            topics: ['rain'],
            reason: { en: 'It is raining.' },
            fallbacks: [
              { content: 'rain boots', variant: 'boots', topics: ['rain'], reason: { en: 'Boots.' } },
              { content: 'kids hero', variant: 'kids', topics: ['kids'], reason: { en: 'You like kids.' } },
              { content: 'evening', variant: 'evening', reason: { en: 'Evening.' } },
            ],
          },
        ]),
      ],
    );
    const slot = (await tactful.decide(request({ subject: { id: 'u1' } }))).slots[0]!;
    expect(slot.isDefault).toBe(false);
    expect(slot.variant).toBe('kids');
    expect(slot.content).toBe('kids hero');
    // The choice rested on the veto too: the explanation says so, with the declared data behind it.
    expect(slot.explanation.summary.en).toBe('You like kids. You are not interested in rain.');
    expect(slot.explanation.signals).toContain('not-interested:rain');
    expect(slot.explanation.categories).toContain('profile.preferences');
    expect(slot.explanation.purposes).toContain(PROFILE);
  });

  it('explains default content shown because of a veto instead of saying nothing about the person was used', async () => {
    const tactful = withVetoes(
      ['rain'],
      [proposing('content', [{ content: 'rain', topics: ['rain'], reason: { en: 'It is raining.' } }])],
    );
    const slot = (await tactful.decide(request({ subject: { id: 'u1' } }))).slots[0]!;
    expect(slot.isDefault).toBe(true);
    expect(slot.explanation.summary.en).not.toBe(DEFAULT_EXPLANATION.summary.en);
    expect(slot.explanation.summary.en).toContain('You are not interested in rain.');
    expect(slot.explanation.summary.vi).toBeTruthy();
    expect(slot.explanation.categories).toEqual(['profile.preferences']);
    expect(slot.explanation.purposes).toEqual([PROFILE]);
  });

  it('a veto without words of its own is explained with the topic read as words, not the quoted key', async () => {
    const silent = strategy('silent-center', {
      purposes: [PROFILE],
      reads: [{ category: 'profile.preferences', purpose: PROFILE }],
      decide: () => ({ proposals: [], vetoes: [{ topic: 'rain-gear' }] }),
    });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      sources: [
        memorySource('prefs', { 'profile.preferences': { interests: [], notInterested: [], answers: {} } }),
      ],
      strategies: [
        silent,
        proposing('content', [{ content: 'rain', topics: ['rain-gear'], reason: { en: 'It is raining.' } }]),
      ],
    });
    const slot = (await tactful.decide(request({ subject: { id: 'u1' } }))).slots[0]!;
    expect(slot.isDefault).toBe(true);
    expect(slot.explanation.summary.en).toContain('You told us you are not interested in rain gear.');
    expect(slot.explanation.summary.en).not.toContain('"');
    expect(slot.explanation.summary.vi).toContain('Bạn đã cho biết bạn không quan tâm đến rain gear.');
  });

  it('leaves the explanation of a slot no veto touched as it was', async () => {
    const tactful = withVetoes(
      ['rain'],
      [proposing('content', [{ content: 'kids', topics: ['kids'], reason: { en: 'Kids.' } }])],
    );
    const slot = (await tactful.decide(request({ subject: { id: 'u1' } }))).slots[0]!;
    expect(slot.explanation.signals).not.toContain('not-interested:rain');
    expect(slot.explanation.categories).not.toContain('profile.preferences');
  });

  it('drops a strategy whose fallbacks are malformed (P8)', async () => {
    const tactful = withVetoes(
      [],
      [proposing('bad', [{ content: 'x', reason: { en: 'x' }, fallbacks: [{ content: 1 } as never] }])],
    );
    const decision = await tactful.decide(request({ subject: { id: 'u1' } }));
    expect(decision.slots[0]?.isDefault).toBe(true);
    expect(decision.dropped.some((d) => d.plugin === 'bad' && d.code === 'INVALID_OUTPUT')).toBe(true);
  });

  it('for every set of vetoes and proposals: a vetoed topic never wins, a free choice is never lost, a veto is always explained', async () => {
    const topics = fc.uniqueArray(fc.constantFrom(...TOPICS), { maxLength: 2 });
    const choice = fc.record({ topics, variant: fc.string({ minLength: 1, maxLength: 4 }) });
    const offer = fc.record({ first: choice, fallbacks: fc.array(choice, { maxLength: 3 }) });
    const strategies = fc.array(
      fc.record({ priority: fc.integer({ min: -2, max: 2 }), offers: fc.array(offer, { maxLength: 2 }) }),
      {
        minLength: 1,
        maxLength: 3,
      },
    );
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.constantFrom(...TOPICS)), strategies, async (vetoed, plan) => {
        const toProposal = (c: { topics: string[]; variant: string }) => ({
          content: c.variant,
          variant: c.variant,
          topics: c.topics,
          reason: { en: `because ${c.variant}` },
        });
        const tactful = withVetoes(
          vetoed,
          plan.map((s, i) =>
            proposing(
              `s${i}`,
              s.offers.map((o) => ({ ...toProposal(o.first), fallbacks: o.fallbacks.map(toProposal) })),
              s.priority,
            ),
          ),
        );
        const slot = (await tactful.decide(request({ subject: { id: 'u1' } }))).slots[0]!;
        const blocked = (t: readonly string[]) => t.some((x) => (vetoed as readonly string[]).includes(x));
        const choices = plan.flatMap((s) => s.offers.flatMap((o) => [o.first, ...o.fallbacks]));
        const free = plan.some((s) =>
          s.offers.some((o) => [o.first, ...o.fallbacks].some((c) => !blocked(c.topics))),
        );
        const touched = choices.some((c) => blocked(c.topics));
        if (!slot.isDefault) {
          const won = choices.find((c) => c.variant === slot.variant && !blocked(c.topics));
          expect(won, 'the winner is a choice with no vetoed topic').toBeDefined();
        }
        expect(slot.isDefault).toBe(!free);
        if (slot.isDefault && touched) {
          expect(slot.explanation.summary.en).not.toBe(DEFAULT_EXPLANATION.summary.en);
          expect(slot.explanation.categories).toContain('profile.preferences');
        }
        if (slot.isDefault && !touched) expect(slot.explanation.categories).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
