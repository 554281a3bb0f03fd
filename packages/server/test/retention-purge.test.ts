import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@tactful/config';
import { type TactfulServer, createServer } from '@tactful/server';
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

describe('the server’s scheduled retention purge', () => {
  it('purges subject data past retention on its own and counts it in stats()', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    dir = mkdtempSync(join(tmpdir(), 'tactful-server-retention-'));
    cpSync(fixtures, dir, { recursive: true });
    const { config, baseDir } = await loadConfig(join(dir, 'shop.config.json'));
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
