// What the decision audit trail costs on the decide route, where users pay for it: the storefront's
// configuration (storefront.mjs) served with the audit trail on (as configured: SQLite on database
// threads, entries sealed by the writer thread) and off, each server in its own process on
// 127.0.0.1, loaded in alternating rounds by autocannon from this one. Every route must choose the
// same content, checked before and after every run; a round counts the time its queued audit
// writes take to flush.
//
// Printed: req/s, the server's CPU µs per request (all its threads) and its main thread's own,
// the audit-on / audit-off req/s ratio (goal >= 80%), and the audit trail's cost per entry (one
// entry per decision) two ways: on the route, the main thread's and all threads' CPU differences
// (medians over rounds of per-round differences; noisy on a busy machine), and in process, the
// main thread's own CPU per entry of the configured trail (createTactful: the storefront's audit
// settings, SQLite on database threads) fed the route's own decision through the orchestrator's
// hooks, as the server records it (goal <= 25 µs). Store by store: `pnpm --filter @tactful/store-sqlite bench`.
//
//   pnpm --filter @tactful/server bench            (after a build)
//   BENCH_SECONDS=5 BENCH_CONNECTIONS=32 BENCH_ROUNDS=3 node bench/audit-route.bench.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTactful } from '@tactful/config';
import { chosen, startWeather, storefrontSources } from './storefront.mjs';
import { checkSameContent, loadTarget, startTarget } from './targets.mjs';
import { mainThreadCpu } from './thread-cpu.mjs';

/** The main thread's CPU µs where Linux tells it, else the process's (all threads). */
const threadCpu = () => {
  const { user, system } = process.cpuUsage();
  return mainThreadCpu() ?? user + system;
};

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const ROUTES = [
  ['audited', 'audit on (as configured)'],
  ['unaudited', 'audit off'],
];

const targets = {};
for (const [role] of ROUTES) targets[role] = await startTarget(role);
const reference = chosen(targets.audited.decision);
const load = (target, duration = seconds) => loadTarget(target, { connections, duration });

async function measure(target) {
  await checkSameContent(target, reference);
  const before = await target.cpu();
  const result = await load(target);
  const flushStarted = performance.now();
  await target.flush();
  const flushSeconds = (performance.now() - flushStarted) / 1000;
  const after = await target.cpu();
  await checkSameContent(target, reference);
  const n = Math.max(1, result.requests.total);
  return {
    reqPerSecond: result.requests.total / (result.duration + flushSeconds),
    cpu: (after.micros - before.micros) / n,
    main: before.mainMicros === undefined ? Number.NaN : (after.mainMicros - before.mainMicros) / n,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
    non2xx: result.non2xx,
    timeouts: result.errors + result.timeouts,
    statuses: Object.entries(result.statusCodeStats ?? {})
      .filter(([code]) => !code.startsWith('2'))
      .map(([code, { count }]) => `${code}×${count}`),
  };
}

for (const [role] of ROUTES) {
  await load(targets[role], 1);
  await targets[role].flush();
}
const results = { audited: [], unaudited: [] };
for (let round = 0; round < rounds; round++) {
  for (const [role] of ROUTES) results[role].push(await measure(targets[role]));
}

const mid = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const perRound = (f) => mid(results.audited.map((a, i) => f(a, results.unaudited[i])));
console.log(
  `\n@tactful/server audit route bench: the storefront's configuration, ${connections} connections, ${rounds} rounds of ${seconds} s per route, each server in its own process on 127.0.0.1, Node ${process.version}`,
);
console.table(
  ROUTES.map(([role, name]) => ({
    route: name,
    'req/s': Math.round(mid(results[role].map((r) => r.reqPerSecond))),
    'p99 ms': mid(results[role].map((r) => r.p99)),
    'CPU µs/req, all threads': mid(results[role].map((r) => r.cpu)).toFixed(0),
    'CPU µs/req, main thread': mid(results[role].map((r) => r.main)).toFixed(0),
    'non-2xx': results[role].reduce((n, r) => n + r.non2xx, 0),
    'errors, timeouts': results[role].reduce((n, r) => n + r.timeouts, 0),
  })),
);
for (const [role, name] of ROUTES) {
  const statuses = results[role].flatMap((r) => r.statuses);
  // 503 is the server shedding load (the machine is busy); any other status is a failure to look at.
  if (statuses.length > 0) console.log(`${name}: non-2xx answers by status: ${statuses.join(', ')}`);
}
const ratio = perRound((a, u) => a.reqPerSecond / u.reqPerSecond);
console.log(`audit on / audit off (req/s): ${(ratio * 100).toFixed(1)}% (goal >= 80%)`);
console.log(
  `audit trail per entry (one per decision), main-thread CPU: ${perRound((a, u) => a.main - u.main).toFixed(1)} µs (goal <= 25); all threads: ${perRound((a, u) => a.cpu - u.cpu).toFixed(1)} µs (medians of per-round differences, this machine)`,
);
/**
 * The configured trail in this process, recording the route's own decision (fresh trace ids) as
 * the orchestrator's hooks hand it over, bursts of 64 while earlier ones are written: main-thread
 * CPU µs per entry, median of rounds.
 */
async function inProcessPerEntry(decision) {
  const weather = await startWeather();
  const { config, baseDir } = await storefrontSources();
  const dir = mkdtempSync(join(tmpdir(), 'tactful-audit-route-bench-'));
  const tactful = await createTactful(
    {
      ...config,
      storage: { driver: 'sqlite', directory: dir },
      sources: { ...config.sources, weather: { ...config.sources.weather, baseUrl: weather.url } },
      audit: { ...config.audit, enabled: true },
    },
    { baseDir, secret: 'bench-secret-0123456789abcdef0123456789' },
  );
  const hooks = [];
  tactful.audit.attach({ addHooks: (h) => hooks.push(h) });
  const decisions = Array.from({ length: 4096 }, (_, i) => ({ ...decision, traceId: `bench-${i}` }));
  const ms = Number(process.env.BENCH_MS ?? 1500);
  const runs = [];
  for (let round = 0; round <= rounds; round++) {
    let i = 0;
    const started = performance.now();
    const cpu = threadCpu();
    while (performance.now() - started < ms) {
      for (let k = 0; k < 64; k++, i++) {
        const d = decisions[i % decisions.length];
        const request = { subject: { id: `u-${i % 500}` } };
        for (const h of hooks) h.beforeDecision({ traceId: d.traceId, request });
        for (const h of hooks) h.afterDecision({ traceId: d.traceId, decision: d });
      }
      if (tactful.audit.stats().queued > 2048) await tactful.audit.flush();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await tactful.audit.flush();
    if (round > 0) runs.push((threadCpu() - cpu) / i); // round 0 warms up
  }
  const { unrecorded } = tactful.audit.stats();
  const verified = await tactful.audit.verify();
  await tactful.close();
  await weather.close();
  rmSync(dir, { recursive: true, force: true });
  if (unrecorded > 0 || !verified.ok)
    throw new Error(`in process: ${unrecorded} unrecorded, verify ok: ${verified.ok}`);
  return { perEntry: mid(runs), entries: verified.checked };
}
const inProcess = await inProcessPerEntry(targets.audited.decision);
console.log(
  `audit trail per entry, in process (the configured trail, the route's decision, ${inProcess.entries} entries, verified): ${inProcess.perEntry.toFixed(1)} µs of main-thread CPU (goal <= 25)`,
);
const all = [...results.audited, ...results.unaudited];
const failures = all.reduce(
  (n, r) => n + r.timeouts + r.statuses.filter((s) => !s.startsWith('503')).length,
  0,
);
console.log(
  `errors and non-2xx answers: ${all.reduce((n, r) => n + r.failures, 0)} (${failures} other than 503 load shedding)`,
);
await Promise.all(Object.values(targets).map((t) => t.close()));
if (failures > 0) process.exit(1);
