// The audit trail's cost per decision on the main thread, side by side in one process: the same
// decisions recorded as a server records them (attach(): the orchestrator's hooks, nobody waits)
// and by record() (awaited), into a memory store, into SQLite on the main thread, into SQLite
// through a worker thread (sqliteAuditThreadStore) and through the database threads the server
// uses by default (openSqliteStores). The SQLite stores seal entries on their own thread
// (appendSealed: the main thread only writes each payload's canonical JSON); the rows "sealed by
// the trail" hide appendSealed from the trail, so it hashes and links on the main thread as it did
// before, for the ratio. Measured as the main thread's own CPU time per recorded decision over
// bursts shaped like a busy server's (64 decisions at a time, made beforehand).
// Goal: an entry ≤ 25 µs of main-thread CPU. Prints ratios to the memory store's attach() row.
//
//   pnpm --filter @tactful/store-sqlite bench      (after a build)
//   BENCH_MS=1500 BENCH_ROUNDS=3 BENCH_ONLY=<part of a row's name> node bench/audit.bench.mjs
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditTrail, memoryAuditStore } from '@tactful/audit';
import { nodeAuditHashing } from '@tactful/audit/node';
import { openSqliteStores, sqliteAuditStore, sqliteAuditThreadStore } from '../dist/index.js';

const ms = Number(process.env.BENCH_MS ?? 1500);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const KEY = 'audit-bench-key-0123456789abcdef0123456789';
const PURPOSES = ['personalization.contextual', 'personalization.profile', 'personalization.session'];
const NOTICE = 'a'.repeat(64);

/** A decision shaped like the storefront's: 5 slots, 3 purposes, 7 categories. */
function decision(i) {
  return {
    traceId: `trace-${i.toString(36).padStart(10, '0')}`,
    decidedAt: new Date(Date.UTC(2026, 11, 3, 12, 0, 0, i)).toISOString(),
    slots: ['home.hero', 'home.banner', 'home.rail', 'home.continue', 'page.notice'].map((slot, k) => ({
      slot,
      content: { k },
      variant: `v-${k}`,
      strategy: k < 2 ? '@tactful/dynamic-content' : '@tactful/anonymous-session',
      isDefault: false,
      explanation: {
        strategy: 's',
        summary: { en: 'x', vi: 'x' },
        signals: [],
        purposes: PURPOSES,
        categories: [],
      },
    })),
    purposesUsed: PURPOSES,
    categoriesUsed: [
      'context.device',
      'context.locale',
      'context.location.coarse',
      'context.time',
      'context.weather',
      'profile.preferences',
      'session.events',
    ],
    dropped: [],
    consent: {
      purposes: Object.fromEntries(
        PURPOSES.map((p, k) => [
          p,
          {
            status: 'granted',
            provider: 'opt-in-consent',
            recordId: `cr_${k}`,
            reason: 'granted',
            noticeVersion: NOTICE,
          },
        ]),
      ),
      noticeVersion: NOTICE,
      signals: { gpc: false, dnt: false },
    },
  };
}

/** Decisions made beforehand, so the bench measures the trail, not building its input. */
const DECISIONS = Array.from({ length: 4096 }, (_, i) => decision(i));

const TICK_US = 10_000;
/**
 * The main thread's own CPU time in µs: Linux's per-thread counters (/proc/self/task/<pid>/stat,
 * clock ticks), so neither other threads (GC, JIT) nor other processes on a busy machine count;
 * elsewhere the process's CPU time.
 */
function mainThreadCpu() {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    const { user, system } = process.cpuUsage();
    return user + system;
  }
}

/** An orchestrator stand-in with the hooks the trail attaches to, called as decide() calls them. */
function hookedEngine() {
  const hooks = [];
  return {
    engine: { addHooks: (h) => hooks.push(h) },
    decide(decision, subjectId) {
      const request = { subject: { id: subjectId } };
      for (const h of hooks) h.beforeDecision({ traceId: decision.traceId, request });
      for (const h of hooks) h.afterDecision({ traceId: decision.traceId, decision });
    },
  };
}

/**
 * Main-thread CPU µs per recorded decision for one trail over `ms` milliseconds: the event loop's
 * own CPU time, so background threads (the store's, GC, JIT), other processes and idle waits for
 * the batch window do not count. Bursts of 64 keep coming while earlier ones are written (at most
 * 4 bursts in flight for record(); attach() recordings are bounded by the trail's maxQueue), as
 * on a busy server.
 */
async function measure(row) {
  let i = 0;
  const started = performance.now();
  const cpu = mainThreadCpu();
  const inFlight = [];
  while (performance.now() - started < ms) {
    if (row.path === 'attach') {
      for (let k = 0; k < 64; k++, i++) row.decide(DECISIONS[i % DECISIONS.length], `u-${i % 500}`);
      // As a server: the next requests come while the store writes (waits only when far behind).
      if (row.trail.stats().queued > 2048) await row.trail.flush();
    } else {
      const burst = [];
      for (let k = 0; k < 64; k++, i++)
        burst.push(row.trail.record(DECISIONS[i % DECISIONS.length], { subject: `u-${i % 500}` }));
      inFlight.push(Promise.all(burst));
      if (inFlight.length >= 4) await inFlight.shift();
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(inFlight);
  await row.trail.flush();
  const stats = row.trail.stats();
  if (stats.unrecorded > 0) throw new Error(`${row.name}: ${stats.unrecorded} decisions not recorded`);
  return (mainThreadCpu() - cpu) / i;
}

const dir = mkdtempSync(join(tmpdir(), 'tactful-audit-bench-'));
const hashing = nodeAuditHashing();
/** Hides appendSealed, so the trail digests and links entries on the main thread. */
const trailSeals = (store) => ({ ...store, appendSealed: undefined });
const STORES = [
  ['memory (trail seals)', () => memoryAuditStore()],
  ['SQLite, main thread', (f) => sqliteAuditStore({ filename: f })],
  ['SQLite, worker thread (trail seals)', (f) => trailSeals(sqliteAuditThreadStore({ filename: f }))],
  ['SQLite, worker thread', (f) => sqliteAuditThreadStore({ filename: f })],
  [
    'SQLite, database threads (trail seals)',
    async (f) => trailSeals((await openSqliteStores({ filename: f })).audit),
  ],
  ['SQLite, database threads (server default)', async (f) => (await openSqliteStores({ filename: f })).audit],
];
const rows = [];
for (const [storeName, open] of STORES) {
  for (const path of ['attach', 'record']) {
    const name = `${storeName}, ${path === 'attach' ? 'attach()' : 'record() awaited'}`;
    if (process.env.BENCH_ONLY && !name.includes(process.env.BENCH_ONLY)) continue;
    const store = await open(join(dir, `${rows.length}.db`));
    const trail = createAuditTrail({ store, key: KEY, hashing });
    const { engine, decide } = hookedEngine();
    if (path === 'attach') trail.attach(engine);
    rows.push({ name, storeName, path, store, trail, decide, runs: [] });
  }
}
for (const row of rows) await measure(row);
for (let r = 0; r < rounds; r++) for (const row of rows) row.runs.push(await measure(row));
const mid = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const base = rows[0];
console.log(
  `\n@tactful/audit per-entry main-thread CPU: ${rounds} rounds of ${ms} ms per row, bursts of 64, Node ${process.version}`,
);
console.table(
  rows.map((row) => ({
    'store, path': row.name,
    'main-thread CPU µs/entry (this machine)': mid(row.runs).toFixed(1),
    [`× ${base.name}`]: mid(row.runs.map((v, i) => v / base.runs[i])).toFixed(2),
  })),
);
const ratio = (a, b) => {
  const x = rows.find((r) => r.name === a);
  const y = rows.find((r) => r.name === b);
  return x && y ? mid(x.runs.map((v, i) => v / y.runs[i])).toFixed(2) : undefined;
};
for (const [a, b] of [
  ['SQLite, database threads (server default), attach()', 'SQLite, database threads (trail seals), attach()'],
  ['SQLite, worker thread, attach()', 'SQLite, worker thread (trail seals), attach()'],
]) {
  const r = ratio(a, b);
  if (r !== undefined) console.log(`${a} / ${b}: ${r}`);
}
const server = rows.find((r) => r.name === 'SQLite, database threads (server default), attach()');
if (server)
  console.log(`server default, per entry: ${mid(server.runs).toFixed(1)} µs of main-thread CPU (goal <= 25)`);
for (const row of new Set(rows.map((r) => r.store))) await row.close?.();
rmSync(dir, { recursive: true, force: true });
