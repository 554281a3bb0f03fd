import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { isTactfulError } from '@tactful/core';
import { THREAD_CHANNEL, openSqliteStores } from '@tactful/store-sqlite';
import { consentGrant } from '@tactful/testing';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'tactful-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `restart-${n++}.sqlite`);

/** The database threads started while `run` runs, by role (the latest of each). */
async function watchingThreads<T>(run: (threads: Map<string, Worker>) => Promise<T>): Promise<T> {
  const threads = new Map<string, Worker>();
  const onThread = (message: unknown) => {
    const { worker, role } = message as { worker: Worker; role: string };
    threads.set(role, worker);
  };
  subscribe(THREAD_CHANNEL, onThread);
  try {
    return await run(threads);
  } finally {
    unsubscribe(THREAD_CHANNEL, onThread);
  }
}

async function until(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('openSqliteStores restarts a database thread that died', () => {
  it('fails fast while the writer is down, says not writable, restarts it, and loses nothing acknowledged', async () => {
    await watchingThreads(async (threads) => {
      const stores = await openSqliteStores({
        filename: file(),
        restart: { minDelayMs: 200, maxDelayMs: 400 },
      });
      try {
        const writer = threads.get('writer')!;
        expect(writer).toBeDefined();
        // A burst of writes, the thread ended in the middle of it.
        const burst = Array.from({ length: 300 }, (_, i) =>
          stores.consent.append(consentGrant({ subject: `s-${i}` })).then(
            (record) => ({ i, ok: true as const, record }),
            (error: unknown) => ({ i, ok: false as const, error }),
          ),
        );
        await new Promise((r) => setTimeout(r, 5));
        await writer.terminate();
        // Down: a call fails at once with a typed error, and readiness says why.
        const down = await stores.consent
          .append(consentGrant({ subject: 'during' }))
          .catch((e: unknown) => e);
        expect(isTactfulError(down) && down.code).toBe('STORE_FAILED');
        expect((down as Error).message).toMatch(/restarting/);
        const writable = await stores.checkWritable();
        expect(writable.writable).toBe(false);
        expect(writable.reason).toMatch(/database thread stopped/);

        const results = await Promise.all(burst);
        for (const r of results)
          if (!r.ok) expect(isTactfulError(r.error) && r.error.code).toBe('STORE_FAILED');
        const acknowledged = results.filter((r) => r.ok);

        // It comes back by itself, and serves reads and writes again.
        await until(async () => (await stores.checkWritable()).writable);
        expect(stores.stats().restarts).toBe(1);
        expect(threads.get('writer')).not.toBe(writer);
        await stores.consent.append(consentGrant({ subject: 'after' }));
        expect((await stores.consent.latest('after')).size).toBe(1);
        // Every write that was acknowledged is there.
        for (const r of acknowledged) {
          const latest = await stores.consent.latest(`s-${r.i}`);
          expect(latest.get('personalization.profile')?.id).toBe(r.ok ? r.record.id : undefined);
        }
      } finally {
        await stores.close();
      }
    });
  });

  it('restarts the reader too, and a thread that keeps dying is restarted with a growing delay', async () => {
    await watchingThreads(async (threads) => {
      const stores = await openSqliteStores({
        filename: file(),
        restart: { minDelayMs: 50, maxDelayMs: 5000 },
      });
      try {
        await stores.consent.append(consentGrant({ subject: 'kept' }));
        const gaps: number[] = [];
        for (let round = 0; round < 3; round++) {
          const reader = threads.get('reader')!;
          const stoppedAt = Date.now();
          await reader.terminate();
          const failed = await Promise.resolve()
            .then(() => stores.consent.latest('kept'))
            .catch((e: unknown) => e);
          expect(isTactfulError(failed) && failed.code).toBe('STORE_FAILED');
          await until(async () => (await stores.checkWritable()).writable);
          gaps.push(Date.now() - stoppedAt);
          expect(threads.get('reader')).not.toBe(reader);
        }
        expect(stores.stats().restarts).toBe(3);
        // 50, 100, 200 ms: each restart waited at least as long as its delay.
        expect(gaps[1]).toBeGreaterThanOrEqual(100);
        expect(gaps[2]).toBeGreaterThanOrEqual(200);
        expect((await stores.consent.latest('kept')).size).toBe(1);
      } finally {
        await stores.close();
      }
    });
  });

  it('does not restart a thread once the stores are closed', async () => {
    await watchingThreads(async (threads) => {
      const stores = await openSqliteStores({
        filename: file(),
        restart: { minDelayMs: 10, maxDelayMs: 20 },
      });
      const writer = threads.get('writer')!;
      await stores.close();
      await new Promise((r) => setTimeout(r, 100));
      expect(threads.get('writer')).toBe(writer);
      const closed = await stores.consent.append(consentGrant()).catch((e: unknown) => e);
      expect(isTactfulError(closed) && closed.code).toBe('STORE_FAILED');
    });
  });

  it('refuses a restart policy that is not a whole number of milliseconds', async () => {
    await expect(openSqliteStores({ filename: file(), restart: { minDelayMs: -1 } })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      path: ['restart.minDelayMs'],
    });
  });

  it("with reads: 'main-first', keeps answering reads on the caller's thread while the reader thread is down, and a write after the restart is seen", async () => {
    await watchingThreads(async (threads) => {
      const stores = await openSqliteStores({
        filename: file(),
        reads: 'main-first',
        restart: { minDelayMs: 200, maxDelayMs: 400 },
      });
      try {
        await stores.consent.append(consentGrant({ subject: 'r-1' }));
        const reader = threads.get('reader')!;
        await reader.terminate();
        await until(
          async () => stores.stats().restarts === 0 && (await stores.checkWritable()).writable === false,
        );
        // The reader thread is down (its calls would fail at once); reads here go on.
        expect((await stores.consent.latest('r-1')).size).toBe(1);
        expect((await stores.consent.history('r-1')).length).toBe(1);
        await until(async () => stores.stats().restarts === 1);
        await stores.consent.append(consentGrant({ subject: 'r-1', purpose: 'measurement' }));
        expect((await stores.consent.latest('r-1')).size).toBe(2);
        expect(stores.stats().mainReads).toMatchObject({ fellBack: 0, suspended: false });
      } finally {
        await stores.close();
      }
    });
  });
});
