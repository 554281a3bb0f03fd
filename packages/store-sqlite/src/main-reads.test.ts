import { spawn } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Worker } from 'node:worker_threads';
import { isTactfulError, isThenable } from '@tactful/core';
import {
  type SqliteStores,
  THREAD_CHANNEL,
  openSqliteStores,
  sqliteConsentStore,
} from '@tactful/store-sqlite';
import {
  consentGrant,
  describeConsentStoreConformance,
  describeSubjectStoreConformance,
} from '@tactful/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { havePython, holdWalIndexLocks, holdWriteLock } from './fixtures/lock-holder.js';

const dir = mkdtempSync(join(tmpdir(), 'tactful-main-reads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `main-${n++}.sqlite`);

const opened = new WeakMap<object, { stores: SqliteStores; filename: string }>();

describeConsentStoreConformance({
  name: "openSqliteStores consent, reads on the caller's thread first",
  create: async ({ clock }) =>
    (await openSqliteStores({ filename: file(), clock, reads: 'main-first' })).consent,
});

async function subjectStore(filename: string, now: () => number) {
  const stores = await openSqliteStores({ filename, clock: now, reads: 'main-first' });
  opened.set(stores.subject, { stores, filename });
  return stores.subject;
}

describeSubjectStoreConformance("openSqliteStores subject, reads on the caller's thread first", {
  create: ({ now }) => subjectStore(file(), now),
  reopen: async (store, { now }) => {
    const { stores, filename } = opened.get(store)!;
    await stores.close();
    return subjectStore(filename, now);
  },
  dispose: (store) => opened.get(store)?.stores.close(),
});

/** The reader thread's worker of the stores opened by `open`, to count the messages it sends. */
async function withReader(
  open: () => Promise<SqliteStores>,
): Promise<{ stores: SqliteStores; reader: Worker }> {
  const threads = new Map<string, Worker>();
  const onThread = (message: unknown) => {
    const { worker, role } = message as { worker: Worker; role: string };
    threads.set(role, worker);
  };
  subscribe(THREAD_CHANNEL, onThread);
  const stores = await open().finally(() => unsubscribe(THREAD_CHANNEL, onThread));
  return { stores, reader: threads.get('reader')! };
}

/** The longest the event loop went without running a 5 ms timer while `work` ran. */
async function longestStall(
  work: () => unknown,
): Promise<{ stallMs: number; error: unknown; value: unknown }> {
  let last = performance.now();
  let stallMs = 0;
  const tick = setInterval(() => {
    const t = performance.now();
    stallMs = Math.max(stallMs, t - last);
    last = t;
  }, 5);
  let error: unknown;
  let value: unknown;
  try {
    value = await work();
  } catch (e) {
    error = e;
  }
  clearInterval(tick);
  stallMs = Math.max(stallMs, performance.now() - last);
  return { stallMs, error, value };
}

describe("openSqliteStores with reads: 'main-first'", () => {
  it("answers a decision's reads on the caller's thread, with no message to the reader thread", async () => {
    const { stores, reader } = await withReader(() =>
      openSqliteStores({ filename: file(), reads: 'main-first' }),
    );
    try {
      await stores.consent.append(consentGrant({ subject: 'm-1' }));
      await stores.subject.declarePreferences('m-1', { interests: ['kids'] });
      await stores.subject.setAttributes('m-1', { tier: 'gold' });
      let messages = 0;
      const count = () => messages++;
      reader.on('message', count);
      const latest = stores.consent.latest('m-1');
      const preferences = stores.subject.getPreferences('m-1');
      const attributes = stores.subject.getAttributes('m-1');
      const events = stores.subject.listEvents('m-1', 'behavior.pageviews');
      // Answered at once: no promise, no turn of the event loop.
      expect([latest, preferences, attributes, events].some(isThenable)).toBe(false);
      expect((latest as Map<string, unknown>).size).toBe(1);
      expect(preferences).toMatchObject({ interests: ['kids'] });
      expect(attributes).toEqual({ tier: 'gold' });
      expect(events).toEqual([]);
      // Reads whose contract is a promise still answer with one.
      expect(isThenable(stores.consent.history('m-1'))).toBe(true);
      expect(isThenable(stores.subject.isErased('m-1'))).toBe(true);
      expect((await stores.consent.history('m-1')).length).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      reader.off('message', count);
      expect(messages).toBe(0);
      expect(stores.stats().mainReads).toMatchObject({ fellBack: 0, suspended: false });
      expect(stores.stats().mainReads!.served).toBeGreaterThanOrEqual(6);
    } finally {
      await stores.close();
    }
  });

  it('rejects a bad subject id exactly as the reader thread does (never a synchronous throw)', async () => {
    const main = await openSqliteStores({ filename: file(), reads: 'main-first' });
    const thread = await openSqliteStores({ filename: file() });
    try {
      for (const bad of [42, '', 'x'.repeat(5000), { id: 'a' }]) {
        const mainAnswer = Promise.resolve().then(() => main.consent.latest(bad as never));
        const threadAnswer = Promise.resolve().then(() => thread.consent.latest(bad as never));
        const [a, b] = await Promise.allSettled([mainAnswer, threadAnswer]);
        expect(a.status).toBe('rejected');
        expect(b.status).toBe('rejected');
        const [ea, eb] = [(a as PromiseRejectedResult).reason, (b as PromiseRejectedResult).reason];
        expect({ code: ea.code, message: ea.message }).toEqual({ code: eb.code, message: eb.message });
        let answer: unknown;
        expect(() => {
          answer = main.subject.getPreferences(bad as never);
        }).not.toThrow();
        await expect(Promise.resolve(answer)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      }
      // A bad input is the caller's: it does not suspend reads on the caller's thread.
      expect(main.stats().mainReads?.suspended).toBe(false);
    } finally {
      await Promise.all([main.close(), thread.close()]);
    }
  });

  it('refuses an unknown reads mode with INVALID_OPTIONS naming it', async () => {
    await expect(openSqliteStores({ filename: file(), reads: 'sometimes' as never })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      path: ['reads'],
    });
  });

  it("keeps the event loop free while another process holds the write lock: reads are answered on the caller's thread, writes fail by their deadline", async () => {
    const name = file();
    const stores = await openSqliteStores({ filename: name, writeTimeoutMs: 400, reads: 'main-first' });
    try {
      await stores.consent.append(consentGrant({ subject: 'before' }));
      const holder = await holdWriteLock(name);
      try {
        const write = await longestStall(() => stores.consent.append(consentGrant({ subject: 'during' })));
        expect(isTactfulError(write.error) && write.error.code).toBe('STORE_FAILED');
        expect(write.stallMs).toBeLessThan(300);
        const served = stores.stats().mainReads!.served;
        const read = await longestStall(() => stores.consent.latest('before'));
        expect((read.value as Map<string, unknown>).size).toBe(1);
        expect(read.stallMs).toBeLessThan(300);
        expect(stores.stats().mainReads).toMatchObject({ served: served + 1, suspended: false });
      } finally {
        await holder.release();
      }
      expect((await stores.consent.history('during')).length).toBe(0);
    } finally {
      await stores.close();
    }
  });

  it.skipIf(!havePython())(
    "under the WAL index's read locks held outside SQLite's protocol, stalls the event loop once, then sends reads to the reader thread until it answers again",
    async () => {
      const name = file();
      const stores = await openSqliteStores({ filename: name, readTimeoutMs: 300, reads: 'main-first' });
      try {
        await stores.consent.append(consentGrant({ subject: 'wal' }));
        const other = sqliteConsentStore({ filename: name });
        await other.append(consentGrant({ subject: 'wal', purpose: 'measurement' }));
        other.close?.();
        const holder = await holdWalIndexLocks(name);
        try {
          // SQLite spins here whatever the busy timeout (walTryBeginRead: ~10 s, then SQLITE_PROTOCOL).
          const first = await longestStall(() => stores.consent.latest('wal'));
          console.info(
            `main-first read under the WAL-index locks: the event loop stalled ${first.stallMs.toFixed(0)} ms`,
          );
          expect(isTactfulError(first.error) && first.error.code).toBe('STORE_FAILED');
          expect(stores.stats().mainReads).toMatchObject({ suspended: true, fellBack: 1 });
          // From then on the reader thread takes the reads: failed by their deadline, the loop free.
          for (let i = 0; i < 3; i++) {
            const next = await longestStall(() => stores.consent.latest('wal'));
            expect(isTactfulError(next.error) && next.error.code).toBe('STORE_FAILED');
            expect(next.stallMs).toBeLessThan(300);
          }
          expect(stores.stats().mainReads).toMatchObject({ suspended: true, fellBack: 4 });
        } finally {
          await holder.release();
        }
        // Once a reader-thread read succeeds and the suspension (1 s) is over, reads come back here.
        await expect(Promise.resolve(stores.consent.latest('wal'))).resolves.toHaveProperty('size', 2);
        await new Promise((resolve) => setTimeout(resolve, 1100));
        const served = stores.stats().mainReads!.served;
        expect(isThenable(stores.consent.latest('wal'))).toBe(false);
        expect(stores.stats().mainReads).toMatchObject({ served: served + 1, suspended: false });
      } finally {
        await stores.close();
      }
    },
    60_000,
  );

  it.skipIf(!havePython())(
    'two reads in a row slowed by brief locks suspend reads on the caller’s thread; the reader thread gives the same answer meanwhile',
    async () => {
      const name = file();
      const stores = await openSqliteStores({ filename: name, reads: 'main-first' });
      // Another process that, on each line it is sent, takes the read-mark locks (bytes 123..127 of
      // the -shm file) and lets go of them by itself 150 ms later (this thread is blocked meanwhile).
      const holder = spawn(
        'python3',
        [
          '-c',
          `import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
for line in sys.stdin:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 5, 123, os.SEEK_SET)
    print("locked", flush=True)
    time.sleep(0.15)
    fcntl.lockf(fd, fcntl.LOCK_UN, 5, 123, os.SEEK_SET)
    print("free", flush=True)`,
          `${name}-shm`,
        ],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      const lines = createInterface({ input: holder.stdout! });
      const said = (word: string) =>
        new Promise<void>((resolve) => {
          const on = (line: string) => {
            if (line !== word) return;
            lines.off('line', on);
            resolve();
          };
          lines.on('line', on);
        });
      try {
        await stores.consent.append(consentGrant({ subject: 'brief' }));
        const other = sqliteConsentStore({ filename: name });
        await other.append(consentGrant({ subject: 'brief', purpose: 'measurement' }));
        other.close?.();
        const served = stores.stats().mainReads!.served;
        const slow: Array<Awaited<ReturnType<typeof longestStall>>> = [];
        for (let i = 0; i < 2; i++) {
          const locked = said('locked');
          const free = said('free');
          holder.stdin!.write('lock\n');
          await locked;
          slow.push(await longestStall(() => stores.consent.latest('brief')));
          await free;
          // Answered here, once the lock was gone.
          expect((slow[i]!.value as Map<string, unknown>).size).toBe(2);
          expect(stores.stats().mainReads!.served).toBe(served + i + 1);
          expect(stores.stats().mainReads!.suspended).toBe(i === 1);
        }
        console.info(
          `main-first reads under 150 ms read-mark locks: the event loop stalled ${slow.map((s) => s.stallMs.toFixed(0)).join(' and ')} ms`,
        );
        const fallback = stores.consent.latest('brief');
        expect(isThenable(fallback)).toBe(true);
        expect([...(await fallback).entries()]).toEqual([
          ...(slow[1]!.value as Map<string, unknown>).entries(),
        ]);
      } finally {
        holder.stdin!.end();
        lines.close();
        await stores.close();
      }
    },
    30_000,
  );
});
