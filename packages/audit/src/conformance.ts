import type { Decision } from '@tactful/core';
import { isTactfulError } from '@tactful/core';
import { createAuditTrail } from './audit-trail.js';
import { auditSealer, GENESIS } from './chain.js';
import { hashing } from './crypto.js';
import type { AuditAnchor, AuditEntry, AuditPayload, AuditSealBatch, AuditStore } from './types.js';

/** One conformance case: run it against a fresh store; it throws when the store breaks the contract. */
export interface AuditStoreCase {
  readonly name: string;
  run(create: () => AuditStore | Promise<AuditStore>): Promise<void>;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`audit store conformance: ${message}`);
}

function same(a: unknown, b: unknown, message: string): void {
  const norm = (v: unknown) =>
    JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? sortKeys(x) : x));
  check(norm(a) === norm(b), `${message}\n  expected: ${norm(b)}\n  actual:   ${norm(a)}`);
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}

const hex = (n: number, c = 'a') => `${c.repeat(63)}${n.toString(16).slice(-1)}`;

function entry(seq: number, subject: string | null = null): AuditEntry {
  return {
    seq,
    at: new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString(),
    subject,
    digest: hex(seq, 'd'),
    prev: seq === 0 ? '0'.repeat(64) : hex(seq - 1, 'h'),
    hash: hex(seq, 'h'),
    payload: {
      traceId: `trace-${seq}-xxxxxxxx`,
      decidedAt: new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString(),
      subject,
      consent: [
        { purpose: 'personalization.profile', provider: 'opt-in', recordId: `r${seq}`, noticeVersion: 'v1' },
      ],
      purposes: ['personalization.profile'],
      categories: ['profile.preferences'],
      dropped: [{ plugin: 'weather', kind: 'source', outcome: 'failed', code: 'SOURCE_FAILED' }],
      slots: [
        { slot: 'home.hero', strategy: 'segments', variant: 'loyal', isDefault: false },
        { slot: 'home.banner', strategy: 'default', isDefault: true },
      ],
      salt: 's'.repeat(32),
    },
  };
}

async function expectConflict(p: Promise<unknown>, message: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    check(
      isTactfulError(e) && e.code === 'CONFLICT',
      `${message}: expected a CONFLICT TactfulError, got ${String(e)}`,
    );
    return;
  }
  check(false, `${message}: expected a CONFLICT rejection`);
}

function decision(i: number): Decision {
  return {
    traceId: `conformance-trace-${i}`,
    decidedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    slots: [
      {
        slot: 'home.hero',
        content: null,
        strategy: 'default',
        isDefault: true,
        explanation: {
          strategy: 'default',
          summary: { en: 'Default' },
          signals: [],
          purposes: [],
          categories: [],
        },
      },
    ],
    purposesUsed: ['personalization.profile'],
    categoriesUsed: ['profile.preferences'],
    dropped: [],
    consent: {
      purposes: {
        'personalization.profile': { status: 'granted', provider: 'opt-in', recordId: `rec-${i}` },
      },
    },
  };
}

const KEY = 'conformance-key-0123456789abcdef-0123456789';

/**
 * The ordered cases every {@link AuditStore} must pass, runnable with any test runner. The memory
 * store and `sqliteAuditStore` both run them.
 *
 * @example
 * ```ts
 * for (const c of AUDIT_STORE_CONFORMANCE) it(c.name, () => c.run(() => memoryAuditStore()));
 * ```
 */
export const AUDIT_STORE_CONFORMANCE: ReadonlyArray<AuditStoreCase> = [
  {
    name: 'an empty store has no tail, no anchor and no entries',
    async run(create) {
      const store = await create();
      check((await store.tail()) === undefined, 'tail() of an empty store must be undefined');
      check((await store.anchor()) === undefined, 'anchor() of an empty store must be undefined');
      same(await store.list(), [], 'list() of an empty store');
    },
  },
  {
    name: 'appends entries in sequence and gives them back exactly, in seq order',
    async run(create) {
      const store = await create();
      for (let i = 0; i < 5; i++) await store.append(entry(i, i % 2 ? 'p-odd' : null));
      same(
        await store.list(),
        [0, 1, 2, 3, 4].map((i) => entry(i, i % 2 ? 'p-odd' : null)),
        'list() after 5 appends',
      );
      same(await store.tail(), entry(4), 'tail()');
      same(
        (await store.list({ fromSeq: 2, limit: 2 })).map((e) => e.seq),
        [2, 3],
        'list({ fromSeq: 2, limit: 2 })',
      );
      same((await store.list({ fromSeq: 9 })).length, 0, 'list() past the end');
    },
  },
  {
    name: 'rejects an append that does not continue the trail with CONFLICT, storing nothing',
    async run(create) {
      const store = await create();
      await expectConflict(store.append(entry(1)), 'first entry with seq 1');
      await store.append(entry(0));
      await expectConflict(store.append(entry(0)), 'seq 0 twice');
      await expectConflict(store.append(entry(2)), 'a gap');
      same(
        (await store.list()).map((e) => e.seq),
        [0],
        'entries after rejected appends',
      );
    },
  },
  {
    name: 'appendMany (when present) stores consecutive entries all at once, or none on CONFLICT',
    async run(create) {
      const store = await create();
      if (store.appendMany === undefined) return;
      await expectConflict(store.appendMany([entry(1), entry(2)]), 'a batch starting at seq 1');
      await store.appendMany([entry(0), entry(1, 'p-odd'), entry(2)]);
      await expectConflict(store.appendMany([entry(3), entry(5)]), 'a batch with a gap');
      await expectConflict(store.appendMany([entry(2), entry(3)]), 'a batch repeating seq 2');
      same(
        (await store.list()).map((e) => e.seq),
        [0, 1, 2],
        'entries after a good batch and rejected ones',
      );
      same(await store.tail(), entry(2), 'tail() after a batch');
      await store.appendMany([]);
      await store.append(entry(3));
      same(
        (await store.bySubject('p-odd')).map((e) => e.seq),
        [1],
        'bySubject() of a batched entry',
      );
    },
  },
  {
    name: 'keeps its own copies: mutating what was appended or returned changes nothing stored',
    async run(create) {
      const store = await create();
      const e = entry(0, 'p');
      await store.append(e);
      (e.payload as AuditPayload).purposes.push('marketing.email');
      e.hash = 'changed';
      const listed = await store.list();
      (listed[0]!.payload as AuditPayload).categories.push('health');
      same(await store.list(), [entry(0, 'p')], 'stored entry after outside mutation');
    },
  },
  {
    name: "finds a subject's entries and redacts them, keeping digest, links and a redaction marker",
    async run(create) {
      const store = await create();
      for (let i = 0; i < 4; i++) await store.append(entry(i, i === 1 || i === 3 ? 'p-target' : 'p-other'));
      same(
        (await store.bySubject('p-target')).map((e) => e.seq),
        [1, 3],
        'bySubject()',
      );
      check(
        (await store.redactSubject('p-target', '2026-02-01T00:00:00.000Z')) === 2,
        'redactSubject() returns 2',
      );
      check(
        (await store.redactSubject('p-target', '2026-02-02T00:00:00.000Z')) === 0,
        'redactSubject() again returns 0',
      );
      same(await store.bySubject('p-target'), [], 'bySubject() after erasure');
      const all = await store.list();
      for (const i of [1, 3]) {
        const e = all[i]!;
        const original = entry(i, 'p-target');
        same(
          e,
          { ...original, subject: null, payload: null, redactedAt: '2026-02-01T00:00:00.000Z' },
          `entry ${i} after erasure`,
        );
      }
      same(all[0], entry(0, 'p-other'), 'other subjects are untouched');
    },
  },
  {
    name: 'purges a prefix together with its anchor, and appends continue after the anchor',
    async run(create) {
      const store = await create();
      for (let i = 0; i < 5; i++) await store.append(entry(i));
      const anchor: AuditAnchor = {
        seq: 2,
        hash: hex(2, 'h'),
        at: entry(2).at,
        purgedAt: '2026-03-01T00:00:00.000Z',
        mac: 'm'.repeat(64),
      };
      check((await store.purge(2, anchor)) === 3, 'purge(2) deletes 3 entries');
      same(await store.anchor(), anchor, 'anchor() after purge');
      same(
        (await store.list()).map((e) => e.seq),
        [3, 4],
        'entries after purge',
      );
      check((await store.purge(4, { ...anchor, seq: 4, hash: hex(4, 'h') })) === 2, 'purging everything');
      same(await store.list(), [], 'entries after purging everything');
      check((await store.tail()) === undefined, 'tail() after purging everything');
      await expectConflict(store.append(entry(0)), 'restarting at 0 after a purge');
      await store.append(entry(5));
      same(
        (await store.list()).map((e) => e.seq),
        [5],
        'append after the anchor',
      );
    },
  },
  {
    name: 'carries a full trail: record, verify, erase, purge, and it still verifies',
    async run(create) {
      const store = await create();
      let clock = Date.UTC(2026, 0, 1);
      const trail = createAuditTrail({ store, key: KEY, retentionDays: 30, now: () => clock });
      for (let i = 0; i < 6; i++) {
        await trail.record(decision(i), { subject: i % 2 ? 'alice' : 'bob' });
        clock += 10 * 86_400_000;
      }
      check((await trail.verify()).ok, 'a fresh trail verifies');
      check((await trail.eraseSubject('alice')).erased > 0, 'erasing alice erases entries');
      same((await trail.exportSubject('alice')).entries, [], "alice's export after erasure");
      const afterErase = await trail.verify();
      check(afterErase.ok && afterErase.redacted > 0, 'the trail verifies after erasure');
      const { purged } = await trail.purge();
      check(purged > 0, 'old entries are purged');
      const afterPurge = await trail.verify();
      check(
        afterPurge.ok && afterPurge.anchor !== undefined,
        'the trail verifies from its anchor after purging',
      );
      await trail.record(decision(99), { subject: 'bob' });
      check((await trail.verify()).ok, 'appending after a purge keeps the chain');
    },
  },
  {
    name: 'two writers sharing the store never fork the chain',
    async run(create) {
      const store = await create();
      const a = createAuditTrail({ store, key: KEY });
      const b = createAuditTrail({ store, key: KEY });
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).record(decision(i))));
      const report = await a.verify();
      check(report.ok, `the shared trail verifies: ${JSON.stringify(report.problems)}`);
      check(report.checked === 20, `20 entries recorded, got ${report.checked}`);
    },
  },
  {
    name: 'appendSealed (when present) seals a batch after the tail or the anchor, as auditSealer does, all at once',
    async run(create) {
      const store = await create();
      if (!store.appendSealed) return;
      const seal = auditSealer(hashing());
      const chainKey = new Uint8Array(32).fill(7);
      const batch = (n: number, from: number, gap = false): AuditSealBatch => ({
        chainKey,
        at: new Date(Date.UTC(2026, 0, 2) + from * 1000).toISOString(),
        texts: Array.from({ length: n }, (_, i) => JSON.stringify({ n: from + i })),
        subjects: Array.from({ length: n }, (_, i) => (i % 2 ? null : `subject-${from + i}`)),
        ...(gap
          ? {
              gap: { count: 3, from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T00:00:01.000Z', salt: 'ab' },
            }
          : {}),
      });
      const expectRows = async (given: AuditSealBatch, head: { seq: number; prev: string }) => {
        const answer = await store.appendSealed!(given);
        const { rows, result } = seal(given, head);
        same(answer, result, 'appendSealed answers the seq, prev, hashes and digests of what it stored');
        const stored = await store.list({ fromSeq: head.seq });
        same(
          stored,
          rows.map(({ text, ...row }) => ({ ...row, payload: JSON.parse(text) })),
          'appendSealed stores the rows auditSealer gives, in order',
        );
        return stored[stored.length - 1]!;
      };
      let last = await expectRows(batch(3, 0), { seq: 0, prev: GENESIS });
      last = await expectRows(batch(2, 3, true), { seq: last.seq + 1, prev: last.hash });
      check(last.seq === 5, `a gap entry and two texts after three: the tail is 5, got ${last.seq}`);
      await store.purge(last.seq, {
        seq: last.seq,
        hash: last.hash,
        at: last.at,
        purgedAt: '2026-01-03T00:00:00.000Z',
        mac: 'm',
      });
      await expectRows(batch(1, 10), { seq: last.seq + 1, prev: last.hash });
    },
  },
];
