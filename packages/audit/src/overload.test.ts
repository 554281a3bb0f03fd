import { type Decision, isTactfulError } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { createAuditTrail } from './audit-trail.js';
import { memoryAuditStore } from './memory-store.js';
import { sampleDecision, sealingStore, TEST_KEY } from './test-helpers.js';
import { type AuditEntry, type AuditGapPayload, type AuditStore, isGapPayload } from './types.js';

/**
 * A memory store whose writes wait until released (a store slower than the decision rate); one
 * that seals entries itself (`appendSealed`, as the SQLite stores on worker threads do) when `sealing`.
 */
function heldStoreOf(sealing: boolean) {
  const plain = memoryAuditStore();
  const inner: AuditStore = sealing ? sealingStore(plain) : plain;
  let gate: Promise<void> = Promise.resolve();
  let open = () => {};
  const store: AuditStore = {
    ...inner,
    async append(entry) {
      await gate;
      return inner.append(entry);
    },
    async appendMany(entries: ReadonlyArray<AuditEntry>) {
      await gate;
      return inner.appendMany!(entries);
    },
    ...(sealing
      ? {
          async appendSealed(batch) {
            await gate;
            return inner.appendSealed!(batch);
          },
        }
      : {}),
  };
  return {
    store,
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

const overloaded = (e: unknown) => isTactfulError(e) && e.code === 'AUDIT_OVERLOADED';
const gapsOf = (entries: AuditEntry[]) =>
  entries.flatMap((e) => (isGapPayload(e.payload) ? [e as AuditEntry & { payload: AuditGapPayload }] : []));

/** An orchestrator stand-in with hooks, to drive attach() as the engine does. */
function fakeEngine() {
  const hooks: Array<{ afterDecision?(c: { traceId: string; decision: Decision }): void }> = [];
  return {
    engine: { addHooks: (h: (typeof hooks)[number]) => hooks.push(h) },
    decide(i: number) {
      const decision = sampleDecision(i);
      for (const h of hooks) h.afterDecision?.({ traceId: decision.traceId, decision });
    },
  };
}

describe.each([
  ['the trail seals entries', false],
  ['the store seals entries (appendSealed)', true],
])('audit overload: never a silent gap (%s)', (_, sealing) => {
  const heldStore = () => heldStoreOf(sealing);
  it('counts decisions refused past maxQueue in one signed gap entry that verify() accepts', async () => {
    const { store, hold, release } = heldStore();
    const trail = createAuditTrail({ store, key: TEST_KEY, maxQueue: 3, onError: () => {} });
    hold();
    const accepted = [0, 1, 2].map((i) => trail.record(sampleDecision(i)));
    const refused = [3, 4].map((i) => trail.record(sampleDecision(i)));
    for (const r of refused) await expect(r).rejects.toSatisfy(overloaded);
    expect(trail.stats()).toMatchObject({ queued: 3, unrecorded: 2, gaps: 0 });
    release();
    await Promise.all(accepted);
    await trail.flush();
    const entries = await store.list();
    const gaps = gapsOf(entries);
    expect(gaps).toHaveLength(1);
    const gap = gaps[0]!;
    expect(gap.payload).toMatchObject({ kind: 'gap', unrecorded: 2, afterSeq: gap.seq - 1 });
    expect(gap.payload.message).toBe(`2 decisions not recorded between seq ${gap.seq - 1} and ${gap.seq}`);
    expect(entries).toHaveLength(4);
    expect(trail.stats()).toMatchObject({ queued: 0, unrecorded: 2, pendingGap: 0, gaps: 1 });
    expect(await trail.verify()).toMatchObject({
      ok: true,
      checked: 4,
      gaps: 1,
      unrecorded: 2,
      problems: [],
    });
    // A gap entry is no one's data: it is not part of anyone's export.
    expect((await trail.exportSubject('someone')).entries).toEqual([]);
  });

  it('writes the gap entry even when no recording follows the overload', async () => {
    const { store, hold, release } = heldStore();
    const trail = createAuditTrail({ store, key: TEST_KEY, maxQueue: 1, onError: () => {} });
    hold();
    const first = trail.record(sampleDecision(0));
    await expect(trail.record(sampleDecision(1))).rejects.toSatisfy(overloaded);
    release();
    await first;
    await trail.flush();
    const gaps = gapsOf(await store.list());
    expect(gaps.map((g) => g.payload.unrecorded)).toEqual([1]);
    expect(await trail.verify()).toMatchObject({ ok: true, gaps: 1, unrecorded: 1 });
  });

  it('reports a gap entry whose count was changed as modified', async () => {
    const { store, hold, release } = heldStore();
    const trail = createAuditTrail({ store, key: TEST_KEY, maxQueue: 1, onError: () => {} });
    hold();
    const first = trail.record(sampleDecision(0));
    await expect(trail.record(sampleDecision(1))).rejects.toSatisfy(overloaded);
    release();
    await first;
    await trail.flush();
    expect(gapsOf(await store.list())).toHaveLength(1);
    // Rewrite the stored gap (fewer unrecorded decisions) behind the trail's back.
    const entries = await store.list();
    const tampered = entries.map((e) =>
      isGapPayload(e.payload) ? { ...e, payload: { ...e.payload, unrecorded: 0 } } : e,
    );
    const forged = memoryAuditStore();
    await forged.appendMany!(tampered);
    const check = createAuditTrail({ store: forged, key: TEST_KEY });
    const report = await check.verify();
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.kind)).toContain('modified');
  });

  it('tells onError once per interval, not once per unrecorded decision', async () => {
    const { store, hold, release } = heldStore();
    const onError = vi.fn();
    const trail = createAuditTrail({ store, key: TEST_KEY, maxQueue: 3, onError, logIntervalMs: 60_000 });
    const { engine, decide } = fakeEngine();
    trail.attach(engine);
    hold();
    for (let i = 0; i < 50; i++) decide(i);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(trail.stats().unrecorded).toBe(47);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0]).toSatisfy(overloaded);
    release();
    await trail.flush();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 4, gaps: 1, unrecorded: 47 });
  });

  it("under overload: 'wait', waits for room instead of leaving decisions out", async () => {
    const { store, hold, release } = heldStore();
    const trail = createAuditTrail({ store, key: TEST_KEY, maxQueue: 3, overload: 'wait' });
    hold();
    const all = [0, 1, 2, 3, 4].map((i) => trail.record(sampleDecision(i)));
    const admitted = trail.admit();
    expect(admitted).toBeInstanceOf(Promise);
    expect(trail.stats()).toMatchObject({ queued: 3, unrecorded: 0 });
    release();
    const entries = await Promise.all(all);
    await admitted;
    expect(entries.map((e) => e!.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(trail.stats()).toMatchObject({ queued: 0, unrecorded: 0, gaps: 0 });
    expect(trail.stats().waited).toBe(3);
    expect(trail.admit()).toBeUndefined();
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 5, gaps: 0 });
  });

  it("under overload: 'wait', bounds the callers waiting in admit() (past maxQueue it refuses)", async () => {
    const { store, hold, release } = heldStore();
    const trail = createAuditTrail({
      store,
      key: TEST_KEY,
      maxQueue: 2,
      overload: 'wait',
      onError: () => {},
    });
    hold();
    const written = [0, 1].map((i) => trail.record(sampleDecision(i)));
    const waiting = [trail.admit(), trail.admit()];
    expect(waiting.every((w) => w instanceof Promise)).toBe(true);
    expect(() => trail.admit()).toThrow(expect.objectContaining({ code: 'AUDIT_OVERLOADED' }));
    release();
    await Promise.all([...written, ...waiting]);
  });

  it("under overload: 'shed', admit() refuses while full (the decision is not made) and lets through when there is room", async () => {
    const { store, hold, release } = heldStore();
    const trail = createAuditTrail({
      store,
      key: TEST_KEY,
      maxQueue: 1,
      overload: 'shed',
      onError: () => {},
    });
    expect(trail.admit()).toBeUndefined();
    hold();
    const first = trail.record(sampleDecision(0));
    expect(() => trail.admit()).toThrow(expect.objectContaining({ code: 'AUDIT_OVERLOADED' }));
    expect(trail.stats()).toMatchObject({ shed: 1, unrecorded: 0 });
    release();
    await first;
    expect(trail.admit()).toBeUndefined();
  });

  it('for every burst size and queue bound, recorded entries plus counted gaps account for every decision', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 5 }),
        async (decisions, maxQueue, waves) => {
          const { store, hold, release } = heldStore();
          const trail = createAuditTrail({ store, key: TEST_KEY, maxQueue, maxBatch: 3, onError: () => {} });
          const pending: Promise<unknown>[] = [];
          let i = 0;
          for (let w = 0; w < waves; w++) {
            hold();
            for (let k = 0; k < decisions; k++)
              pending.push(trail.record(sampleDecision(i++)).catch(() => undefined));
            release();
            await Promise.resolve();
          }
          await Promise.all(pending);
          await trail.flush();
          const entries = await store.list();
          const gaps = gapsOf(entries);
          const counted = gaps.reduce((n, g) => n + g.payload.unrecorded, 0);
          expect(entries.length - gaps.length + counted).toBe(i);
          expect(trail.stats()).toMatchObject({ unrecorded: counted, pendingGap: 0, queued: 0 });
          const report = await trail.verify();
          expect(report).toMatchObject({ ok: true, unrecorded: counted, gaps: gaps.length });
        },
      ),
      { numRuns: 40 },
    );
  });
});
