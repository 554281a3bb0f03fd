import { defineConsentProvider, defineStrategy } from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';
import { describeStrategyConformance } from '@tactful/testing';
import { describe, expect, it } from 'vitest';
import { memorySubjectStore } from './memory-subject-store.js';
import { notInterested } from './not-interested.js';
import { subjectSource } from './subject-source.js';

describeStrategyConformance('notInterested', { create: () => notInterested() });

/** An inference strategy: proposes the topic a person viewed most. */
const mostViewed = defineStrategy({
  manifest: {
    name: 'most-viewed',
    version: '1.0.0',
    core: '^0.1.0',
    purposes: ['personalization.profile'],
    reads: [{ category: 'behavior.pageviews', purpose: 'personalization.profile' }],
  },
  decide(input) {
    const views = (input.data['behavior.pageviews'] ?? []) as Array<{ topics?: string[] }>;
    const topic = views.flatMap((v) => v.topics ?? [])[0];
    if (!topic) return { proposals: [] };
    return {
      proposals: [
        {
          slot: 'home.hero',
          content: { topic },
          topics: [topic],
          origin: 'observed',
          score: 0.9,
          reason: { en: `You looked at ${topic}.` },
        },
      ],
    };
  },
});

/** A consent provider that grants profile personalization (the consent itself is not under test here). */
const profileGranted = defineConsentProvider({
  manifest: { name: 'grant-profile', version: '1.0.0', core: '^0.1.0' },
  resolve: () => ({
    purposes: { 'personalization.profile': { status: 'granted', provider: 'grant-profile' } },
  }),
});

describe('notInterested', () => {
  it('makes the orchestrator drop inferred proposals about a topic the person declared unwanted', async () => {
    const store = memorySubjectStore();
    const at = new Date().toISOString();
    await store.recordEvents('u-1', [
      { category: 'behavior.pageviews', data: { at, url: '/golf', topics: ['golf'] } },
    ]);
    const request = { subject: { id: 'u-1' }, slots: [{ id: 'home.hero', default: { title: 'Welcome' } }] };
    const tactful = createOrchestrator({
      consent: [profileGranted],
      sources: [subjectSource({ store })],
      strategies: [mostViewed, notInterested()],
    });

    expect((await tactful.decide(request)).slots[0]).toMatchObject({
      strategy: 'most-viewed',
      content: { topic: 'golf' },
    });
    await store.declarePreferences('u-1', { notInterested: ['golf'] });
    expect((await tactful.decide(request)).slots[0]).toMatchObject({
      isDefault: true,
      content: { title: 'Welcome' },
    });
    await store.declarePreferences('u-1', { interests: ['golf'] });
    expect((await tactful.decide(request)).slots[0]).toMatchObject({ strategy: 'most-viewed' });
  });

  it("explains a veto with the topic's label, not its key", async () => {
    const strategy = notInterested({ topics: { 'rain-gear': { en: 'rain gear', vi: 'đồ đi mưa' } } });
    const out = await strategy.decide(
      {
        data: {
          'profile.preferences': { interests: [], notInterested: ['rain-gear', 'golf-clubs'], answers: {} },
        },
      } as never,
      {} as never,
    );
    expect(out.vetoes?.map((v) => v.reason)).toEqual([
      {
        en: 'You told us you are not interested in rain gear.',
        vi: 'Bạn đã cho biết bạn không quan tâm đến đồ đi mưa.',
      },
      {
        en: 'You told us you are not interested in golf clubs.',
        vi: 'Bạn đã cho biết bạn không quan tâm đến golf clubs.',
      },
    ]);
  });

  it('rejects bad options naming the field', () => {
    expect(() => notInterested({ purpose: 'Not A Purpose' })).toThrow(/purpose/);
  });
});
