import { createAuditTrail, memoryAuditStore } from '@tactful/audit';
import { memoryConsentStore } from '@tactful/consent';
import {
  type SubjectDataHolder,
  defineConsentProvider,
  defineDataSource,
  defineStrategy,
  isTactfulError,
} from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';
import { consentGrant } from '@tactful/testing';
import { describe, expect, it } from 'vitest';
import { SubjectExportDocumentSchema } from './export-document.js';
import { memorySubjectStore } from './memory-subject-store.js';
import { ErasureReceiptSchema } from './receipts.js';
import { createRightsService } from './rights-service.js';
import { subjectSource } from './subject-source.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const now = () => NOW;

/** An audit log that joins the rights through the SubjectDataHolder hook. */
function auditLog(): SubjectDataHolder & { entries: Array<{ subject: string; what: string }> } {
  const entries: Array<{ subject: string; what: string }> = [];
  return {
    name: 'audit',
    kind: 'audit',
    entries,
    async exportSubject(id) {
      return entries.filter((e) => e.subject === id).map((e) => ({ what: e.what }));
    },
    async erase(id) {
      const before = entries.length;
      for (let i = entries.length - 1; i >= 0; i--) if (entries[i]?.subject === id) entries.splice(i, 1);
      return { erased: before - entries.length };
    },
  };
}

/** A vendor source holding a loyalty tier, with every right. */
function loyaltySource() {
  const tiers = new Map<string, string>();
  return Object.assign(
    defineDataSource({
      manifest: {
        name: 'loyalty',
        version: '1.0.0',
        core: '^0.1.0',
        taxonomy: { categories: [{ id: 'loyalty.tier', label: { en: 'Loyalty tier' }, origin: 'observed' }] },
        provides: [{ category: 'loyalty.tier' }],
        rights: { export: true, erase: true, rectify: true },
      },
      load: async ({ subject }) =>
        subject && tiers.has(subject.id) ? { 'loyalty.tier': tiers.get(subject.id) } : {},
      export: async (subject) => (tiers.has(subject.id) ? { 'loyalty.tier': tiers.get(subject.id) } : {}),
      erase: async (subject) => ({ erased: tiers.delete(subject.id) ? 1 : 0 }),
      rectify: async (subject, _category, value) => {
        tiers.set(subject.id, String(value));
      },
    }),
    { tiers },
  );
}

async function world() {
  const store = memorySubjectStore({ now });
  const consent = memoryConsentStore({ clock: now });
  const audit = auditLog();
  const loyalty = loyaltySource();
  const rights = createRightsService({
    stores: [store, audit],
    consent,
    sources: [subjectSource({ store }), loyalty],
    now,
    hashKey: 'receipt-key-for-tests-0123456789',
  });
  await store.declarePreferences('u-1', { interests: ['kids'], notInterested: ['golf'] });
  await store.recordEvents('u-1', [
    { category: 'behavior.purchases', data: { at: '2026-03-01T10:00:00Z', amount: 5 } },
  ]);
  await store.setSegments('u-1', ['parents']);
  await consent.append(consentGrant({ subject: 'u-1' }));
  audit.entries.push({ subject: 'u-1', what: 'decision d-1' }, { subject: 'u-2', what: 'decision d-2' });
  loyalty.tiers.set('u-1', 'gold');
  await store.declarePreferences('u-2', { interests: ['tea'] });
  return { store, consent, audit, loyalty, rights };
}

describe('createRightsService', () => {
  it('exports everything every registered store and source holds, in the published shape', async () => {
    const { rights } = await world();
    expect(rights.holders).toEqual(['memory-subject-store', 'audit', 'consent', 'loyalty']);
    const doc = await rights.export('u-1', { jurisdiction: 'VN', receivedAt: '2026-03-02T08:00:00Z' });
    expect(SubjectExportDocumentSchema.parse(doc)).toEqual(doc);
    expect(doc.empty).toBe(false);
    expect(doc.request).toMatchObject({
      type: 'access',
      jurisdiction: 'VN',
      dueAt: '2026-03-12T23:59:59.999Z',
    });
    const byName = Object.fromEntries(doc.sections.map((s) => [s.name, s]));
    expect(byName['memory-subject-store']).toMatchObject({
      kind: 'subject',
      data: { preferences: { notInterested: ['golf'] }, segments: { names: ['parents'] } },
    });
    expect(byName.consent).toMatchObject({
      kind: 'consent',
      records: [{ subject: 'u-1', status: 'granted' }],
    });
    expect(byName.audit).toEqual({ kind: 'audit', name: 'audit', data: [{ what: 'decision d-1' }] });
    expect(byName.loyalty).toEqual({
      kind: 'source',
      name: 'loyalty',
      categories: { 'loyalty.tier': 'gold' },
    });
    expect(JSON.stringify(doc)).not.toContain('tea');
  });

  it('rectifies everywhere a category is held, and the next read sees it', async () => {
    const { rights, store, loyalty } = await world();
    const receipt = await rights.rectify('u-1', [
      { category: 'profile.preferences', value: { interests: ['golf'] } },
      { category: 'loyalty.tier', value: 'silver' },
    ]);
    expect(receipt.changes).toEqual([
      { category: 'profile.preferences', holders: ['memory-subject-store'] },
      { category: 'loyalty.tier', holders: ['loyalty'] },
    ]);
    expect(await store.getPreferences('u-1')).toMatchObject({ interests: ['golf'], notInterested: [] });
    expect(loyalty.tiers.get('u-1')).toBe('silver');
  });

  it('validates every correction before applying any', async () => {
    const { rights, store } = await world();
    const before = await store.exportSubject('u-1');
    const cases: Array<[Array<{ category: string; value: unknown }>, string, string | number]> = [
      [
        [
          { category: 'profile.preferences', value: { interests: ['tea'] } },
          { category: 'health', value: 'x' },
        ],
        'UNKNOWN_CATEGORY',
        'category',
      ],
      [
        [
          { category: 'profile.preferences', value: { interests: ['tea'] } },
          { category: 'profile.attributes', value: JSON.parse('{"__proto__":{"x":1}}') },
        ],
        'INVALID_INPUT',
        '__proto__',
      ],
      [[{ category: 'behavior.purchases', value: [{ at: 'not a date' }] }], 'INVALID_INPUT', 'at'],
    ];
    for (const [changes, code, part] of cases) {
      const error = await rights.rectify('u-1', changes).catch((e: unknown) => e);
      expect(isTactfulError(error)).toBe(true);
      expect(error).toMatchObject({ code });
      expect((error as { path: unknown[] }).path).toContain(part);
    }
    expect(await store.exportSubject('u-1')).toEqual(before);
  });

  it('erases from every store, consent log and source, returns a receipt, and is idempotent', async () => {
    const { rights, store, consent, audit, loyalty } = await world();
    const receipt = await rights.erase('u-1', { jurisdiction: 'EU', receivedAt: '2026-01-31T12:00:00Z' });
    expect(ErasureReceiptSchema.parse(receipt)).toEqual(receipt);
    expect(receipt.holders).toEqual([
      { name: 'memory-subject-store', kind: 'subject', erased: 3 },
      { name: 'audit', kind: 'audit', erased: 1 },
      { name: 'consent', kind: 'consent', erased: 1 },
      { name: 'loyalty', kind: 'source', erased: 1 },
    ]);
    expect(receipt).toMatchObject({
      erased: 6,
      alreadyErased: false,
      request: {
        type: 'erasure',
        dueAt: '2026-02-28T23:59:59.999Z',
        extendedDueAt: '2026-04-28T23:59:59.999Z',
      },
    });
    expect(receipt.subjectHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(receipt)).not.toContain('u-1');
    expect(await consent.history('u-1')).toEqual([]);
    expect(audit.entries).toEqual([{ subject: 'u-2', what: 'decision d-2' }]);
    expect(loyalty.tiers.has('u-1')).toBe(false);
    expect((await store.getPreferences('u-2'))?.interests).toEqual(['tea']);
    const again = await rights.erase('u-1');
    expect(again).toMatchObject({ erased: 0, alreadyErased: true, subjectHash: receipt.subjectHash });
    const doc = await rights.export('u-1');
    expect(doc.empty).toBe(true);
    expect(
      await store.recordEvents('u-1', [
        { category: 'behavior.pageviews', data: { at: '2026-03-02T08:00:00Z' } },
      ]),
    ).toMatchObject({ droppedErased: 1 });
  });

  it('refuses at registration a store or source that cannot erase, unless retained with a reason', () => {
    const keeper: SubjectDataHolder = { name: 'invoices', exportSubject: async () => [] };
    const noErase = defineDataSource({
      manifest: {
        name: 'crm',
        version: '1.0.0',
        core: '^0.1.0',
        provides: [{ category: 'profile.contact' }],
        rights: { export: true },
      },
      load: async () => ({}),
      export: async () => ({}),
    });
    expect(() => createRightsService({ stores: [keeper] })).toThrow(
      expect.objectContaining({ code: 'ERASURE_UNSUPPORTED', path: ['stores', 0] }),
    );
    expect(() => createRightsService({ sources: [noErase] })).toThrow(
      expect.objectContaining({ code: 'ERASURE_UNSUPPORTED', plugin: 'crm' }),
    );
    const rights = createRightsService({
      stores: [keeper],
      sources: [noErase],
      retain: [
        { name: 'invoices', reason: 'accounting law: invoices are kept for 10 years' },
        { name: 'crm', reason: 'read-only mirror of the CRM; erase there' },
      ],
    });
    expect(rights.holders).toEqual(['invoices', 'crm']);
    expect(() =>
      createRightsService({
        stores: [memorySubjectStore()],
        retain: [{ name: 'memory-subject-store', reason: 'why not' }],
      }),
    ).toThrow(/can erase/);
    expect(() => createRightsService({ stores: [memorySubjectStore(), memorySubjectStore()] })).toThrow(
      /two holders/,
    );
  });

  it('lists retained holders on the receipt', async () => {
    const keeper: SubjectDataHolder = { name: 'invoices', exportSubject: async () => [] };
    const rights = createRightsService({
      stores: [keeper],
      retain: [{ name: 'invoices', reason: 'accounting law: kept 10 years' }],
    });
    expect((await rights.erase('u-1')).retained).toEqual([
      { name: 'invoices', reason: 'accounting law: kept 10 years' },
    ]);
  });

  it('computes due dates per jurisdiction, the strictest when none is named', async () => {
    const rights = createRightsService({ now });
    expect(rights.dueDates('access', { jurisdiction: 'US-CA' }).dueAt).toBe('2026-04-16T23:59:59.999Z');
    expect(rights.dueDates('access').jurisdiction).toBe('VN');
    expect(() => rights.dueDates('access', { jurisdiction: 'XX' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', path: ['jurisdiction'] }),
    );
    expect(() => rights.dueDates('access', { receivedAt: '2026-02-30T00:00:00Z' })).toThrow(
      expect.objectContaining({ path: ['receivedAt'] }),
    );
    const custom = createRightsService({
      now,
      defaultJurisdiction: 'SG',
      jurisdictions: {
        SG: {
          law: 'PDPA',
          respond: { access: { days: 30 }, rectification: { days: 30 }, erasure: { days: 30 } },
          sources: ['PDPA s.21'],
        },
      },
    });
    expect(custom.dueDates('erasure')).toMatchObject({
      jurisdiction: 'SG',
      dueAt: '2026-04-01T23:59:59.999Z',
    });
  });

  it('refuses a malformed subject id before touching any store', async () => {
    const { rights, store } = await world();
    const before = await store.exportSubject('u-1');
    for (const call of [
      () => rights.export('bad id'),
      () => rights.erase(''),
      () => rights.rectify('u/1', [{ category: 'profile.attributes', value: {} }]),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'INVALID_INPUT', path: ['subjectId'] });
    }
    expect(await store.exportSubject('u-1')).toEqual(before);
  });

  it('reports an incomplete erasure loudly, after erasing everything else', async () => {
    const store = memorySubjectStore({ now });
    const broken: SubjectDataHolder = {
      name: 'broken',
      exportSubject: async () => null,
      erase: async () => {
        throw new Error('disk full');
      },
    };
    const rights = createRightsService({ stores: [broken, store], now });
    await store.declarePreferences('u-1', { interests: ['kids'] });
    await expect(rights.erase('u-1')).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringMatching(/broken.*disk full.*idempotent/),
    });
    expect(await store.getPreferences('u-1')).toBeUndefined();
  });
  it('joins an audit trail: its entries about the person are exported, then erased', async () => {
    const trail = createAuditTrail({
      store: memoryAuditStore(),
      key: 'audit-key-for-tests-0123456789abcdef',
    });
    const decision = {
      traceId: 'trace-0001',
      decidedAt: new Date(NOW).toISOString(),
      slots: [],
      purposesUsed: ['personalization.profile'],
      categoriesUsed: ['profile.preferences'],
      dropped: [],
      consent: { purposes: {} },
    };
    await trail.record(decision, { subject: 'u-1' });
    await trail.record({ ...decision, traceId: 'trace-0002' }, { subject: 'u-2' });
    const rights = createRightsService({ audit: trail, now });
    const doc = await rights.export('u-1');
    expect(doc.sections).toMatchObject([
      { kind: 'audit', name: 'audit', data: { entries: [{ traceId: 'trace-0001' }] } },
    ]);
    expect(doc.empty).toBe(false);
    // The decision and the export request itself (every rights request is an audit entry).
    expect((await rights.erase('u-1')).holders).toEqual([{ name: 'audit', kind: 'audit', erased: 2 }]);
    expect((await rights.export('u-1')).empty).toBe(true);
    // The export just made is itself an audit entry: the next export lists it, and still says that
    // nothing else is held.
    const again = await rights.export('u-1');
    expect(again.sections).toMatchObject([
      { kind: 'audit', name: 'audit', data: { entries: [{ rights: { type: 'access' } }] } },
    ]);
    expect(again.empty).toBe(true);
    expect((await trail.exportSubject('u-2')).entries).toHaveLength(1);
    expect(await trail.verify()).toMatchObject({ ok: true });
  });
  it('a rectification is what the very next decision sees', async () => {
    const store = memorySubjectStore({ now });
    const source = subjectSource({ store });
    const echo = defineStrategy({
      manifest: {
        name: 'echo-interests',
        version: '1.0.0',
        core: '^0.1.0',
        purposes: ['personalization.profile'],
        reads: [{ category: 'profile.preferences', purpose: 'personalization.profile' }],
      },
      decide: (input) => {
        const prefs = input.data['profile.preferences'] as { interests: string[] } | undefined;
        return prefs
          ? { proposals: [{ slot: 'hero', content: prefs.interests, reason: { en: 'You told us.' } }] }
          : { proposals: [] };
      },
    });
    const granted = defineConsentProvider({
      manifest: { name: 'granted', version: '1.0.0', core: '^0.1.0' },
      resolve: () => ({
        purposes: { 'personalization.profile': { status: 'granted', provider: 'granted' } },
      }),
    });
    const tactful = createOrchestrator({ consent: [granted], sources: [source], strategies: [echo] });
    const rights = createRightsService({ stores: [store], sources: [source], now });
    const request = { subject: { id: 'u-1' }, slots: [{ id: 'hero' }] };
    await store.declarePreferences('u-1', { interests: ['golf'] });
    expect((await tactful.decide(request)).slots[0]?.content).toEqual(['golf']);
    await rights.rectify('u-1', [
      { category: 'profile.preferences', value: { interests: ['tea', 'books'] } },
    ]);
    expect((await tactful.decide(request)).slots[0]?.content).toEqual(['tea', 'books']);
  });
});
