import { createAuditTrail } from '@tactful/audit';
import { type Decision, verifyConsentChain } from '@tactful/core';
import {
  openDatabase,
  sqliteAuditStore,
  sqliteConsentStore,
  sqliteSubjectStore,
} from '@tactful/store-sqlite';
import { consentGrant } from '@tactful/testing';
import { describe, expect, it } from 'vitest';
import { importFromSqlite } from './from-sqlite.js';
import { openPostgresStores } from './stores.js';
import { useTestDatabase } from './test-db.js';

const testDb = useTestDatabase('import');
const KEY = 'from-sqlite-audit-key-0123456789abcdef';
const decision = (i: number): Decision => ({
  traceId: `t-${i}`,
  decidedAt: new Date(Date.UTC(2026, 5, 1, 0, 0, i)).toISOString(),
  slots: [],
  purposesUsed: [],
  categoriesUsed: [],
  dropped: [],
  consent: { purposes: {} },
});

describe('importFromSqlite', () => {
  it('moves a SQLite installation to PostgreSQL: chains verify, exports match, erasures still hold', async () => {
    const db = openDatabase(':memory:');
    const consent = sqliteConsentStore({ db });
    const subjects = sqliteSubjectStore({ db });
    const audit = createAuditTrail({ store: sqliteAuditStore({ db }), key: KEY });
    await consent.append(consentGrant({ subject: 'alice' }));
    await consent.append(consentGrant({ subject: 'alice', purpose: 'measurement' }));
    await consent.append(consentGrant({ subject: 'bob' }));
    await consent.eraseSubject('bob');
    const now = Date.now();
    await subjects.declarePreferences('alice', { interests: ['kids'], notInterested: ['golf'] });
    await subjects.setAttributes('alice', { tier: 'gold' });
    await subjects.recordEvents('alice', [
      { id: 'e2', category: 'behavior.pageviews', data: { at: new Date(now).toISOString(), url: '/b' } },
      { id: 'e1', category: 'behavior.pageviews', data: { at: new Date(now).toISOString(), url: '/a' } },
    ]);
    await subjects.setSegments('alice', ['loyal']);
    await subjects.setAttributes('carol', { x: 1 });
    await subjects.erase('carol');
    for (let i = 0; i < 5; i++) await audit.record(decision(i), i % 2 ? { subject: 'alice' } : {});
    await audit.flush();
    const before = {
      alice: await consent.history('alice'),
      export: await subjects.exportSubject('alice'),
      receipt: await consent.erasure('bob'),
    };

    const schema = testDb.schema();
    const counts = await importFromSqlite(db, testDb.pool, schema);
    expect(counts).toMatchObject({
      consent_records: 2,
      consent_erasures: 1,
      subject_events: 2,
      audit_entries: 5,
    });

    const pg = await openPostgresStores({ pool: testDb.pool, schema });
    const history = await pg.consent.history('alice');
    expect(history).toEqual(before.alice);
    expect(await verifyConsentChain(history)).toMatchObject({ ok: true });
    expect(await pg.consent.erasure('bob')).toEqual(before.receipt);
    expect(await pg.subject.exportSubject('alice')).toEqual(before.export);
    // The tombstone key came along: carol's erasure still drops late writes.
    expect(await pg.subject.isErased('carol')).toBe(true);
    expect(await pg.subject.setSegments('carol', ['x'])).toBe(false);
    const trail = createAuditTrail({ store: pg.audit, key: KEY });
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 5 });
    // New writes continue the chains.
    expect(
      (await pg.consent.append(consentGrant({ subject: 'alice', purpose: 'marketing.email' }))).seq,
    ).toBe(3);
    await trail.record(decision(9));
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 6 });

    // A second run refuses, copying nothing.
    await expect(importFromSqlite(db, testDb.pool, schema)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await pg.consent.history('alice')).toHaveLength(3);
    db.close();
  });
});
