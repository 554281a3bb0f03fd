import { createRightsService } from '@tactful/subject';
import { describe, expect, it } from 'vitest';
import { createAuditTrail } from './audit-trail.js';
import { memoryAuditStore } from './memory-store.js';
import { sampleDecision, TEST_KEY } from './test-helpers.js';

describe("the person's rights, through the rights service", () => {
  it('puts the decision log in the export and erases it on erasure, keeping the chain verifiable', async () => {
    const audit = createAuditTrail({ store: memoryAuditStore(), key: TEST_KEY });
    await audit.record(sampleDecision(1), { subject: 'u-42' });
    await audit.record(sampleDecision(2), { subject: 'u-7' });
    await audit.record(sampleDecision(3), { subject: 'u-42' });
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
    expect(await audit.verify()).toMatchObject({ ok: true, checked: 3, redacted: 2 });
  });
});
