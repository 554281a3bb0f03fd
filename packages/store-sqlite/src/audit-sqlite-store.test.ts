import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_STORE_CONFORMANCE, createAuditTrail } from '@tactful/audit';
import type { Decision } from '@tactful/core';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { schemaVersion } from './migrate.js';
import { type SqliteAuditStore, sqliteAuditStore } from './audit-sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'tactful-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const KEY = 'sqlite-audit-test-key-0123456789abcdef';
const opened: SqliteAuditStore[] = [];
afterAll(() => {
  for (const s of opened) s.close();
});

function fileStore(file = join(dir, `audit-${n++}.db`)): SqliteAuditStore {
  const store = sqliteAuditStore({ filename: file });
  opened.push(store);
  return store;
}

function decision(i: number): Decision {
  return {
    traceId: `sqlite-trace-${i}`,
    decidedAt: new Date(Date.UTC(2026, 5, 1, 0, 0, i)).toISOString(),
    slots: [
      {
        slot: 'home.hero',
        content: null,
        strategy: 'segments',
        variant: 'loyal',
        isDefault: false,
        explanation: {
          strategy: 'segments',
          summary: { en: 'Loyal' },
          signals: [],
          purposes: [],
          categories: [],
        },
      },
    ],
    purposesUsed: ['personalization.profile'],
    categoriesUsed: ['behavior.purchases'],
    dropped: [],
    consent: {
      purposes: { 'personalization.profile': { status: 'granted', provider: 'opt-in', recordId: `r-${i}` } },
    },
  };
}

describe('sqliteAuditStore conformance (file)', () => {
  for (const c of AUDIT_STORE_CONFORMANCE) it(c.name, () => c.run(() => fileStore()));
});

describe('sqliteAuditStore conformance (shared :memory: database)', () => {
  for (const c of AUDIT_STORE_CONFORMANCE)
    it(c.name, () => c.run(() => sqliteAuditStore({ db: openDatabase(':memory:') })));
});

describe('sqliteAuditStore', () => {
  it('creates its tables by a versioned migration and keeps the trail across a reopen', async () => {
    const file = join(dir, 'reopen.db');
    const a = sqliteAuditStore({ filename: file });
    expect(schemaVersion(a.db, 'audit')).toBe(1);
    const trail = createAuditTrail({ store: a, key: KEY });
    for (let i = 0; i < 5; i++) await trail.record(decision(i), { subject: 'alice' });
    const head = await trail.head();
    a.close();

    const b = fileStore(file);
    const again = createAuditTrail({ store: b, key: KEY });
    expect(await again.verify({ head: head! })).toMatchObject({ ok: true, checked: 5 });
    await again.record(decision(5));
    expect((await again.exportSubject('alice')).entries).toHaveLength(5);
    expect(await again.verify()).toMatchObject({ ok: true, checked: 6 });
  });

  it('lets verify() find tampering done with SQL on the database file', async () => {
    const store = fileStore();
    const trail = createAuditTrail({ store, key: KEY });
    for (let i = 0; i < 8; i++) await trail.record(decision(i), { subject: i % 2 ? 'alice' : 'bob' });
    const { db } = store;

    db.prepare(
      `UPDATE audit_entries SET payload = json_set(payload, '$.purposes', json('["necessary"]')) WHERE seq = 2`,
    ).run();
    db.prepare('DELETE FROM audit_entries WHERE seq = 5').run();
    db.prepare('UPDATE audit_entries SET seq = 100 WHERE seq = 6').run();
    const report = await trail.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['modified', 2],
      ['missing', 5],
      ['broken-link', 7],
      ['missing', 8],
      ['modified', 100],
      ['broken-link', 100],
    ]);
  });

  it('reports a payload overwritten with something that is not JSON as modified', async () => {
    const store = fileStore();
    const trail = createAuditTrail({ store, key: KEY });
    for (let i = 0; i < 3; i++) await trail.record(decision(i));
    store.db.prepare(`UPDATE audit_entries SET payload = '{not json' WHERE seq = 1`).run();
    const report = await trail.verify();
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([['modified', 1]]);
  });

  it('erases a subject in the database itself, and the chain still verifies', async () => {
    const store = fileStore();
    const trail = createAuditTrail({ store, key: KEY });
    for (let i = 0; i < 6; i++) await trail.record(decision(i), { subject: i < 3 ? 'alice' : 'bob' });
    const alice = await trail.pseudonym('alice');
    expect(await trail.eraseSubject('alice')).toEqual({ erased: 3 });
    const rows = store.db
      .prepare('SELECT subject, payload, redacted_at FROM audit_entries ORDER BY seq')
      .all() as Array<{
      subject: string | null;
      payload: string | null;
      redacted_at: string | null;
    }>;
    expect(
      rows.slice(0, 3).every((r) => r.subject === null && r.payload === null && r.redacted_at !== null),
    ).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(alice);
    expect(await trail.verify()).toMatchObject({ ok: true, redacted: 3 });
  });

  it('keeps one unbroken chain when two processes write to the same file', async () => {
    const file = join(dir, 'shared.db');
    const one = fileStore(file);
    const two = fileStore(file);
    const a = createAuditTrail({ store: one, key: KEY });
    const b = createAuditTrail({ store: two, key: KEY });
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).record(decision(i))));
    const report = await a.verify();
    expect(report).toMatchObject({ ok: true, checked: 40 });
  });

  it('needs exactly one of db or filename', () => {
    expect(() => sqliteAuditStore({})).toThrow(/exactly one of "db"/);
  });
});
