import { describe, expect, it } from 'vitest';
import { createAuditTrail } from './audit-trail.js';
import { memoryAuditStore } from './memory-store.js';
import { sampleDecision, TEST_KEY } from './test-helpers.js';
import type { AuditEntry, AuditPayload, AuditStore } from './types.js';

/** A memory store that counts its appends and can hold its writes until released. */
function countingStore() {
  const inner = memoryAuditStore();
  const batches: number[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  const store: AuditStore = {
    ...inner,
    async append(entry) {
      await gate;
      batches.push(1);
      return inner.append(entry);
    },
    async appendMany(entries: ReadonlyArray<AuditEntry>) {
      await gate;
      batches.push(entries.length);
      return inner.appendMany!(entries);
    },
  };
  return {
    store,
    batches,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      open();
    },
  };
}

describe('group commit', () => {
  it('appends recordings queued during one write together, in call order, and the chain verifies', async () => {
    const { store, batches, hold, release } = countingStore();
    const trail = createAuditTrail({ store, key: TEST_KEY });
    hold();
    const first = trail.record(sampleDecision(0), { subject: 'alice' });
    await new Promise((r) => setTimeout(r, 20));
    // The first write is held: these 20 all wait for it, then go in one transaction.
    const rest = Array.from({ length: 20 }, (_, i) =>
      trail.record(sampleDecision(i + 1), { subject: 'bob' }),
    );
    release();
    const entries = await Promise.all([first, ...rest]);
    expect(entries.map((e) => e!.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    expect(entries.map((e) => (e!.payload as AuditPayload).traceId)).toEqual(
      Array.from({ length: 21 }, (_, i) => sampleDecision(i).traceId),
    );
    expect(batches).toEqual([1, 20]);
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 21 });
    expect(trail.stats()).toMatchObject({ queued: 0, dropped: 0, unrecorded: 0, gaps: 0 });
  });

  it('is durable before it resolves: every entry is in the store once record() or flush() resolves', async () => {
    const store = memoryAuditStore();
    const trail = createAuditTrail({ store, key: TEST_KEY });
    const pending = Array.from({ length: 50 }, (_, i) => trail.record(sampleDecision(i)));
    await trail.flush();
    expect(await store.list()).toHaveLength(50);
    const last = await pending[49]!;
    expect((await store.tail())?.hash).toBe(last!.hash);
  });

  it('caps a batch at maxBatch entries', async () => {
    const { store, batches, hold, release } = countingStore();
    const trail = createAuditTrail({ store, key: TEST_KEY, maxBatch: 4 });
    hold();
    const all = Array.from({ length: 10 }, (_, i) => trail.record(sampleDecision(i)));
    release();
    await Promise.all(all);
    expect(batches).toEqual([4, 4, 2]);
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 10 });
  });

  it('falls back to one append per entry for a store without appendMany', async () => {
    const { store, batches } = countingStore();
    const { appendMany: _, ...plain } = store;
    const trail = createAuditTrail({ store: plain, key: TEST_KEY });
    await Promise.all(Array.from({ length: 5 }, (_, i) => trail.record(sampleDecision(i))));
    expect(batches).toEqual([1, 1, 1, 1, 1]);
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 5 });
  });

  it('keeps order with erasures: a recording made after eraseSubject() is written after it and kept', async () => {
    const store = memoryAuditStore();
    const trail = createAuditTrail({ store, key: TEST_KEY });
    const before = trail.record(sampleDecision(1), { subject: 'alice' });
    const erased = trail.eraseSubject('alice');
    const after = trail.record(sampleDecision(2), { subject: 'alice' });
    await Promise.all([before, erased, after]);
    const entries = await store.list();
    expect(entries.map((e) => (e.payload as AuditPayload | null)?.traceId ?? null)).toEqual([
      null,
      sampleDecision(2).traceId,
    ]);
    expect(await erased).toEqual({ erased: 1 });
  });

  it('retries a whole batch after another writer appended first, without forking the chain', async () => {
    const store = memoryAuditStore();
    const a = createAuditTrail({ store, key: TEST_KEY });
    const b = createAuditTrail({ store, key: TEST_KEY });
    await a.record(sampleDecision(0));
    await b.record(sampleDecision(1));
    // a's idea of the head is now stale: its next batch conflicts once, re-reads the tail and goes on.
    const batch = await Promise.all([2, 3, 4].map((i) => a.record(sampleDecision(i))));
    expect(batch.map((e) => e!.seq)).toEqual([2, 3, 4]);
    expect(await a.verify()).toMatchObject({ ok: true, checked: 5 });
  });
});
