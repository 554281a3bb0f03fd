// The audit trail's cost per decision on the main thread, side by side in one process: the same
// decisions recorded by the trail with its built-in JavaScript hashing, with native SHA-256 only
// (HMAC built on it), and with native HMAC on prepared keys (`nodeAuditHashing`), into a memory
// store, into SQLite on the main thread and into SQLite through a worker thread (group commit).
// Measured as the main thread's own CPU time per recorded decision (record() calls, then flush)
// over bursts shaped like a busy server's (64 decisions at a time, made beforehand).
// Goal: an entry ≤ 25 µs of main-thread CPU. Prints ratios to the built-in hashing as well.
//
//   pnpm --filter @tactful/store-sqlite bench      (after a build)
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditTrail, memoryAuditStore } from '@tactful/audit';
import { nodeAuditHashing } from '@tactful/audit/node';
import { sqliteAuditStore, sqliteAuditThreadStore } from '../dist/index.js';

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

const ALL_HASHINGS = {
  'built-in JavaScript': {},
  'native SHA-256 (HMAC on it)': { sha256: (d) => createHash('sha256').update(d).digest() },
  'native HMAC, prepared keys': { hashing: nodeAuditHashing() },
};

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

/**
 * Main-thread CPU µs per recorded decision for one trail over `ms` milliseconds: the event loop's
 * own CPU time, so background threads (GC, JIT), other processes and idle waits for the batch
 * window do not count. Bursts of 64 keep coming while earlier ones are written (at
 * most 4 bursts in flight), as on a busy server.
 */
async function measure(trail) {
  let i = 0;
  const started = performance.now();
  const cpu = mainThreadCpu();
  const inFlight = [];
  while (performance.now() - started < ms) {
    const burst = [];
    for (let k = 0; k < 64; k++) {
      burst.push(trail.record(DECISIONS[i % DECISIONS.length], { subject: `u-${i % 500}` }));
      i++;
    }
    inFlight.push(Promise.all(burst));
    if (inFlight.length >= 4) await inFlight.shift();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(inFlight);
  await trail.flush();
  return (mainThreadCpu() - cpu) / i;
}

// BENCH_ONLY=<part of a hashing name>, BENCH_STORE=<store name> measure just those (e.g. for a profile).
const HASHINGS = Object.fromEntries(
  Object.entries(ALL_HASHINGS).filter(
    ([name]) => !process.env.BENCH_ONLY || name.includes(process.env.BENCH_ONLY),
  ),
);
const dir = mkdtempSync(join(tmpdir(), 'tactful-audit-bench-'));
const trails = [];
for (const [hashingName, options] of Object.entries(HASHINGS)) {
  for (const storeName of ['memory', 'SQLite', 'SQLite, worker thread'].filter(
    (name) => !process.env.BENCH_STORE || name === process.env.BENCH_STORE,
  )) {
    const filename = join(dir, `${trails.length}.db`);
    const store =
      storeName === 'memory'
        ? memoryAuditStore()
        : storeName === 'SQLite'
          ? sqliteAuditStore({ filename })
          : sqliteAuditThreadStore({ filename });
    trails.push({
      hashingName,
      storeName,
      store,
      trail: createAuditTrail({ store, key: KEY, batchWindowMs: 0, ...options }),
      runs: [],
    });
  }
}
for (const t of trails) await measure(t.trail);
for (let r = 0; r < rounds; r++) for (const t of trails) t.runs.push(await measure(t.trail));
const mid = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const base = (storeName) =>
  trails.find((t) => t.storeName === storeName && t.hashingName === 'built-in JavaScript') ??
  trails.find((t) => t.storeName === storeName);
console.log(
  `\n@tactful/audit per-entry main-thread CPU: ${rounds} rounds of ${ms} ms per trail, bursts of 64, Node ${process.version}`,
);
console.table(
  trails.map((t) => ({
    hashing: t.hashingName,
    store: t.storeName,
    'CPU µs/entry (this machine)': mid(t.runs).toFixed(1),
    '× built-in': mid(t.runs.map((v, i) => v / base(t.storeName).runs[i])).toFixed(2),
  })),
);
for (const t of trails) await t.store.close?.();
rmSync(dir, { recursive: true, force: true });
