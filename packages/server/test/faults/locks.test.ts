import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTH,
  DECIDE_BODY,
  PURPOSES,
  type ServerProcess,
  grantAll,
  havePython,
  holdWalIndexLocks,
  holdWriteLock,
  sleep,
  startServer,
  timed,
} from './harness.js';

interface Decision {
  slots: Array<{ isDefault: boolean }>;
  degraded?: { reason: string };
  dropped: Array<{ reason: string }>;
}

/** Probes /healthz every 100 ms while `during` runs; returns the slowest answer (ms). */
async function slowestHealth(url: string, during: Promise<unknown>): Promise<number> {
  let done = false;
  void during.finally(() => {
    done = true;
  });
  let slowest = 0;
  let probes = 0;
  while (!done || probes < 5) {
    const h = await timed(`${url}/healthz`);
    expect(h.status).toBe(200);
    slowest = Math.max(slowest, h.ms);
    probes++;
    await sleep(100);
  }
  return slowest;
}

const decide = (url: string, subject: string) =>
  timed(`${url}/v1/decide`, { headers: { ...AUTH, 'tactful-subject': subject }, body: DECIDE_BODY });

const stateOf = async (url: string, subject: string) =>
  JSON.parse(
    (await timed(`${url}/v1/consent`, { headers: { ...AUTH, 'tactful-subject': subject } })).body,
  ) as {
    purposes: Record<string, { status: string }>;
  };

describe('another process holds the database’s locks (a backup, the CLI, a migration)', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer();
    expect((await grantAll(server.url, 'u-lock')).status).toBe(200);
  }, 60_000);
  afterAll(() => server?.stop());

  it('holding the write lock: /healthz stays fast, decisions answer on time, and a consent write that could not start answers 503 and is never done later', async () => {
    const lock = await holdWriteLock(server.database);
    let write: Awaited<ReturnType<typeof grantAll>>;
    try {
      const writing = grantAll(server.url, 'u-during');
      const decisions = Promise.all([1, 2, 3].map(() => decide(server.url, 'u-lock')));
      const slowest = await slowestHealth(server.url, writing);
      // In-process SQLite held the event loop for the whole busy timeout (5 s and more).
      expect(slowest).toBeLessThan(2500);
      for (const d of await decisions) {
        expect(d.status).toBe(200);
        expect(d.ms).toBeLessThan(4000);
      }
      write = await writing;
    } finally {
      await lock.release();
    }
    expect(write.status).toBe(503);
    expect(JSON.parse(write.body)).toMatchObject({ recorded: false });
    expect(write.headers.get('retry-after')).toBeTruthy();
    // Released: the refused write does not show up later, and new writes go through.
    await sleep(500);
    const state = await stateOf(server.url, 'u-during');
    for (const p of PURPOSES) expect(state.purposes[p]?.status).toBe('denied');
    expect((await grantAll(server.url, 'u-after')).status).toBe(200);
  }, 60_000);

  it.skipIf(!havePython())(
    'holding the WAL-index locks: /healthz stays fast and every decision returns by its deadline with default content and a reason',
    async () => {
      const lock = await holdWalIndexLocks(server.database);
      try {
        const decisions = Promise.all([1, 2, 3].map(() => decide(server.url, 'u-lock')));
        const slowest = await slowestHealth(server.url, decisions);
        expect(slowest).toBeLessThan(2500);
        for (const d of await decisions) {
          expect(d.status).toBe(200);
          // The decision's deadline is 1 s; in-process SQLite took 10 s and more.
          expect(d.ms).toBeLessThan(4000);
          const body = JSON.parse(d.body) as Decision;
          expect(body.slots.every((s) => s.isDefault)).toBe(true);
          expect(body.degraded?.reason).toBe('consent-unavailable');
          // No reason gives a negative time.
          expect(d.body).not.toMatch(/-\d+ ?ms/);
        }
      } finally {
        await lock.release();
      }
      // Released: personalized again.
      await expect
        .poll(async () => (JSON.parse((await decide(server.url, 'u-lock')).body) as Decision).degraded, {
          timeout: 15_000,
          interval: 500,
        })
        .toBeUndefined();
    },
    60_000,
  );
});
