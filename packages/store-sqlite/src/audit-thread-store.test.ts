import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_STORE_CONFORMANCE, createAuditTrail } from '@tactful/audit';
import { type Decision, isTactfulError } from '@tactful/core';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteAuditStore } from './audit-sqlite-store.js';
import { type SqliteAuditThreadStore, sqliteAuditThreadStore } from './audit-thread-store.js';
import { openDatabase } from './database.js';

const dir = mkdtempSync(join(tmpdir(), 'tactful-audit-thread-'));
const opened: SqliteAuditThreadStore[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});
let n = 0;
const KEY = 'sqlite-audit-thread-test-key-0123456789abcdef';

function threadStore(file = join(dir, `audit-${n++}.db`)): SqliteAuditThreadStore {
  const store = sqliteAuditThreadStore({ filename: file });
  opened.push(store);
  return store;
}

function decision(i: number): Decision {
  return {
    traceId: `thread-trace-${i}`,
    decidedAt: new Date(Date.UTC(2026, 5, 1, 0, 0, i)).toISOString(),
    slots: [
      {
        slot: 'home.hero',
        content: 'x',
        strategy: 's',
        isDefault: false,
        explanation: {
          strategy: 's',
          summary: { en: 'x', vi: 'x' },
          signals: [],
          purposes: [],
          categories: [],
        },
      },
    ],
    purposesUsed: ['personalization.profile'],
    categoriesUsed: ['profile.preferences'],
    dropped: [],
    consent: { purposes: {}, signals: { gpc: false, dnt: false } },
  } as unknown as Decision;
}

describe('sqliteAuditThreadStore conformance (its own connection in a worker thread)', () => {
  for (const c of AUDIT_STORE_CONFORMANCE) it(c.name, () => c.run(() => threadStore()));
});

describe('sqliteAuditThreadStore', () => {
  it('writes a trail the main-thread store reads and verifies, in one file', async () => {
    const file = join(dir, 'shared.db');
    const thread = threadStore(file);
    const trail = createAuditTrail({ store: thread, key: KEY });
    const entries = await Promise.all(
      Array.from({ length: 20 }, (_, i) => trail.record(decision(i), { subject: `u-${i % 3}` })),
    );
    expect(entries.map((e) => e!.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const direct = sqliteAuditStore({ db: openDatabase(file) });
    try {
      const again = createAuditTrail({ store: direct, key: KEY });
      expect(await again.verify()).toMatchObject({ ok: true, checked: 20 });
      // Two writers on one file never fork the chain: the main-thread one appends after the thread's.
      await again.record(decision(20));
      await trail.record(decision(21));
      expect(await trail.verify()).toMatchObject({ ok: true, checked: 22 });
    } finally {
      direct.close();
    }
  });

  it('seals concurrent batches of two trails on two threads into one chain that verifies, without conflicts', async () => {
    const file = join(dir, 'two-threads.db');
    const [a, b] = [threadStore(file), threadStore(file)];
    const trails = [a, b].map((store) => createAuditTrail({ store, key: KEY, batchWindowMs: 0 }));
    const recorded = await Promise.all(
      Array.from({ length: 120 }, (_, i) => trails[i % 2]!.record(decision(i), { subject: `u-${i % 5}` })),
    );
    const seqs = recorded.map((e) => e!.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(await trails[0]!.verify()).toMatchObject({ ok: true, checked: 120, problems: [] });
    // Each caller's entry is the one stored at its seq.
    const stored = await a.list();
    for (const entry of recorded) expect(stored[entry!.seq]).toEqual(entry);
  });

  it('refuses a malformed sealed batch with INVALID_INPUT naming the field, storing nothing', async () => {
    const store = threadStore();
    const good = {
      chainKey: new Uint8Array(32),
      at: '2026-01-01T00:00:00.000Z',
      texts: ['{"a":1}'],
      subjects: [null],
    };
    for (const [field, batch] of [
      ['chainKey', { ...good, chainKey: new Uint8Array(4) }],
      ['at', { ...good, at: 'yesterday' }],
      ['texts', { ...good, texts: [42] }],
      ['subjects', { ...good, subjects: [] }],
      ['gap', { ...good, gap: { count: 0, from: 'a', to: 'b', salt: 'c' } }],
    ] as const) {
      const error = await store.appendSealed(batch as never).catch((e: unknown) => e);
      expect(isTactfulError(error) && [error.code, error.path]).toEqual(['INVALID_INPUT', [field]]);
    }
    expect(await store.list()).toEqual([]);
  });

  it('keeps error codes across the thread (CONFLICT when another writer appended first)', async () => {
    const store = threadStore();
    const entry = {
      seq: 1,
      at: '2026-01-01T00:00:00.000Z',
      subject: null,
      digest: 'd',
      prev: 'p',
      hash: 'h',
      payload: null,
    };
    const error = await store.append(entry).catch((e: unknown) => e);
    expect(isTactfulError(error) && error.code).toBe('CONFLICT');
  });

  it('refuses calls after close with STORE_FAILED, and close is idempotent', async () => {
    const store = sqliteAuditThreadStore({ filename: join(dir, 'closed.db') });
    expect(await store.tail()).toBeUndefined();
    await Promise.all([store.close(), store.close()]);
    const error = await store.tail().catch((e: unknown) => e);
    expect(isTactfulError(error) && error.code).toBe('STORE_FAILED');
  });

  it('refuses a missing filename with INVALID_OPTIONS', () => {
    expect(() => sqliteAuditThreadStore({ filename: '' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});
