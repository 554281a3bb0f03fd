import { createConsentManager, memoryConsentStore, optInConsent } from '@tactful/consent';
import { defineDataSource, defineStrategy } from '@tactful/core';
import { generateNotice, noticeReference, noticeVersions } from '@tactful/notice';
import { createOrchestrator } from '@tactful/orchestrator';
import { describe, expect, it } from 'vitest';
import { createAuditTrail } from './audit-trail.js';
import { memoryAuditStore } from './memory-store.js';
import { TEST_KEY } from './test-helpers.js';
import type { AuditPayload } from './types.js';

const PROFILE = 'personalization.profile';

function setUp() {
  const strategies = [
    defineStrategy({
      manifest: {
        name: 'recommender',
        version: '1.0.0',
        core: '>=0.1.0',
        purposes: [PROFILE],
        reads: [{ category: 'profile.preferences', purpose: PROFILE }],
      },
      decide: (input) => ({
        proposals: input.slots.map((s) => ({
          slot: s.id,
          content: 'picked',
          variant: 'tea',
          reason: { en: 'You like tea' },
        })),
      }),
    }),
    defineStrategy({
      manifest: {
        name: 'broken',
        version: '1.0.0',
        core: '>=0.1.0',
        purposes: ['personalization.contextual'],
      },
      decide: () => {
        throw new Error('boom');
      },
    }),
  ];
  const sources = [
    defineDataSource({
      manifest: {
        name: 'profile-store',
        version: '1.0.0',
        core: '>=0.1.0',
        provides: [{ category: 'profile.preferences', retentionDays: 365 }],
        rights: { export: true, erase: true },
      },
      load: () => ({ 'profile.preferences': { interests: ['tea'], notInterested: [], answers: {} } }),
      export: async () => ({}),
      erase: async () => ({ erased: 0 }),
    }),
  ];
  const consentStore = memoryConsentStore();
  const notice = generateNotice({
    strategies,
    sources,
    consent: [optInConsent({ store: consentStore })],
    controller: { name: 'Shop', contact: 'privacy@shop.example' },
  });
  const engine = createOrchestrator({
    strategies,
    sources,
    consent: [optInConsent({ store: consentStore, notice: noticeVersions(notice) })],
  });
  const manager = createConsentManager({ store: consentStore, notice: noticeVersions(notice) });
  return { engine, manager, notice };
}

describe('attached to the orchestrator', () => {
  it('records each decision with its pseudonymous subject, the consent record and notice version that authorised it', async () => {
    const { engine, manager, notice } = setUp();
    const [record] = await manager.grant({
      subject: 'alice',
      purpose: PROFILE,
      method: 'preference-center',
      notice: noticeReference(notice, PROFILE),
    });
    await manager.grant({
      subject: 'alice',
      purpose: 'personalization.contextual',
      method: 'preference-center',
      notice: noticeReference(notice, 'personalization.contextual'),
    });
    const store = memoryAuditStore();
    const audit = createAuditTrail({ store, key: TEST_KEY });
    const detach = audit.attach(engine);

    const decision = await engine.decide({
      subject: { id: 'alice' },
      slots: [{ id: 'home.hero', default: 'x' }],
    });
    await engine.decide({ slots: [{ id: 'home.hero', default: 'x' }] });
    await audit.flush();

    const entries = await store.list();
    expect(entries).toHaveLength(2);
    const [mine, anonymous] = entries as [(typeof entries)[0], (typeof entries)[0]];
    expect(mine.subject).toBe(await audit.pseudonym('alice'));
    expect(anonymous.subject).toBeNull();
    expect(mine.payload).toMatchObject({
      traceId: decision.traceId,
      purposes: decision.purposesUsed,
      categories: ['profile.preferences'],
      slots: [{ slot: 'home.hero', strategy: 'recommender', variant: 'tea', isDefault: false }],
    });
    expect((mine.payload as AuditPayload | null)?.consent).toContainEqual(
      expect.objectContaining({ purpose: PROFILE, recordId: record!.id, noticeVersion: notice.version }),
    );
    expect((mine.payload as AuditPayload | null)?.dropped).toEqual([
      { plugin: 'broken', kind: 'strategy', outcome: 'failed', code: decision.dropped[0]!.code },
    ]);

    const exported = await audit.exportSubject('alice');
    expect(exported.entries.map((e) => e.traceId)).toEqual([decision.traceId]);
    expect(await audit.eraseSubject('alice')).toEqual({ erased: 1 });
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 2, redacted: 1 });

    detach();
    await engine.decide({ subject: { id: 'alice' }, slots: [{ id: 'home.hero' }] });
    await audit.flush();
    expect(await store.list()).toHaveLength(2);
  });
});
