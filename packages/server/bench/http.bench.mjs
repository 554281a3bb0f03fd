// The decide route under load, side by side with a bare Hono route answering a decision-sized JSON
// body. Each server runs in a process of its own on 127.0.0.1 and autocannon loads it from this
// one for a bounded time, so the load generator never shares a server's event loop. Prints req/s,
// p50, p99, errors, the server's CPU time per request, and the ratio to the bare route (target: the
// real route at 85% or more of the bare one, zero errors). The real route runs twice: as configured
// (the decision audit trail on: each decision is written durably to SQLite) and with the audit
// trail off, so the cost of the durable per-decision write shows on its own.
//
//   pnpm --filter @tactful/server bench          (after a build)
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 BENCH_ROUNDS=5 node bench/http.bench.mjs
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
// Rounds alternate the routes, so a busy machine's noise falls on all of them alike; the median counts.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET = 0.85;
const body = JSON.stringify({
  slots: [{ id: 'home.hero' }, { id: 'home.banner' }, { id: 'home.categories' }],
});

/** Starts one server process and waits until it answers. */
function start(role, extra = {}) {
  const child = fork(fileURLToPath(new URL('./target.mjs', import.meta.url)), [role], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = (type, answer) =>
    new Promise((resolve, reject) => {
      const onMessage = (m) => {
        if (m.type === answer) {
          child.off('message', onMessage);
          resolve(m);
        } else if (m.type === 'failed') reject(new Error(`${role} server: ${m.message}`));
      };
      child.on('message', onMessage);
      child.send({ type, body, ...extra });
    });
  return ask('start', 'ready').then((ready) => ({
    role,
    url: ready.url,
    headers: ready.headers,
    decision: ready.decision,
    cpu: async () => (await ask('cpu', 'cpu')).micros,
    flush: () => ask('flush', 'flushed'),
    close: () => new Promise((resolve) => child.once('exit', resolve) && child.send({ type: 'close' })),
  }));
}

const audited = await start('audited');
const unaudited = await start('unaudited');
// The bare route answers the decision the real one gave, to the same request bytes.
const bare = await start('bare', { decision: audited.decision, headers: audited.headers });
const decisionText = JSON.stringify(audited.decision);

function load(target, duration = seconds) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${target.url}/v1/decide`,
        method: 'POST',
        headers: target.headers,
        body,
        connections,
        duration,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/**
 * Loads a server, then waits for the audit writes it queued: the throughput counts that time too
 * (requests / (run + flush)), so deferred work is neither hidden nor charged to the next run. The
 * server's CPU time over the run and the flush, per request, is reported beside it.
 */
async function measure(target) {
  const cpuBefore = await target.cpu();
  const result = await load(target);
  const flushStarted = performance.now();
  await target.flush();
  const flushSeconds = (performance.now() - flushStarted) / 1000;
  const cpuMicros = (await target.cpu()) - cpuBefore;
  const elapsed = result.duration + flushSeconds;
  return {
    ...result,
    flushSeconds,
    cpuPerRequest: cpuMicros / Math.max(1, result.requests.total),
    requests: { ...result.requests, average: result.requests.total / elapsed },
  };
}

// A short warm-up of each, then the measured runs.
for (const target of [bare, audited, unaudited]) {
  await load(target, 1);
  await target.flush();
}
const results = { bare: [], audited: [], unaudited: [] };
for (let round = 0; round < rounds; round++) {
  results.bare.push(await measure(bare));
  results.audited.push(await measure(audited));
  results.unaudited.push(await measure(unaudited));
}

/** The round with the median throughput, and the totals of errors over all rounds. */
const median = (list) => {
  const sorted = [...list].sort((a, b) => a.requests.average - b.requests.average);
  const mid = sorted[Math.floor(sorted.length / 2)];
  return {
    ...mid,
    errors: list.reduce((n, r) => n + r.errors, 0),
    timeouts: list.reduce((n, r) => n + r.timeouts, 0),
    non2xx: list.reduce((n, r) => n + r.non2xx, 0),
  };
};
const bareResult = median(results.bare);
const realResult = median(results.audited);
const unauditedResult = median(results.unaudited);
const perRound = (list) => list.map((r) => Math.round(r.requests.average)).join(' / ');

const row = (name, r) => ({
  route: `${name} (median)`,
  'req/s': Math.round(r.requests.average),
  'p50 ms': r.latency.p50,
  'p99 ms': r.latency.p99,
  'server CPU µs/req': Math.round(r.cpuPerRequest),
  'audit flush s': r.flushSeconds.toFixed(2),
  errors: r.errors + r.timeouts,
  'non-2xx': r.non2xx,
  requests: r.requests.total,
});
// Ratios are taken within a round (the routes ran back to back), then the median round counts.
const ratios = (list) =>
  list.map((r, i) => r.requests.average / results.bare[i].requests.average).sort((a, b) => a - b);
const ratio = ratios(results.audited)[Math.floor(rounds / 2)];
const ratioOff = ratios(results.unaudited)[Math.floor(rounds / 2)];
console.log(
  `\n@tactful/server http bench: ${connections} connections, ${rounds} rounds of ${seconds} s per route, each server in its own process on 127.0.0.1, Node ${process.version}`,
);
console.log(
  `decision body: ${Buffer.byteLength(decisionText)} bytes, ${audited.decision.slots.length} slots, strategies: ${[...new Set(audited.decision.slots.map((s) => s.strategy))].join(', ')}`,
);
console.table([
  row('bare Hono (same body)', bareResult),
  row('POST /v1/decide (audit on)', realResult),
  row('POST /v1/decide (audit off)', unauditedResult),
]);
const failures = [bareResult, realResult, unauditedResult].reduce(
  (n, r) => n + r.errors + r.timeouts + r.non2xx,
  0,
);
console.log(
  `req/s per round: bare ${perRound(results.bare)}; audit on ${perRound(results.audited)}; audit off ${perRound(results.unaudited)}`,
);
console.log(
  `ratio per round: audit on ${ratios(results.audited)
    .map((r) => `${(r * 100).toFixed(1)}%`)
    .join(' / ')}; audit off ${ratios(results.unaudited)
    .map((r) => `${(r * 100).toFixed(1)}%`)
    .join(' / ')}`,
);
const verdict = (r) =>
  `${(r * 100).toFixed(1)}% (target >= ${TARGET * 100}%: ${r >= TARGET ? 'met' : 'NOT met'})`;
console.log(`ratio decide / bare (median round), audit on:  ${verdict(ratio)}`);
console.log(`ratio decide / bare (median round), audit off: ${verdict(ratioOff)}`);
// What the target leaves for the decision itself, in the server's CPU time per request: the route
// may cost at most bare / 0.85, so everything Tactful does (cookies, CSRF, body validation, the
// consent read, the strategies, the explanation, the audit entry) must fit in the difference.
const budget = bareResult.cpuPerRequest * (1 / TARGET - 1);
console.log(
  `CPU per request: bare ${bareResult.cpuPerRequest.toFixed(1)} µs, so the target leaves ${budget.toFixed(1)} µs for all of Tactful's work; it takes ${(unauditedResult.cpuPerRequest - bareResult.cpuPerRequest).toFixed(1)} µs (audit off), ${(realResult.cpuPerRequest - bareResult.cpuPerRequest).toFixed(1)} µs (audit on)`,
);
console.log(`errors and non-2xx answers: ${failures}`);

await Promise.all([audited.close(), unaudited.close(), bare.close()]);
if (failures > 0) process.exit(1);
