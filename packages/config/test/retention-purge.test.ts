import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '@tactful/store-sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Tactful, TactfulConfigSchema, createTactful, validateConfig } from '../src/index.js';

const DAY = 86_400_000;
const SECRET = 'retention-test-secret-0123456789abcdef';
const dirs: string[] = [];
const open: Tactful[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const t of open.splice(0)) await t.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tactful-retention-'));
  dirs.push(dir);
  return dir;
}

function config(directory: string, extra: Record<string, unknown> = {}) {
  return TactfulConfigSchema.parse({
    controller: { name: 'Shop', contact: 'privacy@shop.example' },
    storage: { driver: 'sqlite', directory },
    audit: { enabled: false },
    strategies: {
      segments: {
        segments: [
          {
            name: 'browser',
            description: { en: 'browses' },
            condition: { 'stats.pageviews.count': { $gte: 1 } },
          },
        ],
      },
    },
    retention: { subjects: { 'behavior.pageviews': 30 }, purge: { intervalMinutes: 60, batchSize: 2 } },
    ...extra,
  });
}

/** Five page views 40 days old (stored when they were recent) and one from today. */
async function seed(t: Tactful): Promise<void> {
  const old = Date.now() - 40 * DAY;
  const view = (id: string, at: number) => ({
    id,
    category: 'behavior.pageviews' as const,
    data: { at: new Date(at).toISOString(), url: '/' },
  });
  await t.subjects.recordEvents(
    'u-1',
    [0, 1, 2, 3, 4].map((i) => view(`old-${i}`, old)),
    { now: old },
  );
  await t.subjects.recordEvents('u-1', [view('fresh', Date.now())]);
}

function rowsInFile(dir: string): string[] {
  const db = openDatabase(join(dir, 'tactful.sqlite'));
  try {
    return (db.prepare('SELECT id FROM subject_events ORDER BY id').all() as Array<{ id: string }>).map(
      (r) => r.id,
    );
  } finally {
    db.close();
  }
}

describe('the scheduled retention purge of createTactful', () => {
  it('deletes subject data past the configured retention from the SQLite file by itself, in batches', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const dir = await folder();
    const t = await createTactful(config(dir), { secret: SECRET });
    open.push(t);
    await seed(t);
    expect(rowsInFile(dir)).toHaveLength(6);
    expect(t.retention?.stats().removed).toBe(0);
    // One interval (60 minutes ±10%): the first batch of 2; full batches are followed by the next
    // ones a second apart, until all 5 are gone.
    // To the purge's timer: nothing else is waiting on the fake clock. The database calls it makes
    // (and the pauses between batches) then run in real time, so their deadlines are not skipped over.
    while (t.retention?.stats().runs === 0) await vi.advanceTimersToNextTimerAsync();
    await vi.waitFor(() => expect(t.retention?.stats().removed).toBe(5), { timeout: 20_000, interval: 200 });
    expect(rowsInFile(dir)).toEqual(['fresh']);
    expect(t.retention?.stats()).toMatchObject({ failures: 0 });
    expect(t.retention?.stats().runs).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('states the configured retention in the notice, and purge: false turns the schedule off', async () => {
    const dir = await folder();
    const t = await createTactful(
      config(dir, { retention: { subjects: { 'behavior.pageviews': 14 }, purge: false } }),
      {
        secret: SECRET,
      },
    );
    open.push(t);
    expect(t.retention).toBeUndefined();
    expect(t.subjects.retention['behavior.pageviews']).toBe(14);
    const provides = t.plugins.sources.flatMap((s) => s.manifest.provides);
    expect(provides).toContainEqual({ category: 'behavior.pageviews', retentionDays: 14 });
    const stated = Object.values(
      t.notice.purposes as Record<
        string,
        { categories?: Array<{ id: string; retentionDays: number | null }> }
      >,
    )
      .flatMap((p) => p.categories ?? [])
      .filter((c) => c.id === 'behavior.pageviews');
    expect(stated.length).toBeGreaterThan(0);
    expect(stated.every((c) => c.retentionDays === 14)).toBe(true);
  }, 60_000);

  it('is safe with two servers purging one SQLite file at once (each its own connections): every expired row is deleted once', async () => {
    const dir = await folder();
    const a = await createTactful(config(dir), { secret: SECRET });
    open.push(a);
    const b = await createTactful(config(dir), { secret: SECRET });
    open.push(b);
    await seed(a);
    const [ra, rb] = await Promise.all([a.retention!.purgeNow(), b.retention!.purgeNow()]);
    expect(ra.removed + rb.removed).toBe(5);
    expect(rowsInFile(dir)).toEqual(['fresh']);
  }, 60_000);

  it('stops the schedule on close(), before the database closes', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const dir = await folder();
    const errors: unknown[] = [];
    const t = await createTactful(config(dir), {
      secret: SECRET,
      retentionPurge: { onError: (e) => errors.push(e) },
    });
    await seed(t);
    await t.close();
    await vi.advanceTimersByTimeAsync(10 * 66 * 60_000);
    expect(t.retention?.stats().runs).toBe(0);
    expect(errors).toEqual([]);
    expect(rowsInFile(dir)).toHaveLength(6);
  }, 60_000);
});

describe('the purge options callTimeoutMs and maxBatchesPerInterval', () => {
  const base = {
    controller: { name: 'Shop', contact: 'privacy@shop.example' },
    storage: { driver: 'memory' },
  };

  it("default to the purge schedule's own defaults (10 s a call, 1000 batches an interval)", () => {
    const parsed = TactfulConfigSchema.parse(base);
    expect(parsed.retention.purge).toMatchObject({ callTimeoutMs: 10_000, maxBatchesPerInterval: 1000 });
  });

  it.each([
    ['callTimeoutMs', 0],
    ['callTimeoutMs', 1.5],
    ['callTimeoutMs', 3_600_001],
    ['callTimeoutMs', '10s'],
    ['maxBatchesPerInterval', 0],
    ['maxBatchesPerInterval', -3],
    ['maxBatchesPerInterval', 2_000_000],
  ])('refuses %s = %j with INVALID_CONFIG naming the field', async (field, value) => {
    const result = await validateConfig({ ...base, retention: { purge: { [field]: value } } });
    expect(result.ok).toBe(false);
    const problem = result.problems.find((p) => p.path.join('.') === `retention.purge.${field}`);
    expect(problem?.code).toBe('INVALID_CONFIG');
  });

  it('stops an interval after maxBatchesPerInterval batches, though more is left', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const dir = await folder();
    const t = await createTactful(
      config(dir, {
        retention: {
          subjects: { 'behavior.pageviews': 30 },
          purge: { intervalMinutes: 60, batchSize: 2, maxBatchesPerInterval: 1, callTimeoutMs: 30_000 },
        },
      }),
      { secret: SECRET },
    );
    open.push(t);
    await seed(t);
    while (t.retention?.stats().runs === 0) await vi.advanceTimersToNextTimerAsync();
    await vi.waitFor(() => expect(t.retention?.stats().removed).toBe(2), { timeout: 20_000, interval: 100 });
    // Well past the pause after a full batch (1 s), and short of the next interval: no second batch.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(t.retention?.stats()).toMatchObject({ runs: 1, removed: 2, failures: 0 });
    expect(rowsInFile(dir)).toHaveLength(4);
  }, 60_000);
});
