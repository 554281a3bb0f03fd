import { createAuditTrail, memoryAuditStore } from '@tactful/audit';
import type { Decision } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { createRightsService } from './rights-service.js';

const KEY = 'test-audit-key-0123456789abcdef-0123456789';

function decision(i: number): Decision {
  return {
    traceId: `trace-${String(i).padStart(6, '0')}`,
    decidedAt: new Date(Date.UTC(2026, 4, 1, 12, 0, i)).toISOString(),
    slots: [],
    purposesUsed: ['personalization.profile'],
    categoriesUsed: ['behavior.purchases'],
    dropped: [],
    consent: { purposes: { 'personalization.profile': { status: 'granted', provider: 'opt-in-consent' } } },
  };
}

describe("the decision audit trail, through the person's rights", () => {
  it('puts the decision log in the export and erases it on erasure, keeping the chain verifiable', async () => {
    const audit = createAuditTrail({ store: memoryAuditStore(), key: KEY });
    await audit.record(decision(1), { subject: 'u-42' });
    await audit.record(decision(2), { subject: 'u-7' });
    await audit.record(decision(3), { subject: 'u-42' });
    const rights = createRightsService({ audit });
    expect(rights.holders).toContain('audit');

    const exported = JSON.stringify(await rights.export('u-42'));
    expect(exported).toContain('trace-000001');
    expect(exported).toContain('trace-000003');
    expect(exported).not.toContain('trace-000002');

    const receipt = JSON.stringify(await rights.erase('u-42'));
    expect(receipt).toContain('audit');
    expect((await audit.exportSubject('u-42')).entries).toEqual([]);
    expect((await audit.exportSubject('u-7')).entries).toHaveLength(1);
    // Three decisions, the export and the erasure (itself naming no one); the person's decisions and
    // export request are redacted.
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 5, redacted: 3 });
  });
});

describe('every rights request is an audit entry', () => {
  it('records the export, each rectification (with its categories) and the erasure, in a chain that verifies', async () => {
    const { memorySubjectStore } = await import('./memory-subject-store.js');
    const audit = createAuditTrail({ store: memoryAuditStore(), key: KEY });
    const rights = createRightsService({ stores: [memorySubjectStore()], audit });
    await rights.export('u-42');
    const fixed = await rights.rectify('u-42', [
      { category: 'profile.preferences', value: { interests: ['tea'] } },
    ]);
    const before = (await audit.exportSubject('u-42')).entries.map((e) => e.rights);
    expect(before).toEqual([
      { type: 'access', requestId: expect.any(String) },
      { type: 'rectification', requestId: fixed.id, categories: ['profile.preferences'] },
    ]);
    const receipt = await rights.erase('u-42');
    // The erasure is recorded without naming the person; their earlier entries are redacted.
    expect((await audit.exportSubject('u-42')).entries).toEqual([]);
    const report = await audit.verify();
    expect(report).toMatchObject({ ok: true, checked: 3 });
    expect(receipt.id).toMatch(/\S/);
  });
});
