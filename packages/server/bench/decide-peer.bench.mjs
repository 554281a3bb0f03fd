// In process: one Tactful decision against one GrowthBook peer decision for the same visitor of
// the storefront (storefront.mjs), side by side in one process. Tactful runs with memory stores
// (the SQLite row is beside it) and the audit trail off; the request is exactly the one the
// server's decide route hands the engine (captured from a real HTTP request), and the peer is the
// same code as the GrowthBook route of http.bench.mjs, called without HTTP. Both must choose the
// same content. Prints the main thread's CPU µs per decision and the ratio (goal: decide() ≤ 2.5×
// the peer).
//
//   pnpm --filter @tactful/server bench          (after a build)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

const ms = Number(process.env.BENCH_MS ?? 1500);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const weather = await startWeather();
const { config, baseDir, catalog } = await storefrontSources();

/** Tactful on the storefront's configuration, the visitor set up over HTTP, and the engine's request. */
async function tactfulSetup(driver) {
  const dir = mkdtempSync(join(tmpdir(), 'tactful-decide-bench-'));
  const tactful = await createTactful(
    {
      ...config,
      storage: driver === 'memory' ? { driver: 'memory' } : { driver: 'sqlite', directory: dir },
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

const runs = { memory: [], sqlite: [], growthbook: [] };
await time(memory.decide);
await time(sqlite.decide);
await time(peerDecide);
for (let r = 0; r < rounds; r++) {
  runs.growthbook.push(await time(peerDecide));
  runs.memory.push(await time(memory.decide));
  runs.sqlite.push(await time(sqlite.decide));
}
const mid = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const ratio = (name) => mid(runs[name].map((v, i) => v / runs.growthbook[i]));
console.log(
  `\nin-process decide() vs the GrowthBook peer: the storefront's configuration, 5 slots, ${rounds} rounds of ${ms} ms, Node ${process.version}`,
);
console.table([
  {
    decision: 'GrowthBook peer (facts + 5 features)',
    'CPU µs/decision (this machine)': mid(runs.growthbook).toFixed(1),
    '× peer': '1.00',
  },
  {
    decision: 'Tactful decide(), memory stores',
    'CPU µs/decision (this machine)': mid(runs.memory).toFixed(1),
    '× peer': ratio('memory').toFixed(2),
  },
  {
    decision: 'Tactful decide(), SQLite stores',
    'CPU µs/decision (this machine)': mid(runs.sqlite).toFixed(1),
    '× peer': ratio('sqlite').toFixed(2),
  },
]);
console.log(
  `decide() / GrowthBook peer (memory stores, median of per-round ratios): ${ratio('memory').toFixed(2)}× (goal <= 2.5×)`,
);
await memory.close();
await sqlite.close();
await weather.close();
