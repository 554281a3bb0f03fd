import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { AUDIT_STORE_CONFORMANCE } from '@tactful/audit';
import { isTactfulError } from '@tactful/core';
import {
  consentGrant,
  describeConsentStoreConformance,
  describeSubjectStoreConformance,
} from '@tactful/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type SqliteStores,
  THREAD_CHANNEL,
  openSqliteStores,
  sqliteConsentStore,
} from '@tactful/store-sqlite';
import { havePython, holdWalIndexLocks, holdWriteLock } from './fixtures/lock-holder.js';

const dir = mkdtempSync(join(tmpdir(), 'tactful-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `stores-${n++}.sqlite`);

const opened = new WeakMap<object, { stores: SqliteStores; filename: string }>();

describeConsentStoreConformance({
  name: 'openSqliteStores consent (database threads)',
  create: async ({ clock }) => (await openSqliteStores({ filename: file(), clock })).consent,
});

async function subjectStore(filename: string, now: () => number) {
  const stores = await openSqliteStores({ filename, clock: now });
  opened.set(stores.subject, { stores, filename });
  return stores.subject;
}

describeSubjectStoreConformance('openSqliteStores subject (database threads)', {
  create: ({ now }) => subjectStore(file(), now),
  reopen: async (store, { now }) => {
    const { stores, filename } = opened.get(store)!;
    await stores.close();
    return subjectStore(filename, now);
  },
  dispose: (store) => opened.get(store)?.stores.close(),
});

describe('openSqliteStores audit conformance (database threads)', () => {
  for (const c of AUDIT_STORE_CONFORMANCE)
    it(c.name, async () => {
      const stores = await openSqliteStores({ filename: file() });
      try {
        await c.run(() => stores.audit);
      } finally {
        await stores.close();
      }
    });
});

/** The longest the event loop went without running a 5 ms timer while `work` ran. */
async function longestStall(work: () => Promise<unknown>): Promise<{ stallMs: number; error: unknown }> {
  let last = performance.now();
  let stallMs = 0;
  const tick = setInterval(() => {
    const t = performance.now();
    stallMs = Math.max(stallMs, t - last);
    last = t;
  }, 5);
  let error: unknown;
  try {
    await work();
  } catch (e) {
    error = e;
  }
  clearInterval(tick);
  stallMs = Math.max(stallMs, performance.now() - last);
  return { stallMs, error };
}

describe('openSqliteStores under another process’s locks', () => {
  it('keeps the event loop free while another process holds the write lock, and a write that could not start is never done later', async () => {
    const name = file();
    const stores = await openSqliteStores({ filename: name, writeTimeoutMs: 400 });
    try {
      await stores.consent.append(consentGrant({ subject: 'before' }));
      const holder = await holdWriteLock(name);
      try {
        const write = await longestStall(() => stores.consent.append(consentGrant({ subject: 'during' })));
        expect(isTactfulError(write.error) && write.error.code).toBe('STORE_FAILED');
        // The old in-process store blocked the loop for the whole busy timeout (5 s by default).
        expect(write.stallMs).toBeLessThan(300);
        // Reads go on (WAL readers do not wait for writers).
        expect((await stores.consent.latest('before')).size).toBe(1);
        expect(await stores.checkWritable()).toMatchObject({ writable: false });
      } finally {
        await holder.release();
      }
      expect((await stores.consent.history('during')).length).toBe(0);
      await stores.consent.append(consentGrant({ subject: 'after' }));
      expect(await stores.checkWritable()).toEqual(expect.objectContaining({ writable: true }));
    } finally {
      await stores.close();
    }
  });

  it.skipIf(!havePython())(
    'keeps the event loop free while another process holds the WAL-index locks, failing reads by their deadline',
    async () => {
      const name = file();
      const stores = await openSqliteStores({ filename: name, readTimeoutMs: 300 });
      try {
        await stores.consent.append(consentGrant({ subject: 'wal' }));
        // Another connection commits, so the reader must look at the WAL index again.
        const other = sqliteConsentStore({ filename: name });
        await other.append(consentGrant({ subject: 'wal', purpose: 'measurement' }));
        other.close?.();
        const holder = await holdWalIndexLocks(name);
        try {
          const started = performance.now();
          const read = await longestStall(() => Promise.resolve(stores.consent.latest('wal')));
          const took = performance.now() - started;
          expect(isTactfulError(read.error) && read.error.code).toBe('STORE_FAILED');
          // In-process, this read blocked the whole process ~10 s inside SQLite.
          expect(read.stallMs).toBeLessThan(300);
          expect(took).toBeLessThan(3000);
        } finally {
          await holder.release();
        }
      } finally {
        await stores.close();
      }
    },
    30_000,
  );

  /** Opens stores on a fresh file and keeps the database threads they start, by role. */
  async function openWithThreads() {
    const threads = new Map<string, Worker>();
    const onThread = (message: unknown) => {
      const { worker, role } = message as { worker: Worker; role: string };
      threads.set(role, worker);
    };
    subscribe(THREAD_CHANNEL, onThread);
    const stores = await openSqliteStores({ filename: file() }).finally(() =>
      unsubscribe(THREAD_CHANNEL, onThread),
    );
    return { stores, threads };
  }

  it('posts the calls made in one turn to a thread as one message and gets their answers in one', async () => {
    const { stores, threads } = await openWithThreads();
    try {
      const subjects = Array.from({ length: 40 }, (_, i) => `batch-${i}`);
      await stores.consent.appendAll(subjects.map((subject) => consentGrant({ subject })));
      let answers = 0;
      const count = () => answers++;
      threads.get('reader')!.on('message', count);
      // Forty decisions' reads made in the same turn (as under load): one message each way.
      const latest = await Promise.all(subjects.map((s) => stores.consent.latest(s)));
      threads.get('reader')!.off('message', count);
      expect(answers).toBe(1);
      // Each call still got its own answer, in order.
      latest.forEach((records, i) => {
        expect([...records.values()].map((r) => r.subject)).toEqual([subjects[i]]);
      });
    } finally {
      await stores.close();
    }
  });

  it('does not hold calls for a long turn: a batch goes once it is 5 ms old or 64 calls long', async () => {
    const { stores, threads } = await openWithThreads();
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    try {
      await stores.consent.latest('warm-up');
      const sizes: number[] = [];
      const count = (replies: unknown) => {
        if (Array.isArray(replies)) sizes.push(replies.length);
      };
      threads.get('reader')!.on('message', count);
      // One turn that runs long (as Node's poll phase does with thousands of sockets readable):
      // the first call goes (with the second) when the second is made, not when the turn ends; the
      // third waits for the turn's end, which comes soon after it.
      const a = stores.consent.latest('long-turn-a');
      busy(20);
      const b = stores.consent.latest('long-turn-b');
      busy(20);
      const c = stores.consent.latest('long-turn-c');
      await Promise.all([a, b, c]);
      expect(sizes).toEqual([2, 1]);
      // A burst of 150 calls in one turn goes in messages of at most 64.
      sizes.length = 0;
      await Promise.all(Array.from({ length: 150 }, (_, i) => stores.consent.latest(`burst-${i}`)));
      threads.get('reader')!.off('message', count);
      expect(sizes.reduce((s, n) => s + n, 0)).toBe(150);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(64);
      expect(sizes.length).toBeGreaterThanOrEqual(3);
    } finally {
      await stores.close();
    }
  });

  it('fails only the call whose input cannot cross to the thread, not the calls posted with it', async () => {
    const stores = await openSqliteStores({ filename: file() });
    try {
      const bad = { ...consentGrant({ subject: 'mixed' }), source: () => 'x' } as never;
      const [before, refused, after] = await Promise.allSettled([
        stores.consent.append(consentGrant({ subject: 'mixed', purpose: 'measurement' })),
        stores.consent.append(bad),
        stores.subject.declarePreferences('mixed', { interests: ['kids'] }),
      ]);
      expect(before.status).toBe('fulfilled');
      expect(refused).toMatchObject({ status: 'rejected', reason: { code: 'INVALID_INPUT' } });
      expect(after.status).toBe('fulfilled');
      expect((await stores.consent.history('mixed')).map((r) => r.purpose)).toEqual(['measurement']);
      expect((await stores.subject.getPreferences('mixed'))?.interests).toEqual(['kids']);
    } finally {
      await stores.close();
    }
  });

  it('refuses an input that cannot cross to the database thread with INVALID_INPUT', async () => {
    const stores = await openSqliteStores({ filename: file() });
    try {
      const bad = { ...consentGrant(), source: () => 'x' } as never;
      await expect(stores.consent.append(bad)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await stores.consent.history('subject-1')).toEqual([]);
    } finally {
      await stores.close();
    }
  });
});
