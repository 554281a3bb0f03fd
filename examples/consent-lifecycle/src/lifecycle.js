// The life of one person's consent and data, on SQLite, through the public API of the packages.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditTrail, memoryAuditStore } from '@tactful/audit';
import { createConsentManager, optInConsent } from '@tactful/consent';
import { defineStrategy } from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';
import { openDatabase, sqliteConsentStore, sqliteSubjectStore } from '@tactful/store-sqlite';
import { createRightsService, subjectSource } from '@tactful/subject';

const PERSON = 'customer-42';
const NOTICE = { version: '2026-03', hash: 'sha256-5d1c9a0e7b2f' };

/** A small strategy: a person who declared an interest in "kids" sees the kids' corner. */
const kidsCorner = defineStrategy({
  manifest: {
    name: 'kids-corner',
    version: '1.0.0',
    core: '^0.1.0',
    purposes: ['personalization.profile'],
    reads: [
      { category: 'profile.preferences', purpose: 'personalization.profile' },
      { category: 'behavior.purchases', purpose: 'personalization.profile' },
    ],
  },
  decide(input) {
    const prefs = input.data['profile.preferences'];
    const purchases = input.data['behavior.purchases'] ?? [];
    if (!prefs?.interests.includes('kids')) return { proposals: [] };
    return {
      proposals: [
        {
          slot: 'home.hero',
          content: { title: "New in the kids' corner", items: purchases.length },
          variant: 'kids-corner',
          origin: 'declared',
          topics: ['kids'],
          reason: {
            en: 'You told us you are interested in products for kids.',
            vi: 'Bạn đã cho chúng tôi biết bạn quan tâm đến sản phẩm cho trẻ em.',
          },
          signals: ['interest:kids'],
          categories: ['profile.preferences'],
        },
      ],
    };
  },
});

/**
 * Runs the lifecycle: grant → personalized decision → withdraw → default decision → export →
 * erase → export is empty. Returns what each step produced.
 *
 * @param {{ dir?: string, log?: (line: string) => void }} [options]
 */
export async function runLifecycle(options = {}) {
  const log = options.log ?? (() => {});
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tactful-lifecycle-'));
  const db = openDatabase(join(dir, 'tactful.db'));
  try {
    const consentStore = sqliteConsentStore({ db });
    const subjects = sqliteSubjectStore({ db });
    const consent = createConsentManager({ store: consentStore });
    const source = subjectSource({ store: subjects });
    const tactful = createOrchestrator({
      consent: [optInConsent({ store: consentStore })],
      sources: [source],
      strategies: [kidsCorner],
      // Generous deadlines: the first decisions of a cold process (and a busy CI machine) are slow.
      timeouts: { consentMs: 5000, sourceMs: 5000, strategyMs: 5000, decisionMs: 15000 },
    });
    // Every decision is logged (pseudonymously) in the audit trail; it is part of the person's data too.
    const audit = createAuditTrail({ store: memoryAuditStore(), key: 'example-audit-key-0123456789abcdef' });
    audit.attach(tactful);
    const rights = createRightsService({
      stores: [subjects],
      consent: consentStore,
      audit,
      sources: [source],
      defaultJurisdiction: 'VN',
    });
    const request = {
      subject: { id: PERSON },
      context: { locale: 'vi-VN', timeZone: 'Asia/Ho_Chi_Minh' },
      slots: [{ id: 'home.hero', default: { title: 'Welcome' } }],
    };
    const hero = (decision) => decision.slots.find((s) => s.slot === 'home.hero');

    // Zero-party and first-party data about the person.
    await subjects.declarePreferences(PERSON, {
      interests: ['kids'],
      notInterested: ['golf'],
      answers: { 'quiz.age-range': '3-5' },
    });
    await subjects.recordEvents(PERSON, [
      {
        id: 'order-1001',
        category: 'behavior.purchases',
        data: {
          at: new Date().toISOString(),
          orderId: '1001',
          amount: 350000,
          currency: 'VND',
          topics: ['kids'],
        },
      },
      {
        category: 'behavior.pageviews',
        data: { at: new Date().toISOString(), url: '/kids/toys', durationMs: 42000 },
      },
    ]);

    const before = hero(await tactful.decide(request));
    log(`before consent:   ${before.strategy} (default: ${before.isDefault})`);

    await consent.grant({
      subject: PERSON,
      purpose: 'personalization.profile',
      method: 'banner',
      notice: NOTICE,
      locale: 'vi-VN',
      jurisdiction: 'VN',
    });
    const granted = hero(await tactful.decide(request));
    log(
      `after grant:      ${granted.strategy} → ${JSON.stringify(granted.content)} — ${granted.explanation.summary.en}`,
    );

    await consent.withdraw({ subject: PERSON, purpose: 'personalization.profile' });
    const withdrawn = hero(await tactful.decide(request));
    log(`after withdrawal: ${withdrawn.strategy} (default: ${withdrawn.isDefault})`);

    await audit.flush();
    const exported = await rights.export(PERSON);
    log(
      `export:           ${exported.sections.map((s) => s.name).join(', ')}; due ${exported.request.dueAt} (${exported.request.jurisdiction})`,
    );

    const receipt = await rights.erase(PERSON);
    log(
      `erase:            ${receipt.erased} items, ${receipt.holders.map((h) => `${h.name}=${h.erased}`).join(' ')}; receipt ${receipt.id}`,
    );

    const replay = await subjects.recordEvents(PERSON, [
      {
        id: 'order-1001',
        category: 'behavior.purchases',
        data: { at: new Date().toISOString(), orderId: '1001' },
      },
    ]);
    log(`replayed event:   dropped ${replay.droppedErased}`);

    const after = await rights.export(PERSON);
    log(`export after:     empty = ${after.empty}`);

    return { before, granted, withdrawn, exported, receipt, replay, after };
  } finally {
    db.close();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  }
}
