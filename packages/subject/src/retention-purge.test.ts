import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TactfulError } from '@tactful/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memorySubjectStore } from './memory-subject-store.js';
import { backlogPurgeStore, fakePurgeStore } from './retention-purge-fakes.js';
import { scheduleRetentionPurge } from './retention-purge.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

const fakeStore = (answer: (limit: number | undefined) => Promise<{ removed: number }>) =>
  fakePurgeStore(answer);

describe('scheduleRetentionPurge', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('deletes data past retention on its own, without anyone calling purgeExpired', async () => {
    const store = memorySubjectStore({ retention: { 'behavior.pageviews': 30 } });
    const at = Date.now();
    await store.recordEvents(
      'u-1',
      [
        { id: 'old', category: 'behavior.pageviews', data: { at: new Date(at).toISOString(), url: '/' } },
        {
          id: 'new',
          category: 'behavior.pageviews',
          data: { at: new Date(at + 40 * DAY).toISOString(), url: '/' },
        },
      ],
      { now: at },
    );
    const purger = scheduleRetentionPurge({ store, intervalMs: HOUR, jitter: 0 });
    vi.setSystemTime(at + 45 * DAY); // the old view is now past its 30 days
    expect((await store.exportSubject('u-1')).pageviews.map((e) => e.id)).toEqual(['new']);
    expect(purger.stats().removed).toBe(0);
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(purger.stats()).toMatchObject({ runs: 1, removed: 1, failures: 0 });
    // Deleted, not just hidden: even a read at the old time finds nothing.
    expect(await store.listEvents('u-1', 'behavior.pageviews', { now: at })).toEqual([
      expect.objectContaining({ id: 'new' }),
    ]);
    await purger.stop();
  });

  it('waits one interval varied by the jitter, so servers started together spread out', async () => {
    for (const [random, wait] of [
      [0, 0.8 * HOUR],
      [0.999_999, 1.2 * HOUR],
    ] as const) {
      const { store, calls } = fakeStore(async () => ({ removed: 0 }));
      const purger = scheduleRetentionPurge({ store, intervalMs: HOUR, jitter: 0.2, random: () => random });
      await vi.advanceTimersByTimeAsync(Math.floor(wait) - 5);
      expect(calls).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(10);
      expect(calls).toHaveLength(1);
      await purger.stop();
    }
  });

  it('deletes in bounded batches: a full batch is followed by the next after a pause, then waits an interval', async () => {
    const { store, calls, left } = backlogPurgeStore(2500);
    const audit = vi.fn(async () => ({ purged: 7 }));
    const purger = scheduleRetentionPurge({
      store,
      also: [{ name: 'audit', purge: audit }],
      intervalMs: HOUR,
      jitter: 0,
      batchSize: 1000,
      batchPauseMs: 500,
    });
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(calls).toEqual([1000]);
    expect(audit).not.toHaveBeenCalled(); // the subject store is not done yet
    await vi.advanceTimersByTimeAsync(500);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toEqual([1000, 1000, 1000]);
    expect(left()).toBe(0);
    expect(audit).toHaveBeenCalledTimes(1); // once per interval, after the last batch
    await vi.advanceTimersByTimeAsync(HOUR - 1);
    expect(calls).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(4);
    expect(purger.stats()).toMatchObject({ removed: 2500, purgedOther: 14, runs: 4 });
    await purger.stop();
  });

  it('reports a failing store once per interval, never throws, and recovers when the store does', async () => {
    let broken = true;
    const { store, calls } = fakeStore(async () => {
      if (broken) throw new TactfulError('STORE_FAILED', 'disk I/O error');
      return { removed: 3 };
    });
    const onError = vi.fn();
    const purger = scheduleRetentionPurge({ store, intervalMs: HOUR, jitter: 0, batchPauseMs: 10, onError });
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      await vi.advanceTimersByTimeAsync(3 * HOUR);
      expect(calls).toHaveLength(3);
      expect(onError).toHaveBeenCalledTimes(3);
      expect(purger.stats()).toMatchObject({ failures: 3, lastError: 'STORE_FAILED', removed: 0 });
      broken = false;
      await vi.advanceTimersByTimeAsync(HOUR);
      expect(purger.stats()).toMatchObject({ failures: 3, removed: 3 });
      expect(purger.stats().lastError).toBeUndefined();
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
      await purger.stop();
    }
  });

  it('survives an error sink that throws or whose promise rejects', async () => {
    for (const sink of [
      () => {
        throw new Error('log sink down');
      },
      async () => {
        throw new Error('log sink down');
      },
    ]) {
      const { store, calls } = fakeStore(async () => Promise.reject(new Error('boom')));
      const purger = scheduleRetentionPurge({ store, intervalMs: HOUR, jitter: 0, onError: sink });
      await vi.advanceTimersByTimeAsync(2 * HOUR);
      expect(calls).toHaveLength(2);
      expect(purger.stats().failures).toBe(2);
      await purger.stop();
    }
  });

  it('skips runs while skip() says so (a server draining) and while the previous run is still going', async () => {
    let draining = true;
    let release: (() => void) | undefined;
    const { store, calls } = fakeStore(
      () =>
        new Promise((resolve) => {
          release = () => resolve({ removed: 0 });
        }),
    );
    const onError = vi.fn();
    const purger = scheduleRetentionPurge({
      store,
      intervalMs: HOUR,
      jitter: 0,
      skip: () => draining,
      onError,
      callTimeoutMs: 3_600_000,
    });
    await vi.advanceTimersByTimeAsync(2 * HOUR);
    expect(calls).toHaveLength(0);
    expect(purger.stats().skipped).toBe(2);
    draining = false;
    await vi.advanceTimersByTimeAsync(HOUR); // starts, and hangs
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(5 * HOUR); // no second run on top of the first
    expect(calls).toHaveLength(1);
    release?.();
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(calls).toHaveLength(2);
    release?.();
    await purger.stop();
  });

  it('stop() waits for the run in flight, and nothing runs after it', async () => {
    let release: (() => void) | undefined;
    const { store, calls } = fakeStore(
      () =>
        new Promise((resolve) => {
          release = () => resolve({ removed: 5 });
        }),
    );
    const purger = scheduleRetentionPurge({ store, intervalMs: HOUR, jitter: 0 });
    await vi.advanceTimersByTimeAsync(HOUR);
    let stopped = false;
    const stopping = purger.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(stopped).toBe(false);
    release?.();
    await stopping;
    expect(purger.stats().removed).toBe(5);
    await vi.advanceTimersByTimeAsync(10 * HOUR);
    expect(calls).toHaveLength(1);
  });

  it('purgeNow() runs every batch at once for a manual run, and rejects on a failing store', async () => {
    const { store } = backlogPurgeStore(2500);
    const purger = scheduleRetentionPurge({
      store,
      also: [{ name: 'audit', purge: async () => ({ purged: 2 }) }],
      batchSize: 1000,
    });
    expect(await purger.purgeNow()).toEqual({ removed: 2500, purgedOther: 2 });
    await purger.stop();
    const failing = scheduleRetentionPurge({
      store: fakeStore(async () => Promise.reject(new TactfulError('STORE_FAILED', 'x'))).store,
    });
    await expect(failing.purgeNow()).rejects.toMatchObject({ code: 'STORE_FAILED' });
    await expect(failing.purgeNow({ maxBatches: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await failing.stop();
  });

  it('refuses bad options with INVALID_OPTIONS naming the field', () => {
    const store = memorySubjectStore();
    for (const [options, field] of [
      [{ store, intervalMs: 10 }, 'intervalMs'],
      [{ store, jitter: 2 }, 'jitter'],
      [{ store, batchSize: 0 }, 'batchSize'],
      [{ store: {} }, 'store'],
    ] as const) {
      expect(() => scheduleRetentionPurge(options as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS', message: expect.stringContaining(field) }),
      );
    }
  });
});

describe('scheduleRetentionPurge timer', () => {
  it('never keeps a process alive (its timer is unref’d)', () => {
    const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `import(${JSON.stringify(entry)}).then(({ scheduleRetentionPurge, memorySubjectStore }) => {
      scheduleRetentionPurge({ store: memorySubjectStore(), intervalMs: 5000 });
      console.log('armed');
    });`;
    // With a ref'd timer the child would purge every 5 s forever and be killed by the timeout
    // (execFileSync then throws); unref'd, it exits as soon as its script is done.
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      timeout: 20_000,
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('armed');
  });
});
