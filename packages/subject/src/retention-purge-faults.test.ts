import type { TactfulError } from '@tactful/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backlogPurgeStore, fakePurgeStore } from './retention-purge-fakes.js';
import { scheduleRetentionPurge } from './retention-purge.js';

const HOUR = 3_600_000;

const fakeStore = fakePurgeStore;

/** A promise with its resolve handle. */
function pending<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('scheduleRetentionPurge against a hostile or broken store', () => {
  const unhandled = vi.fn();
  beforeEach(() => {
    vi.useFakeTimers();
    unhandled.mockClear();
    process.on('unhandledRejection', unhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', unhandled);
    vi.useRealTimers();
  });

  it('a store that hangs: reported once past callTimeoutMs, once per interval while it still hangs, never called twice at once, and stop() does not wait forever', async () => {
    const late = pending<{ removed: number }>();
    const { store, calls } = fakeStore(() => late.promise);
    const onError = vi.fn();
    const purger = scheduleRetentionPurge({
      store,
      intervalMs: HOUR,
      jitter: 0,
      callTimeoutMs: 5000,
      onError,
    });
    await vi.advanceTimersByTimeAsync(HOUR + 4999);
    expect(calls).toHaveLength(1);
    expect(onError).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringContaining('callTimeoutMs'),
    });
    // Three more intervals while the call still hangs: one report each, no second call on top.
    await vi.advanceTimersByTimeAsync(3 * HOUR);
    expect(calls).toHaveLength(1);
    expect(onError).toHaveBeenCalledTimes(4);
    expect(purger.stats()).toMatchObject({ failures: 4, skipped: 3, lastError: 'STORE_FAILED' });
    // It answers at last: what it deleted is counted, and the next interval calls it again.
    late.resolve({ removed: 4 });
    await vi.advanceTimersByTimeAsync(0);
    expect(purger.stats().removed).toBe(4);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(calls).toHaveLength(2);
    expect(onError).toHaveBeenCalledTimes(4);
    // stop() with the second call hanging resolves by that call's deadline.
    let stopped = false;
    void purger.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(5000);
    expect(stopped).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('a store that answers garbage: reported once per interval as STORE_FAILED naming `removed`, counts stay whole numbers, no run of follow-up batches', async () => {
    for (const garbage of [
      undefined,
      null,
      42,
      'removed',
      {},
      { removed: Number.NaN },
      { removed: -1 },
      { removed: 1.5 },
      { removed: '3' },
      { removed: Number.POSITIVE_INFINITY },
      { removed: 1001 },
    ]) {
      const { store, calls } = fakeStore(async () => garbage);
      const onError = vi.fn();
      const purger = scheduleRetentionPurge({ store, intervalMs: HOUR, jitter: 0, batchSize: 1000, onError });
      await vi.advanceTimersByTimeAsync(2 * HOUR);
      expect(calls, JSON.stringify(garbage)).toHaveLength(2);
      expect(onError).toHaveBeenCalledTimes(2);
      expect(onError.mock.calls[0]?.[0]).toMatchObject({
        code: 'STORE_FAILED',
        message: expect.stringContaining('removed'),
      });
      expect(purger.stats()).toMatchObject({ removed: 0, failures: 2, lastError: 'STORE_FAILED' });
      await purger.stop();
    }
  });

  it('for every answer a store may give (fast-check), the schedule stays bounded: at most maxBatchesPerInterval calls and one report per interval, whole-number counts, no unhandled rejection', async () => {
    const answer = fc.oneof(
      fc.anything(),
      fc.record({ removed: fc.oneof(fc.integer({ min: -5, max: 20 }), fc.double(), fc.anything()) }),
      fc.constant('throw'),
      fc.constant('throw-sync'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 20 }), async (answers) => {
        let i = 0;
        const { store, calls } = fakeStore(() => {
          const a = answers[i++ % answers.length];
          if (a === 'throw-sync') throw new Error('sync');
          if (a === 'throw') return Promise.reject(new Error('async'));
          return Promise.resolve(a);
        });
        const onError = vi.fn();
        const purger = scheduleRetentionPurge({
          store,
          intervalMs: HOUR,
          jitter: 0,
          batchSize: 10,
          batchPauseMs: 0,
          maxBatchesPerInterval: 5,
          onError,
        });
        await vi.advanceTimersByTimeAsync(3 * HOUR);
        await purger.stop();
        const s = purger.stats();
        expect(calls.length).toBeLessThanOrEqual(3 * 5);
        expect(onError.mock.calls.length).toBeLessThanOrEqual(3);
        expect(Number.isSafeInteger(s.removed) && s.removed >= 0).toBe(true);
        expect(s.failures).toBe(onError.mock.calls.length);
      }),
      { numRuns: 60 },
    );
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('a store that answers "full" forever runs at most maxBatchesPerInterval batches per interval', async () => {
    const { store, calls } = fakeStore(async (limit) => ({ removed: limit }));
    const purger = scheduleRetentionPurge({
      store,
      intervalMs: HOUR,
      jitter: 0,
      batchSize: 100,
      batchPauseMs: 10,
      maxBatchesPerInterval: 4,
    });
    await vi.advanceTimersByTimeAsync(HOUR + 1000);
    expect(calls).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(calls).toHaveLength(8);
    await purger.stop();
  });

  it('another target (the audit trail) that hangs or answers garbage is reported the same way', async () => {
    const onError = vi.fn();
    const { store } = fakeStore(async () => ({ removed: 0 }));
    const purger = scheduleRetentionPurge({
      store,
      also: [{ name: 'audit', purge: () => new Promise(() => {}) }],
      intervalMs: HOUR,
      jitter: 0,
      callTimeoutMs: 1000,
      onError,
    });
    await vi.advanceTimersByTimeAsync(HOUR + 1000);
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: 'STORE_FAILED', path: ['audit.purge'] });
    await purger.stop();
    const garbage = scheduleRetentionPurge({
      store,
      also: [{ name: 'audit', purge: async () => ({ purged: -3 }) as never }],
      intervalMs: HOUR,
      jitter: 0,
      onError,
    });
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(onError.mock.calls[1]?.[0]).toMatchObject({
      code: 'STORE_FAILED',
      path: ['audit.purge', 'purged'],
    });
    expect(garbage.stats().purgedOther).toBe(0);
    await garbage.stop();
  });

  it('purgeNow() (the `tactful purge` command) rejects on a hanging store by its deadline instead of waiting forever', async () => {
    const { store } = fakeStore(() => new Promise(() => {}));
    const purger = scheduleRetentionPurge({ store, callTimeoutMs: 2000 });
    const run = purger.purgeNow();
    const outcome = run.then(
      () => 'resolved',
      (e: TactfulError) => e.code,
    );
    await vi.advanceTimersByTimeAsync(2000);
    expect(await outcome).toBe('STORE_FAILED');
    await purger.stop();
  });

  it('a skip() that throws is reported, the run skipped, and the schedule goes on', async () => {
    const onError = vi.fn();
    let broken = true;
    const skipping = scheduleRetentionPurge({
      store: fakeStore(async () => ({ removed: 0 })).store,
      intervalMs: HOUR,
      jitter: 0,
      onError,
      skip: () => {
        if (broken) throw new Error('skip broke');
        return false;
      },
    });
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(skipping.stats()).toMatchObject({ runs: 0, skipped: 1, failures: 1 });
    broken = false;
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(skipping.stats().runs).toBe(1);
    await skipping.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(unhandled).not.toHaveBeenCalled();
  });
});

describe('scheduleRetentionPurge while a server drains', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('draining between two batches: the next batch does not start, the other targets do not run, and it resumes after', async () => {
    const { store, calls, left } = backlogPurgeStore(2500);
    const audit = vi.fn(async () => ({ purged: 1 }));
    let draining = false;
    const purger = scheduleRetentionPurge({
      store,
      also: [{ name: 'audit', purge: audit }],
      intervalMs: HOUR,
      jitter: 0,
      batchSize: 1000,
      batchPauseMs: 500,
      skip: () => draining,
    });
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(calls).toHaveLength(1);
    draining = true;
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(1);
    expect(audit).not.toHaveBeenCalled();
    expect(purger.stats().skipped).toBe(1);
    draining = false;
    await vi.advanceTimersByTimeAsync(HOUR + 1000);
    expect(calls).toHaveLength(3);
    expect(left()).toBe(0);
    expect(audit).toHaveBeenCalledTimes(1);
    await purger.stop();
  });

  it('stop() while a batch is in flight: the batch ends whole and is counted, nothing after it starts, no timer is left', async () => {
    const batch = pending<{ removed: number }>();
    const { store, calls } = fakeStore(() => batch.promise);
    const audit = vi.fn(async () => ({ purged: 1 }));
    const purger = scheduleRetentionPurge({
      store,
      also: [{ name: 'audit', purge: audit }],
      intervalMs: HOUR,
      jitter: 0,
      batchSize: 1000,
    });
    await vi.advanceTimersByTimeAsync(HOUR);
    const stopping = purger.stop();
    batch.resolve({ removed: 10 });
    await stopping;
    expect(purger.stats().removed).toBe(10);
    expect(audit).not.toHaveBeenCalled(); // no new store call once stopping
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10 * HOUR);
    expect(calls).toHaveLength(1);
  });

  it('pauseWhile() adds a reason to skip (a server given this purger draining); its remover ends it', async () => {
    const { store, calls } = fakeStore(async () => ({ removed: 0 }));
    const purger = scheduleRetentionPurge({ store, intervalMs: HOUR, jitter: 0 });
    let draining = true;
    const unpause = purger.pauseWhile(() => draining);
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(calls).toHaveLength(0);
    unpause();
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(calls).toHaveLength(1);
    expect(() => purger.pauseWhile(42 as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    draining = false;
    await purger.stop();
  });

  it('stop() with nothing in flight clears every timer at once', async () => {
    const { store } = fakeStore(async () => ({ removed: 0 }));
    const purger = scheduleRetentionPurge({ store, intervalMs: HOUR, jitter: 0 });
    await vi.advanceTimersByTimeAsync(HOUR + 10);
    expect(vi.getTimerCount()).toBe(1); // the next interval
    await purger.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
