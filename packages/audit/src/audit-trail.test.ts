import { isTactfulError } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createAuditTrail } from './audit-trail.js';
import { memoryAuditStore } from './memory-store.js';
import { rawStore, sampleDecision, TEST_KEY } from './test-helpers.js';
import type { AuditEntry, AuditPayload } from './types.js';

const DAY = 86_400_000;

async function filledTrail(n: number) {
  const store = rawStore();
  let clock = Date.UTC(2026, 4, 1);
  const trail = createAuditTrail({ store, key: TEST_KEY, now: () => (clock += 1000) });
  for (let i = 0; i < n; i++) await trail.record(sampleDecision(i), { subject: `user-${i % 3}` });
  return { store, trail };
}

describe('record', () => {
  it('keeps the pseudonymous subject, the consent that authorised it, purposes, categories, dropped plugins, trace id and time', async () => {
    const store = memoryAuditStore();
    const trail = createAuditTrail({ store, key: TEST_KEY, now: () => Date.UTC(2026, 4, 1, 12) });
    const entry = (await trail.record(sampleDecision(7), { subject: { id: 'alice' } }))!;
    expect(entry.seq).toBe(0);
    expect(entry.at).toBe('2026-05-01T12:00:00.000Z');
    expect(entry.subject).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.subject).toBe(await trail.pseudonym('alice'));
    expect(entry.payload).toMatchObject({
      traceId: 'trace-000007',
      subject: entry.subject,
      purposes: ['personalization.contextual', 'personalization.profile'],
      categories: ['behavior.purchases', 'context.time'],
      consent: [
        { purpose: 'personalization.contextual', provider: 'opt-in', recordId: 'rec-c-7' },
        { purpose: 'personalization.profile', provider: 'opt-in', recordId: 'rec-7', noticeVersion: 'abc' },
      ],
      dropped: [
        { plugin: 'weather', kind: 'source', outcome: 'failed', code: 'SOURCE_FAILED' },
        { plugin: 'email', kind: 'strategy', outcome: 'skipped', code: 'CONSENT_UNAVAILABLE' },
      ],
      slots: [{ slot: 'home.hero', strategy: 'segments', variant: 'loyal', isDefault: false }],
    });
    expect(JSON.stringify(await store.list())).not.toContain('alice');
    expect(JSON.stringify(await store.list())).not.toContain('Welcome back');
  });

  it('pseudonymises with the key: the same id gives the same pseudonym, another key another one', async () => {
    const a = createAuditTrail({ store: memoryAuditStore(), key: TEST_KEY });
    const b = createAuditTrail({ store: memoryAuditStore(), key: `${TEST_KEY}-other` });
    expect(await a.pseudonym('alice')).toBe(await a.pseudonym('alice'));
    expect(await a.pseudonym('alice')).not.toBe(await a.pseudonym('bob'));
    expect(await a.pseudonym('alice')).not.toBe(await b.pseudonym('alice'));
  });

  it('serialises concurrent recordings into one unbroken chain', async () => {
    const store = memoryAuditStore();
    const trail = createAuditTrail({ store, key: TEST_KEY });
    await Promise.all(Array.from({ length: 50 }, (_, i) => trail.record(sampleDecision(i))));
    expect((await store.list()).map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 50, problems: [] });
  });

  it('rejects what is not a decision, and bad options, naming the field', async () => {
    const trail = createAuditTrail({ store: memoryAuditStore(), key: TEST_KEY });
    await expect(trail.record({ traceId: 'x' } as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(trail.record(sampleDecision(1), { subject: '' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    for (const [options, field] of [
      [{ store: memoryAuditStore(), key: 'short' }, 'key'],
      [{ store: {}, key: TEST_KEY }, 'store'],
      [{ store: memoryAuditStore(), key: TEST_KEY, sampling: 2 }, 'sampling'],
      [{ store: memoryAuditStore(), key: TEST_KEY, retentionDays: 0 }, 'retentionDays'],
    ] as const) {
      try {
        createAuditTrail(options as never);
        expect.unreachable();
      } catch (e) {
        expect(isTactfulError(e) && e.code).toBe('INVALID_OPTIONS');
        expect((e as Error).message).toContain(field);
      }
    }
  });
});

describe('verify', () => {
  it('passes an untouched trail and reports its head', async () => {
    const { trail, store } = await filledTrail(5);
    const report = await trail.verify();
    expect(report).toEqual({
      ok: true,
      checked: 5,
      redacted: 0,
      gaps: 0,
      unrecorded: 0,
      head: { seq: 4, hash: store.entries[4]!.hash },
      problems: [],
    });
  });

  it('finds a modified payload and says which entry', async () => {
    const { trail, store } = await filledTrail(6);
    (store.entries[3]!.payload as AuditPayload).purposes = ['necessary'];
    const report = await trail.verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      { kind: 'modified', seq: 3, index: 3, message: 'entry 3: its payload was changed' },
    ]);
  });

  it('finds a modified header (time moved) even when the payload is intact', async () => {
    const { trail, store } = await filledTrail(4);
    store.entries[1]!.at = '2020-01-01T00:00:00.000Z';
    const report = await trail.verify();
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([['modified', 1]]);
  });

  it('finds a deleted entry', async () => {
    const { trail, store } = await filledTrail(6);
    store.entries.splice(2, 1);
    const report = await trail.verify();
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([
      ['missing', 2],
      ['broken-link', 3],
    ]);
  });

  it('finds reordered entries', async () => {
    const { trail, store } = await filledTrail(6);
    const [a, b] = [store.entries[2]!, store.entries[3]!];
    store.entries[2] = b;
    store.entries[3] = a;
    const report = await trail.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.seq)).toContain(3);
    expect(report.problems.map((p) => p.kind)).toContain('out-of-order');
  });

  it('finds an inserted entry, even one renumbered to fit', async () => {
    const { trail, store } = await filledTrail(5);
    const forged: AuditEntry = structuredClone(store.entries[2]!);
    forged.seq = 3;
    forged.prev = store.entries[2]!.hash;
    store.entries.splice(3, 0, forged);
    for (let i = 4; i < store.entries.length; i++) store.entries[i]!.seq += 1;
    const report = await trail.verify();
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual(
      expect.arrayContaining([
        ['modified', 3],
        ['modified', 4],
      ]),
    );
  });

  it('finds a payload removed without an erasure marker', async () => {
    const { trail, store } = await filledTrail(3);
    store.entries[1]!.payload = null;
    store.entries[1]!.subject = null;
    expect((await trail.verify()).problems).toEqual([
      {
        kind: 'modified',
        seq: 1,
        index: 1,
        message: 'entry 1: its payload was removed without an erasure marker',
      },
    ]);
  });

  it('finds a truncated tail against a head kept elsewhere, and a forged purge anchor', async () => {
    const { trail, store } = await filledTrail(6);
    const head = (await trail.head())!;
    store.entries.splice(4);
    expect((await trail.verify({ head })).problems).toMatchObject([{ kind: 'truncated', seq: 5 }]);

    const { trail: t2, store: s2 } = await filledTrail(6);
    const victim = s2.entries[2]!;
    s2.entries.splice(0, 3);
    s2.anchorValue = {
      seq: victim.seq,
      hash: victim.hash,
      at: victim.at,
      purgedAt: victim.at,
      mac: 'f'.repeat(64),
    };
    expect((await t2.verify()).problems).toMatchObject([{ kind: 'anchor-invalid', seq: 2 }]);
  });

  it('detects any single tampering of any entry (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 12 }),
        fc.nat(),
        fc.constantFrom('payload', 'subject', 'delete', 'swap', 'duplicate', 'digest'),
        async (n, at, op) => {
          const { trail, store } = await filledTrail(n);
          const i = at % (op === 'swap' ? n - 1 : n);
          const e = store.entries[i]!;
          if (op === 'payload') (e.payload as AuditPayload).categories.push('health');
          if (op === 'subject') e.subject = 'f'.repeat(64);
          if (op === 'digest') e.digest = 'e'.repeat(64);
          if (op === 'delete') store.entries.splice(i, 1);
          if (op === 'duplicate') store.entries.splice(i, 0, structuredClone(e));
          if (op === 'swap') [store.entries[i], store.entries[i + 1]] = [store.entries[i + 1]!, e];
          const report = await trail.verify({ head: { seq: n - 1, hash: e.hash } });
          expect(report.ok).toBe(false);
          const seqs = report.problems.map((p) => p.seq);
          expect(seqs.some((s) => s === i || s === i + 1)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  }, 30_000);
});

describe('per-subject export and erasure', () => {
  it("exports a person's entries, erases them, and the chain still verifies", async () => {
    const store = memoryAuditStore();
    const trail = createAuditTrail({ store, key: TEST_KEY });
    for (let i = 0; i < 9; i++)
      await trail.record(sampleDecision(i), i % 3 === 0 ? { subject: 'alice' } : { subject: 'bob' });
    await trail.record(sampleDecision(100));

    const exported = await trail.exportSubject('alice');
    expect(exported.subject).toBe(await trail.pseudonym('alice'));
    expect(exported.entries.map((e) => e.traceId)).toEqual(['trace-000000', 'trace-000003', 'trace-000006']);
    expect(exported.entries[0]).toMatchObject({
      purposes: ['personalization.contextual', 'personalization.profile'],
    });
    expect(JSON.stringify(exported)).not.toContain('salt');

    expect(await trail.eraseSubject('alice')).toEqual({ erased: 3 });
    expect(await trail.eraseSubject('alice')).toEqual({ erased: 0 });
    expect((await trail.exportSubject('alice')).entries).toEqual([]);
    expect((await trail.exportSubject('bob')).entries).toHaveLength(6);
    const report = await trail.verify();
    expect(report).toMatchObject({ ok: true, checked: 10, redacted: 3 });
    const erased = (await store.list())[3]!;
    expect(erased).toMatchObject({ seq: 3, subject: null, payload: null });
    expect(erased.redactedAt).toMatch(/^\d{4}-/);
    expect(erased.digest).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('sampling', () => {
  it('samples deterministically by trace id, the same in every process sharing the key', async () => {
    const decisions = Array.from({ length: 400 }, (_, i) => sampleDecision(i, { dropped: [] }));
    const kept = async () => {
      const trail = createAuditTrail({
        store: memoryAuditStore(),
        key: TEST_KEY,
        sampling: 0.25,
        batchWindowMs: 0,
      });
      const out: string[] = [];
      for (const d of decisions) if (await trail.record(d)) out.push(d.traceId);
      return out;
    };
    const first = await kept();
    expect(await kept()).toEqual(first);
    expect(first.length).toBeGreaterThan(60);
    expect(first.length).toBeLessThan(140);
  });

  it('keeps decisions where a plugin failed whatever the rate, unless told not to', async () => {
    const failing = sampleDecision(1);
    const calm = sampleDecision(2, { dropped: [] });
    const trail = createAuditTrail({ store: memoryAuditStore(), key: TEST_KEY, sampling: 0 });
    expect(await trail.record(failing)).toBeDefined();
    expect(await trail.record(calm)).toBeUndefined();
    const strict = createAuditTrail({
      store: memoryAuditStore(),
      key: TEST_KEY,
      sampling: { rate: 0, keepFailures: false },
    });
    expect(await strict.record(failing)).toBeUndefined();
  });
});

describe('retention', () => {
  it('purges entries past retentionDays, leaving a signed anchor from which the chain verifies', async () => {
    const store = memoryAuditStore();
    let clock = Date.UTC(2026, 0, 1);
    const trail = createAuditTrail({ store, key: TEST_KEY, retentionDays: 30, now: () => clock });
    for (let i = 0; i < 10; i++) {
      await trail.record(sampleDecision(i));
      clock += 7 * DAY;
    }
    // Each record purges at most hourly; what is left is at most 30 days old at the last record.
    const seqs = (await store.list()).map((e) => e.seq);
    expect(seqs[seqs.length - 1]).toBe(9);
    expect(seqs[0]).toBeGreaterThan(0);
    const report = await trail.verify();
    expect(report.ok).toBe(true);
    expect(report.anchor?.seq).toBe(seqs[0]! - 1);

    clock += 365 * DAY;
    expect(await trail.purge()).toEqual({ purged: seqs.length });
    expect(await store.list()).toEqual([]);
    await trail.record(sampleDecision(50));
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 1, anchor: { seq: 9 } });
  });

  it('purges nothing without retentionDays', async () => {
    const trail = createAuditTrail({ store: memoryAuditStore(), key: TEST_KEY, now: () => 0 });
    await trail.record(sampleDecision(1));
    expect(await trail.purge()).toEqual({ purged: 0 });
  });
});

describe('attach', () => {
  function emitter() {
    const listeners = new Set<(...args: unknown[]) => void>();
    return {
      on: (_e: 'decision', l: (...args: unknown[]) => void) => listeners.add(l),
      off: (_e: 'decision', l: (...args: unknown[]) => void) => listeners.delete(l),
      emit: (...args: unknown[]) => {
        for (const l of listeners) l(...args);
      },
      count: () => listeners.size,
    };
  }

  it("records the orchestrator's decision events, with the request's subject, until detached", async () => {
    const engine = emitter();
    const store = memoryAuditStore();
    const trail = createAuditTrail({ store, key: TEST_KEY });
    const detach = trail.attach(engine);
    engine.emit({ decision: sampleDecision(1), request: { subject: { id: 'alice' }, slots: [] } });
    engine.emit(sampleDecision(2));
    await trail.flush();
    const entries = await store.list();
    expect(entries.map((e) => (e.payload as AuditPayload | null)?.traceId)).toEqual([
      'trace-000001',
      'trace-000002',
    ]);
    expect(entries[0]!.subject).toBe(await trail.pseudonym('alice'));
    expect(entries[1]!.subject).toBeNull();
    detach();
    expect(engine.count()).toBe(0);
    engine.emit(sampleDecision(3));
    await trail.flush();
    expect(await store.list()).toHaveLength(2);
  });

  it('reports a failing store to onError and never throws into the emitter', async () => {
    const engine = emitter();
    const fail = () => Promise.reject(new Error('disk full'));
    const broken = { ...memoryAuditStore(), append: fail, appendMany: fail };
    const onError = vi.fn();
    const trail = createAuditTrail({ store: broken, key: TEST_KEY, onError });
    trail.attach(engine);
    expect(() => engine.emit(sampleDecision(1))).not.toThrow();
    await trail.flush();
    await vi.waitFor(() => expect(onError).toHaveBeenCalledOnce());
    expect(String(onError.mock.calls[0]![0])).toContain('disk full');
  });
});
