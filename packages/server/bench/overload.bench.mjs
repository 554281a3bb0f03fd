// Overload figures of POST /v1/decide, each server in a process of its own on 127.0.0.1, loaded by
// autocannon from this one for a bounded time:
//  1. req/s, p99 of answered (200) requests, p99 of shed ones (503) and the 503 share at 100, 500
//     and 2,000 connections (goal: answered p99 <= 250 ms at every level, the rest shed quickly),
//     for the server as it listens (its front door sheds before the framework), beside the same
//     app served without the front door (shedding in the framework's gate, after the body: the
//     old way) and a floor: a bare node:http server answering every request 503 from prepared
//     bytes, the least any shedding can cost with this load generator on this machine. Rounds
//     alternate between the three; the median round (by answered p99) is shown;
//  2. the decide route with SQLite on database threads beside SQLite on the server's own thread
//     (the old way), in the same run, rounds alternating, as a ratio.
//
//   pnpm --filter @tactful/server bench          (after a build)
//   BENCH_SECONDS=5 BENCH_ROUNDS=3 node bench/overload.bench.mjs
//
// Knobs, to compare settings under the same conditions:
//   BENCH_LEVELS=500,2000        the connection counts (default 100,500,2000)
//   BENCH_TARGETS=server,floor   which of server, framework (no front door) and floor to run
//   BENCH_LIMITS='{"maxConcurrent":64}'  merged into the servers' server.limits
//   BENCH_BASELINE=path/to/index.js  adds "baseline": the same server from another build of the
//                                package (e.g. a copy of the previous dist), rounds alternating
//   BENCH_VARIANTS='[{"latencyTargetMs":100}]'  more servers, each with these limits on top
//   BENCH_STATS=1                the server's stats() (shed by reason, adaptive limit) after each run
//   BENCH_PART=overload          only part 1
// With the floor in the run, each level also says how much of a server's answered p99 is over the
// floor's p99 (the generator's and the machine's own tail, which no server setting can remove).
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const body = JSON.stringify({
  slots: [{ id: 'home.hero' }, { id: 'home.banner' }, { id: 'home.categories' }],
});

const levels = (process.env.BENCH_LEVELS ?? '100,500,2000').split(',').map(Number);
const chosen = new Set((process.env.BENCH_TARGETS ?? 'server,framework,floor').split(','));

function start(thread, door = 'front', env = {}) {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./overload-target.mjs', import.meta.url)), thread, door],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`${thread} server exited (${code})`)));
    child.stdout.on('data', (d) => {
      out += d;
      if (!out.includes('\n')) return;
      child.removeAllListeners('exit');
      const { url, headers } = JSON.parse(out.split('\n')[0]);
      resolve({
        url,
        headers,
        stats: () => process.env.BENCH_STATS && child.kill('SIGUSR2'),
        stop: () => new Promise((done) => child.once('exit', done) && child.kill('SIGTERM')),
      });
    });
  });
}

const pct = (sorted, p) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** One bounded run; latencies are split by status (autocannon's own histogram mixes them). */
function load(target, connections, duration = seconds) {
  const times = { 200: [], 503: [], other: [] };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${target.url}/v1/decide`,
        method: 'POST',
        headers: target.headers,
        body,
        connections,
        duration,
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(error);
        for (const list of Object.values(times)) list.sort((a, b) => a - b);
        const answered = times[200].length;
        const shed = times[503].length;
        resolve({
          rps: result.requests.total / result.duration,
          answeredRps: answered / result.duration,
          p99Answered: pct(times[200], 0.99),
          p99Shed: pct(times[503], 0.99),
          shedShare: shed / Math.max(1, answered + shed + times.other.length),
          other: times.other.length,
          timeouts: result.timeouts,
          errors: result.errors,
        });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      (times[status] ?? times.other).push(ms);
    });
  });
}

const fmt = (n) => (Math.round(n * 10) / 10).toString();

// 1. Overload levels, on the default (database threads), beside the old gate and the floor.
const worker = await start('worker');
const targets = [];
if (chosen.has('server')) targets.push(['server (front door)', worker]);
if (process.env.BENCH_BASELINE)
  targets.push([
    'baseline',
    await start('worker', 'front', {
      BENCH_SERVER_DIST: new URL(process.env.BENCH_BASELINE, `file://${process.cwd()}/`).href,
    }),
  ]);
// BENCH_VARIANTS='[{"latencyTargetMs":100}]': more servers, each with these limits on top.
for (const limits of JSON.parse(process.env.BENCH_VARIANTS ?? '[]'))
  targets.push([
    // Named in full (a shortened name could make two variants one row).
    JSON.stringify(limits).replace(/[{}"]/g, ''),
    await start('worker', 'front', {
      BENCH_LIMITS: JSON.stringify({ ...JSON.parse(process.env.BENCH_LIMITS ?? '{}'), ...limits }),
    }),
  ]);
if (chosen.has('framework')) targets.push(['no front door (old)', await start('worker', 'framework')]);
if (chosen.has('floor')) targets.push(['floor: bare 503', await start('floor')]);
for (const [, target] of targets) await load(target, 50, 1);
console.log(
  `overload: POST /v1/decide, SQLite on database threads, median of ${rounds} rounds (load ${loadavg()[0].toFixed(1)})`,
);
console.log(
  'target              | connections | req/s (all) | req/s answered | p99 answered ms | p99 503 ms | 503 share | timeouts',
);
for (const connections of levels) {
  const runs = new Map(targets.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++)
    for (const [name, target] of targets) {
      runs.get(name).push(await load(target, connections));
      if (process.env.BENCH_STATS && target.stats) {
        process.stderr.write(`${name}, ${connections} connections, round ${round + 1}: `);
        target.stats();
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  const medians = new Map();
  for (const [name] of targets) {
    const list = runs.get(name).sort((a, b) => a.p99Answered + a.p99Shed - (b.p99Answered + b.p99Shed));
    const r = list[Math.floor(list.length / 2)];
    medians.set(name, r);
    console.log(
      `${name.padEnd(19)} | ${String(connections).padStart(11)} | ${fmt(r.rps).padStart(11)} | ${fmt(r.answeredRps).padStart(14)} | ${fmt(r.p99Answered).padStart(15)} | ${fmt(r.p99Shed).padStart(10)} | ${(r.shedShare * 100).toFixed(1).padStart(8)}% | ${r.timeouts}`,
    );
  }
  // The floor's tail is the load generator's and the machine's own (a bare 503 costs the server
  // next to nothing): what a server's answered p99 has over it is the server's share.
  const floor = medians.get('floor: bare 503');
  if (floor)
    for (const [name, r] of medians)
      if (name !== 'floor: bare 503' && r.p99Answered > 0)
        console.log(
          `  ${name}: answered p99 ${fmt(r.p99Answered)} ms = floor's p99 ${fmt(floor.p99Shed)} ms + ${fmt(r.p99Answered - floor.p99Shed)} ms (x${(r.p99Answered / Math.max(1, floor.p99Shed)).toFixed(2)} the floor)`,
        );
}
console.log(`(load at the end ${loadavg()[0].toFixed(1)})`);
await Promise.all(targets.filter(([, t]) => t !== worker).map(([, t]) => t.stop()));
if (process.env.BENCH_PART === 'overload') {
  await worker.stop();
  process.exit(0);
}

// 2. The store off the main thread beside the old way, rounds alternating (same run, same load).
const main = await start('main');
await load(main, 32, 1);
const results = { worker: [], main: [] };
for (let round = 0; round < rounds; round++) {
  results.worker.push(await load(worker, 32));
  results.main.push(await load(main, 32));
}
const median = (list) => [...list].sort((a, b) => a.answeredRps - b.answeredRps)[Math.floor(list.length / 2)];
const w = median(results.worker);
const m = median(results.main);
console.log('\ndecide route, 32 connections, median of', rounds, 'rounds');
console.log(`database threads: ${fmt(w.answeredRps)} req/s, p99 ${fmt(w.p99Answered)} ms`);
console.log(`main thread (old): ${fmt(m.answeredRps)} req/s, p99 ${fmt(m.p99Answered)} ms`);
console.log(
  `ratio threads / main: ${(w.answeredRps / m.answeredRps).toFixed(2)} (req/s), ${(w.p99Answered / Math.max(1, m.p99Answered)).toFixed(2)} (p99)`,
);
await Promise.all([worker.stop(), main.stop()]);
