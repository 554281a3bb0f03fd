import { createHook } from 'node:async_hooks';
import type { Decision } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuditTrail } from './audit-trail.js';
import { hashing } from './crypto.js';
import { memoryAuditStore } from './memory-store.js';
import { sampleDecision, sealingStore, TEST_KEY } from './test-helpers.js';
import type { AuditEntry, AuditStore, Hashing } from './index.js';
import { isGapPayload } from './types.js';

/** The built-in hashing, counting what this thread hashes. */
function countingHashing(): Hashing & { digests: number; macs: number } {
  const inner = hashing();
  const counted = {
    digests: 0,
    macs: 0,
    sha256Hex(text: string) {
      counted.digests++;
      return inner.sha256Hex(text);
    },
    hmacKey(raw: Uint8Array) {
      const key = inner.hmacKey(raw);
      return {
        mac(text: string) {
          counted.macs++;
          return key.mac(text);
        },
      };
    },
  };
  return counted;
}

/** An orchestrator stand-in with hooks, to drive attach() as the engine does. */
function fakeEngine() {
  const hooks: Array<{
    beforeDecision?(c: { traceId: string; request: { subject?: { id: string } } }): void;
    afterDecision?(c: { traceId: string; decision: Decision }): void;
  }> = [];
  return {
    engine: { addHooks: (h: (typeof hooks)[number]) => hooks.push(h) },
    decide(i: number, subject?: string) {
      const decision = sampleDecision(i);
      for (const h of hooks)
        h.beforeDecision?.({
          traceId: decision.traceId,
          request: subject ? { subject: { id: subject } } : {},
        });
      for (const h of hooks) h.afterDecision?.({ traceId: decision.traceId, decision });
    },
  };
}

describe('a store that seals entries itself (appendSealed)', () => {
  it('gets only payload texts: this thread computes no digest and no link hash', async () => {
    const store = sealingStore();
    const h = countingHashing();
    const trail = createAuditTrail({ store, key: TEST_KEY, hashing: h });
    await trail.record(sampleDecision(0), { subject: 'u-0' }); // derives the keys and u-0's pseudonym
    const before = { digests: h.digests, macs: h.macs };
    const entries = await Promise.all(
      Array.from({ length: 30 }, (_, i) => trail.record(sampleDecision(i + 1), { subject: 'u-0' })),
    );
    expect({ digests: h.digests, macs: h.macs }).toEqual(before);
    expect(store.sealedBatches).toBeGreaterThan(0);
    // Each caller gets the entry as stored, and the chain verifies.
    const stored = await store.list({ fromSeq: 1 });
    expect(entries).toEqual(stored);
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 31, problems: [] });
  });

  it('writes the very entries the trail would seal itself: a trail without appendSealed verifies them', async () => {
    const inner = memoryAuditStore();
    const sealed = createAuditTrail({ store: sealingStore(inner), key: TEST_KEY });
    const plain = createAuditTrail({ store: inner, key: TEST_KEY });
    for (let i = 0; i < 10; i++) {
      await sealed.record(sampleDecision(i), { subject: `u-${i % 3}` });
      await plain.record(sampleDecision(100 + i), { subject: `u-${i % 3}` });
    }
    expect(await plain.verify()).toMatchObject({ ok: true, checked: 20 });
    expect(await sealed.verify()).toMatchObject({ ok: true, checked: 20 });
    expect((await plain.exportSubject('u-1')).entries).toHaveLength(6);
  });

  it('reports any entry changed behind the trail as modified', async () => {
    const inner = memoryAuditStore();
    const trail = createAuditTrail({ store: sealingStore(inner), key: TEST_KEY });
    await Promise.all(Array.from({ length: 5 }, (_, i) => trail.record(sampleDecision(i))));
    const entries = await inner.list();
    const forged = memoryAuditStore();
    await forged.appendMany!(
      entries.map((e) => (e.seq === 2 ? { ...e, payload: { ...e.payload!, traceId: 'other' } } : e)),
    );
    const report = await createAuditTrail({ store: forged, key: TEST_KEY }).verify();
    expect(report.problems.map((p) => [p.kind, p.seq])).toEqual([['modified', 2]]);
  });

  it('for any interleaving of concurrent decisions, rights requests and erasures, the chain verifies and accounts for each', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('record' as const), subject: fc.integer({ min: 0, max: 3 }) }),
            fc.record({ kind: fc.constant('attached' as const), subject: fc.integer({ min: 0, max: 3 }) }),
            fc.record({ kind: fc.constant('rights' as const), subject: fc.integer({ min: 0, max: 3 }) }),
            fc.record({ kind: fc.constant('erase' as const), subject: fc.integer({ min: 0, max: 3 }) }),
          ),
          { minLength: 1, maxLength: 25 },
        ),
        fc.boolean(),
        fc.integer({ min: 1, max: 6 }),
        async (s, acts, sealing, maxBatch) => {
          const inner = memoryAuditStore();
          // Every store call waits for the scheduler, so writes and new recordings interleave in any order.
          const slow: AuditStore = Object.fromEntries(
            Object.entries(sealing ? sealingStore(inner) : inner).map(([name, fn]) => [
              name,
              typeof fn === 'function'
                ? (...args: unknown[]) => s.schedule(Promise.resolve(), name).then(() => fn(...args))
                : fn,
            ]),
          ) as unknown as AuditStore;
          const trail = createAuditTrail({ store: slow, key: TEST_KEY, maxBatch, batchWindowMs: 0 });
          const { engine, decide } = fakeEngine();
          trail.attach(engine);
          let decisions = 0;
          const done = acts.map((act, i) =>
            s.schedule(Promise.resolve(), `${act.kind} ${i}`).then(async () => {
              const subject = `u-${act.subject}`;
              if (act.kind === 'record') await trail.record(sampleDecision(i), { subject });
              else if (act.kind === 'attached') decide(i, subject);
              else if (act.kind === 'rights')
                await trail.recordRights({
                  type: 'access',
                  requestId: `req-${i}`,
                  receivedAt: '2026-05-01T00:00:00Z',
                  subject,
                });
              else await trail.eraseSubject(subject);
              if (act.kind !== 'erase') decisions++;
            }),
          );
          await s.waitFor(Promise.all(done));
          await s.waitFor(trail.flush());
          const report = await s.waitFor(trail.verify());
          expect(report).toMatchObject({ ok: true, checked: decisions, gaps: 0, problems: [] });
          const seqs = (await inner.list()).map((e: AuditEntry) => e.seq);
          expect(seqs).toEqual(Array.from({ length: decisions }, (_, i) => i));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('recordings made by attach()', () => {
  it('take no promise each: a burst of decisions makes a few promises per batch, not one per decision', async () => {
    const trail = createAuditTrail({ store: sealingStore(), key: TEST_KEY, maxBatch: 500 });
    const { engine, decide } = fakeEngine();
    trail.attach(engine);
    decide(-1, 'u-warm'); // first use: keys derived, the batch machinery warmed up
    await trail.flush();
    let promises = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'PROMISE') promises++;
      },
    }).enable();
    try {
      for (let i = 0; i < 200; i++) decide(i, `u-${i % 7}`);
    } finally {
      hook.disable();
    }
    // One batch for the burst: its queued write is a handful of promises, whatever the burst's size.
    expect(promises).toBeLessThan(10);
    await trail.flush();
    expect(await trail.verify()).toMatchObject({ ok: true, checked: 201 });
  });

  it('count a failed write in the next signed gap entry, so the trail says they are missing', async () => {
    const inner = sealingStore();
    let failing = true;
    const store: AuditStore = {
      ...inner,
      appendSealed: (batch) =>
        failing ? Promise.reject(new Error('disk I/O error')) : inner.appendSealed(batch),
    };
    const errors: unknown[] = [];
    const trail = createAuditTrail({ store, key: TEST_KEY, onError: (e) => errors.push(e) });
    const { engine, decide } = fakeEngine();
    trail.attach(engine);
    for (let i = 0; i < 3; i++) decide(i);
    await trail.flush();
    expect(errors).toHaveLength(3);
    expect(trail.stats()).toMatchObject({ unrecorded: 3, pendingGap: 3, queued: 0 });
    failing = false;
    decide(3);
    await trail.flush();
    const entries = await inner.list();
    expect(
      entries.map((e) => (isGapPayload(e.payload) ? `gap ${e.payload.unrecorded}` : e.payload?.traceId)),
    ).toEqual(['gap 3', sampleDecision(3).traceId]);
    expect(trail.stats()).toMatchObject({ unrecorded: 3, pendingGap: 0, gaps: 1 });
    expect(await trail.verify()).toMatchObject({ ok: true, gaps: 1, unrecorded: 3 });
  });
});
