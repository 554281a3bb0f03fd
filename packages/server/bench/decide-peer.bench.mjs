// In process: one Tactful decision against one GrowthBook peer decision for the same visitor of
// the storefront (storefront.mjs), side by side in one process. Tactful runs with memory stores
// (the SQLite row is beside it, on the main thread: one decision at a time, database threads would
// time their round trips, which http.bench.mjs measures on the route) and the audit trail off; the request is exactly the one the
// server's decide route hands the engine (captured from a real HTTP request), and the peer is the
// same code as the GrowthBook route of http.bench.mjs, called without HTTP. Both must choose the
// same content. Prints the main thread's CPU µs per decision and the ratio (goal: decide() ≤ 2.5×
// the peer).
//
// Three patterns, each side by side with the peer in the same round:
// - hot: one request object, decided again and again (what a loop measures);
// - fresh: a new request per call, built as the route builds it (new slots, context, subject and
//   session objects, so nothing the engine froze or remembered by identity is reused), and a new
//   body per call for the peer;
// - cold: fresh, and a cache-sized buffer swept before every call (as the HTTP work between two
//   decisions of a route does), the sweep's own cost measured alone and taken off both sides.
//
//   pnpm --filter @tactful/server bench          (after a build)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createTactful } from '@tactful/config';
import { createServer } from '../dist/index.js';
import { peerApp } from './peers.mjs';
import {
  BODY,
  DECLARED,
  EDGE,
  EVENTS,
  chosen,
  startWeather,
  storefrontSources,
  visitHeaders,
} from './storefront.mjs';

const ms = Number(process.env.BENCH_MS ?? 1000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const weather = await startWeather();
const { config, baseDir, catalog } = await storefrontSources();

/** Tactful on the storefront's configuration, the visitor set up over HTTP, and the engine's request. */
async function tactfulSetup(driver) {
  const dir = mkdtempSync(join(tmpdir(), 'tactful-decide-bench-'));
  const tactful = await createTactful(
    {
      ...config,
      // BENCH_SQLITE_READS=thread|main-first: the SQLite row on database threads instead, its reads
      // on the reader thread or on this thread first (storage.reads).
      storage:
        driver === 'memory'
          ? { driver: 'memory' }
          : process.env.BENCH_SQLITE_READS
            ? { driver: 'sqlite', directory: dir, reads: process.env.BENCH_SQLITE_READS }
            : { driver: 'sqlite', directory: dir, thread: 'main' },
      sources: { ...config.sources, weather: { ...config.sources.weather, baseUrl: weather.url } },
      audit: { ...config.audit, enabled: false },
      server: { ...config.server, trustedProxy: { headers: EDGE.headers, secret: EDGE.secret } },
    },
    { baseDir, secret: 'bench-secret-0123456789abcdef0123456789' },
  );
  let captured;
  const engine = new Proxy(tactful.engine, {
    get: (target, key) =>
      key === 'decide'
        ? (request, options) => {
            captured = { request, options };
            return target.decide(request, options);
          }
        : Reflect.get(target, key),
  });
  const server = await createServer({ ...tactful, engine }, { log: false });
  const running = await server.listen({ port: 0, host: '127.0.0.1' });
  const headers = visitHeaders(running.url);
  let cookie = '';
  const call = async (method, path, body) => {
    const r = await fetch(`${running.url}${path}`, { method, headers: { ...headers, cookie }, body });
    cookie = [cookie, ...r.headers.getSetCookie().map((l) => l.split(';')[0])].filter(Boolean).join('; ');
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
  await call(
    'POST',
    '/v1/consent',
    JSON.stringify({
      grant: ['personalization.contextual', 'personalization.session', 'personalization.profile'],
    }),
  );
  await call('PATCH', '/v1/me/preferences', JSON.stringify(DECLARED));
  await call('POST', '/v1/session/events', JSON.stringify({ events: EVENTS }));
  const answer = await call('POST', '/v1/decide', BODY);
  await server.close();
  return {
    answer,
    decide: () => tactful.engine.decide(captured.request, captured.options),
    /** A copy of the route's request that shares nothing with the one before. */
    request: () => JSON.parse(JSON.stringify(captured.request)),
    decideFresh: (request) => tactful.engine.decide(request, captured.options),
    close: async () => {
      await tactful.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const memory = await tactfulSetup('memory');
const sqlite = await tactfulSetup('sqlite');
const peer = peerApp('growthbook', {
  config,
  catalog,
  weatherUrl: weather.url,
  cityHeader: EDGE.headers.city,
});
const peerHeaders = { ...visitHeaders('http://127.0.0.1'), cookie: peer.cookie };
const body = JSON.parse(BODY);
const peerDecide = () => peer.decide(body, (name) => peerHeaders[name]);

const reference = chosen(memory.answer);
for (const [name, run] of [
  ['memory', memory.decide],
  ['sqlite', sqlite.decide],
  ['growthbook', peerDecide],
  ['memory, fresh request', () => memory.decideFresh(memory.request())],
  ['sqlite, fresh request', () => sqlite.decideFresh(sqlite.request())],
]) {
  const got = chosen(await run());
  if (!isDeepStrictEqual(got, reference)) {
    console.error(`${name} chose other content`, JSON.stringify(got), JSON.stringify(reference));
    process.exit(1);
  }
}

/**
 * The main thread's own CPU time in µs (Linux's per-thread counters, 10 ms ticks), so other
 * processes on a busy machine and background threads don't count; elsewhere the process's.
 */
function mainThreadCpu() {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    const { user, system } = process.cpuUsage();
    return user + system;
  }
}

/** Main-thread CPU µs per call of `fn` (awaited one after the other) over `ms` milliseconds. */
async function time(fn) {
  let n = 0;
  const started = performance.now();
  const cpu = mainThreadCpu();
  while (performance.now() - started < ms) {
    for (let i = 0; i < 100; i++) await fn();
    n += 100;
  }
  return (mainThreadCpu() - cpu) / n;
}

/**
 * Main-thread CPU µs per call of `fn(input)` on inputs made by `make()` for each call, in batches
 * made outside the measured time, with `before()` run before every call (measured with it).
 */
async function timeEach(make, fn, before = () => {}) {
  let n = 0;
  let spent = 0;
  const started = performance.now();
  while (performance.now() - started < ms) {
    const batch = Array.from({ length: 200 }, make);
    const cpu = mainThreadCpu();
    for (const input of batch) {
      before();
      await fn(input);
    }
    spent += mainThreadCpu() - cpu;
    n += batch.length;
  }
  return spent / n;
}

/** A 1 MiB buffer (past a core's L1 and through much of a typical L2) and a walk that writes every line of it. */
const buffer = new Float64Array((1 << 20) / 8);
const sweep = () => {
  for (let i = 0; i < buffer.length; i += 8) buffer[i]++;
};
const peerBody = () => JSON.parse(BODY);
const peerFresh = (b) => peer.decide(b, (name) => peerHeaders[name]);

const PATTERNS = {
  hot: {
    growthbook: () => time(peerDecide),
    memory: () => time(memory.decide),
    sqlite: () => time(sqlite.decide),
  },
  fresh: {
    growthbook: () => timeEach(peerBody, peerFresh),
    memory: () => timeEach(memory.request, memory.decideFresh),
    sqlite: () => timeEach(sqlite.request, sqlite.decideFresh),
  },
  cold: {
    sweep: () => timeEach(peerBody, () => undefined, sweep),
    growthbook: () => timeEach(peerBody, peerFresh, sweep),
    memory: () => timeEach(memory.request, memory.decideFresh, sweep),
    sqlite: () => timeEach(sqlite.request, sqlite.decideFresh, sweep),
  },
};
const only = process.env.BENCH_PATTERNS?.split(',') ?? Object.keys(PATTERNS);
const runs = {};
for (const pattern of only) {
  runs[pattern] = {};
  for (const [name, run] of Object.entries(PATTERNS[pattern])) {
    runs[pattern][name] = [];
    await run();
  }
}
for (let r = 0; r < rounds; r++) {
  for (const pattern of only) {
    for (const [name, run] of Object.entries(PATTERNS[pattern])) runs[pattern][name].push(await run());
  }
}
if (runs.cold) {
  // The sweep's cost, measured alone in the same round, taken off every cold row.
  for (const name of ['growthbook', 'memory', 'sqlite'])
    runs.cold[name] = runs.cold[name].map((v, i) => Math.max(0, v - runs.cold.sweep[i]));
  delete runs.cold.sweep;
}
const mid = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const ratio = (pattern, name) => mid(runs[pattern][name].map((v, i) => v / runs[pattern].growthbook[i]));
const LABELS = {
  growthbook: 'GrowthBook peer (facts + 5 features)',
  memory: 'Tactful decide(), memory stores',
  sqlite: process.env.BENCH_SQLITE_READS
    ? `Tactful decide(), SQLite on database threads, reads: ${process.env.BENCH_SQLITE_READS}`
    : 'Tactful decide(), SQLite stores on the main thread',
};
console.log(
  `\nin-process decide() vs the GrowthBook peer: the storefront's configuration, 5 slots, ${rounds} rounds of ${ms} ms per row, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.table(
  only.flatMap((pattern) =>
    Object.keys(LABELS).map((name) => ({
      pattern,
      decision: LABELS[name],
      'CPU µs/decision (this machine)': mid(runs[pattern][name]).toFixed(1),
      '× peer': ratio(pattern, name).toFixed(2),
    })),
  ),
);
for (const pattern of only)
  console.log(
    `decide() / GrowthBook peer, ${pattern} (memory stores, median of per-round ratios): ${ratio(pattern, 'memory').toFixed(2)}× (goal <= 2.5×)`,
  );
await memory.close();
await sqlite.close();
await weather.close();
