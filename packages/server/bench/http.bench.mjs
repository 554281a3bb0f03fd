// The decide route under load, where users pay for it, beside what a user would build instead:
// the storefront's configuration (5 slots, a consented visitor with a declared interest and 4
// session events; storefront.mjs) served by Tactful and by two peers (peers.mjs) — a GrowthBook
// route (the configuration translated to features and saved groups by code, facts computed by the
// app) and a hand-written floor route. Every route must choose the same content for every slot,
// checked before and after every measured run. The removal rows show where Tactful's time goes:
// the server around a stubbed engine, memory instead of SQLite stores, the audit trail off.
//
// Each server runs in a process of its own on 127.0.0.1; autocannon loads it from this one for a
// bounded time. Printed: req/s, p50, p99, the server's CPU µs per request, and ratios to the
// GrowthBook route measured in the same round (medians of the per-round ratios).
//
//   pnpm --filter @tactful/server bench          (after a build)
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 BENCH_ROUNDS=5 node bench/http.bench.mjs
//   BENCH_ROUTES=unaudited,audited   only these Tactful rows (the GrowthBook route always runs)
//   BENCH_PROFILE=unaudited BENCH_PROFILE_DIR=/tmp/p   a V8 CPU profile of that server
//   BENCH_SERVER_DIST=old/index.js   the Tactful rows from another build of this package
import { SLOTS, chosen } from './storefront.mjs';
import { checkSameContent as checkSameContentOf, loadTarget, startTarget } from './targets.mjs';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
// Rounds alternate the routes, so a busy machine's noise falls on all of them alike; the median counts.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const only = process.env.BENCH_ROUTES?.split(',');

const ROUTES = [
  ['growthbook', 'GrowthBook route (same slots, same content)'],
  ['floor', 'hand-written route (same decision)'],
  ['audited', 'Tactful POST /v1/decide, audit on (as configured)'],
  ['unaudited', 'Tactful, audit off'],
  ['memory', 'Tactful, audit off, memory stores'],
  ['stub', 'Tactful server around a stubbed engine'],
].filter(([role]) => only === undefined || role === 'growthbook' || only.includes(role));

/**
 * Starts one server process and waits until it answers: its `cpu()` gives the process's CPU µs,
 * its `gc()` the µs its garbage collector took.
 */
const start = (role) =>
  startTarget(role).then((target) => ({
    ...target,
    cpu: async () => (await target.cpu()).micros,
    gc: async () => (await target.cpu()).gcMicros,
  }));

const targets = {};
for (const [role] of ROUTES) targets[role] = await start(role);
const reference = chosen(
  (targets.audited ?? targets.unaudited ?? targets.memory)?.decision ?? targets.growthbook.decision,
);

const checkSameContent = (target) => checkSameContentOf(target, reference);
const load = (target, duration = seconds) => loadTarget(target, { connections, duration });

/**
 * Loads a server, then waits for the audit writes it queued: the throughput counts that time too
 * (requests / (run + flush)), so deferred work is neither hidden nor charged to the next run. The
 * server's CPU time over the run and the flush, per request, is reported beside it.
 */
async function measure(target) {
  await checkSameContent(target);
  const cpuBefore = await target.cpu();
  const gcBefore = await target.gc();
  const result = await load(target);
  const flushStarted = performance.now();
  await target.flush();
  const flushSeconds = (performance.now() - flushStarted) / 1000;
  const cpuMicros = (await target.cpu()) - cpuBefore;
  const gcMicros = (await target.gc()) - gcBefore;
  await checkSameContent(target);
  const elapsed = result.duration + flushSeconds;
  return {
    ...result,
    flushSeconds,
    cpuPerRequest: cpuMicros / Math.max(1, result.requests.total),
    gcPerRequest: gcMicros / Math.max(1, result.requests.total),
    requests: { ...result.requests, average: result.requests.total / elapsed },
  };
}

for (const [role] of ROUTES) {
  await load(targets[role], 1);
  await targets[role].flush();
}
const results = Object.fromEntries(ROUTES.map(([role]) => [role, []]));
for (let round = 0; round < rounds; round++) {
  for (const [role] of ROUTES) results[role].push(await measure(targets[role]));
}

const mid = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const pct = (r) => `${(r * 100).toFixed(1)}%`;
const ratioTo = (role, peer) =>
  mid(results[role].map((r, i) => r.requests.average / results[peer][i].requests.average));
const cpuRatioTo = (role, peer) =>
  mid(results[role].map((r, i) => r.cpuPerRequest / results[peer][i].cpuPerRequest));
const medianRound = (list) =>
  [...list].sort((a, b) => a.requests.average - b.requests.average)[Math.floor(list.length / 2)];

console.log(
  `\n@tactful/server http bench: the storefront's configuration, ${SLOTS.length} slots, ${connections} connections, ${rounds} rounds of ${seconds} s per route, each server in its own process on 127.0.0.1, Node ${process.version}`,
);
const sizes = ROUTES.map(
  ([role]) => `${role} ${Buffer.byteLength(JSON.stringify(targets[role].decision))} B`,
);
console.log(
  `answer size: ${sizes.join(', ')}; every route chose the same content for every slot, before and after every run`,
);
console.table(
  ROUTES.map(([role, name]) => {
    const r = medianRound(results[role]);
    return {
      route: name,
      'req/s': Math.round(r.requests.average),
      'p50 ms': r.latency.p50,
      'p99 ms': r.latency.p99,
      'CPU µs/req': Math.round(r.cpuPerRequest),
      'GC µs/req': Math.round(r.gcPerRequest),
      'req/s % of GrowthBook': pct(ratioTo(role, 'growthbook')),
      'CPU × GrowthBook': cpuRatioTo(role, 'growthbook').toFixed(2),
      errors: results[role].reduce((n, x) => n + x.errors + x.timeouts + x.non2xx, 0),
    };
  }),
);
const cpu = (role) => mid(results[role].map((r) => r.cpuPerRequest));
if (targets.audited && targets.unaudited) {
  console.log(`audit on / audit off (req/s): ${pct(ratioTo('audited', 'unaudited'))} (goal >= 80%)`);
}
if (targets.unaudited) {
  console.log(`audit off / GrowthBook (req/s): ${pct(ratioTo('unaudited', 'growthbook'))} (goal >= 40%)`);
}
const deltas = [];
if (targets.audited && targets.unaudited)
  deltas.push(`audit trail ${(cpu('audited') - cpu('unaudited')).toFixed(0)}`);
if (targets.unaudited && targets.memory)
  deltas.push(`SQLite stores over memory ${(cpu('unaudited') - cpu('memory')).toFixed(0)}`);
if (targets.memory && targets.stub)
  deltas.push(`the engine's decision (memory stores) ${(cpu('memory') - cpu('stub')).toFixed(0)}`);
if (targets.stub && targets.floor)
  deltas.push(`the server around it over the floor route ${(cpu('stub') - cpu('floor')).toFixed(0)}`);
console.log(`removal deltas, CPU µs per request (medians over rounds, this machine): ${deltas.join('; ')}`);
const failures = ROUTES.reduce(
  (n, [role]) => n + results[role].reduce((m, x) => m + x.errors + x.timeouts + x.non2xx, 0),
  0,
);
console.log(`errors and non-2xx answers: ${failures}`);
await Promise.all(Object.values(targets).map((t) => t.close()));
if (failures > 0) process.exit(1);
