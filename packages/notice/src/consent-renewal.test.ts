import { createConsentManager, memoryConsentStore, optInConsent } from '@tactful/consent';
import {
  type ConsentProvider,
  type DataSource,
  type Strategy,
  defineDataSource,
  defineStrategy,
} from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';
import { describe, expect, it } from 'vitest';
import { generateNotice } from './generate-notice.js';
import { consentsNeedingRenewal, noticeReference, noticeVersions } from './versions.js';
import { CONTROLLER } from './test-fixtures.js';

const PROFILE = 'personalization.profile';

function configuration(readPurchases: boolean): { strategies: Strategy[]; sources: DataSource[] } {
  const reads = [
    { category: 'profile.preferences', purpose: PROFILE, why: { en: 'To show what you like.' } },
  ];
  if (readPurchases)
    reads.push({ category: 'behavior.purchases', purpose: PROFILE, why: { en: 'To reward loyalty.' } });
  const recommender = defineStrategy({
    manifest: { name: 'recommender', version: '1.0.0', core: '>=0.1.0', purposes: [PROFILE], reads },
    decide: (input) => ({
      proposals: input.slots.map((s) => ({
        slot: s.id,
        content: 'picked for you',
        reason: { en: 'From your profile' },
      })),
    }),
  });
  const profile = defineDataSource({
    manifest: {
      name: 'profile-store',
      version: '1.0.0',
      core: '>=0.1.0',
      provides: [
        { category: 'profile.preferences', retentionDays: 730 },
        { category: 'behavior.purchases', retentionDays: 365 },
      ],
      rights: { export: true, erase: true },
    },
    load: () => ({
      'profile.preferences': { interests: ['tea'], notInterested: [], answers: {} },
      'behavior.purchases': [],
    }),
    export: async () => ({}),
    erase: async () => ({ erased: 0 }),
  });
  return { strategies: [recommender], sources: [profile] };
}

const request = { subject: { id: 'u-1' }, slots: [{ id: 'home.hero', default: 'for everyone' }] };

describe('notice changes and consent renewal, end to end', () => {
  it('treats consent given under the old notice as not granted once a manifest adds a category, until renewed', async () => {
    const store = memoryConsentStore();
    const setUp = (readPurchases: boolean) => {
      const config = configuration(readPurchases);
      const consent: ConsentProvider[] = [optInConsent({ store })];
      const notice = generateNotice({ ...config, consent, controller: CONTROLLER });
      const engine = createOrchestrator({
        ...config,
        consent: [optInConsent({ store, notice: noticeVersions(notice) })],
      });
      // The notice is the one of the manifests the orchestrator enforces.
      expect(
        generateNotice({ plugins: engine.plugins, taxonomy: engine.taxonomy, controller: CONTROLLER }),
      ).toEqual(notice);
      return { notice, engine, manager: createConsentManager({ store, notice: noticeVersions(notice) }) };
    };

    const v1 = setUp(false);
    await v1.manager.grant({
      subject: 'u-1',
      purpose: PROFILE,
      method: 'banner',
      notice: noticeReference(v1.notice, PROFILE),
    });
    const first = await v1.engine.decide(request);
    expect(first.slots[0]).toMatchObject({ isDefault: false, content: 'picked for you' });
    expect(first.consent.purposes[PROFILE]?.status).toBe('granted');

    const v2 = setUp(true);
    expect(consentsNeedingRenewal(v1.notice, v2.notice)).toEqual([PROFILE]);
    const second = await v2.engine.decide(request);
    expect(second.slots[0]).toMatchObject({ isDefault: true, content: 'for everyone' });
    expect(second.consent.purposes[PROFILE]).toMatchObject({ status: 'denied', reason: 'notice-changed' });

    await v2.manager.grant({
      subject: 'u-1',
      purpose: PROFILE,
      method: 'banner',
      notice: noticeReference(v2.notice, PROFILE),
    });
    const third = await v2.engine.decide(request);
    expect(third.slots[0]).toMatchObject({ isDefault: false, content: 'picked for you' });
  });
});
