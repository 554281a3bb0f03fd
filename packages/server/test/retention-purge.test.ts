import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTactful, loadConfig } from '@tactful/config';
import type { SubjectStore } from '@tactful/core';
import { type TactfulServer, createServer } from '@tactful/server';
import { memorySubjectStore } from '@tactful/subject';
import { afterEach, describe, expect, it, vi } from 'vitest';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const DAY = 86_400_000;
let server: TactfulServer | undefined;
let dir: string | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** The shop's configuration, in a folder of its own (removed after the test). */
async function shopConfig() {
  dir = mkdtempSync(join(tmpdir(), 'tactful-server-retention-'));
  cpSync(fixtures, dir, { recursive: true });
  return loadConfig(join(dir, 'shop.config.json'));
}

describe('the server’s scheduled retention purge', () => {
  it('purges subject data past retention on its own and counts it in stats()', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const { config, baseDir } = await shopConfig();
    server = await createServer(
      {
        ...config,
        retention: { subjects: { 'behavior.pageviews': 30 }, purge: { intervalMinutes: 5, batchSize: 1000 } },
      },
      { baseDir, log: false },
    );
    const old = Date.now() - 40 * DAY;
    await server.tactful.subjects.recordEvents(
      'u-1',
      ['a', 'b', 'c'].map((id) => ({
        id,
        category: 'behavior.pageviews' as const,
        data: { at: new Date(old).toISOString(), url: '/' },
      })),
      { now: old },
    );
    expect(server.stats()).toMatchObject({
      retentionPurged: { subjects: 0, audit: 0 },
      retentionFailures: 0,
    });
    // To the purge's timer (one interval, ±10%): nothing else is waiting on the fake clock. The
    // database calls it makes then run in real time (their deadlines are not skipped over).
    while (server.tactful.retention?.stats().runs === 0) await vi.advanceTimersToNextTimerAsync();
    await vi.waitFor(() => expect(server!.stats().retentionPurged.subjects).toBe(3), {
      timeout: 20_000,
      interval: 200,
    });
    expect(await server.tactful.subjects.listEvents('u-1', 'behavior.pageviews', { now: old })).toEqual([]);
    expect(server.stats().retentionFailures).toBe(0);
  }, 60_000);
});

/** A memory subject store whose purges are recorded and may be held (`hold`) until released. */
function heldSubjectStore() {
  const inner = memorySubjectStore();
  const calls: number[] = [];
  const state = { hold: false, releases: [] as Array<() => void> };
  const store: SubjectStore = {
    ...inner,
    async purgeExpired(options) {
      calls.push(Date.now());
      if (state.hold) await new Promise<void>((r) => state.releases.push(r));
      return inner.purgeExpired(options);
    },
  };
  return { store, calls, state };
}

/** The shop with `subject` as its subject store and a purge every 5 minutes (±10%). */
async function assemblyWith(subject: SubjectStore, onError: (error: unknown) => void) {
  const { config, baseDir } = await shopConfig();
  return createTactful(
    { ...config, retention: { subjects: {}, purge: { intervalMinutes: 5, batchSize: 1000 } } },
    { baseDir, stores: { subject }, retentionPurge: { onError } },
  );
}

describe('the scheduled retention purge while the server drains', () => {
  it('pauses while a server given an assembly drains, and runs again once that server has closed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const held = heldSubjectStore();
    const tactful = await assemblyWith(held.store, () => {});
    try {
      server = await createServer(tactful, { log: false });
      const running = await server.listen({ host: '127.0.0.1', port: 0 });
      // The listener shuts down (what a SIGTERM starts): the server drains from here on.
      await running.close();
      const before = tactful.retention!.stats();
      // Past two purge intervals (5 minutes ±10%) while draining: no purge starts.
      await vi.advanceTimersByTimeAsync(2 * 5.5 * 60_000);
      expect(held.calls).toHaveLength(0);
      expect(tactful.retention!.stats().skipped).toBeGreaterThan(before.skipped);
      await server.close();
      server = undefined;
      // The assembly lives on after its server: its purge runs again.
      await vi.advanceTimersByTimeAsync(5.5 * 60_000);
      await vi.waitFor(() => expect(held.calls.length).toBeGreaterThan(0), { timeout: 5000 });
    } finally {
      await tactful.close();
    }
  }, 60_000);

  it('close() with a purge hanging in its store ends by the call deadline and leaves no purge timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const held = heldSubjectStore();
    held.state.hold = true;
    const errors: unknown[] = [];
    const tactful = await assemblyWith(held.store, (e) => errors.push(e));
    server = await createServer(tactful, { log: false });
    const running = await server.listen({ host: '127.0.0.1', port: 0 });
    await vi.advanceTimersByTimeAsync(5.5 * 60_000);
    await vi.waitFor(() => expect(held.calls).toHaveLength(1), { timeout: 5000 });
    // The purge hangs; the server still answers.
    const health = await fetch(`${running.url}/healthz`);
    expect(health.status).toBe(200);
    await server.close();
    server = undefined;
    let closed = false;
    const closing = tactful.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(10_000); // the purge's call deadline (callTimeoutMs)
    await vi.waitFor(() => expect(closed).toBe(true), { timeout: 5000 });
    await closing;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'STORE_FAILED' });
    // Nothing of the schedule is left to fire: a long wait starts no second call.
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(held.calls).toHaveLength(1);
    for (const release of held.state.releases) release();
  }, 60_000);
});
