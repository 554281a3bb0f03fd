// Fleet bench (short, bounded, 127.0.0.1 only). Run with `pnpm bench` (builds first) or
// `node bench/fleet.bench.mjs` after a build, PostgreSQL and Redis running (.ci/services.sh).
//
// 1. Consent read (latest) and write (append) latency on each store, in one process, as ratios to
//    the SQLite store measured in the same run.
// 2. POST /v1/decide throughput and server CPU per decision: one SQLite server, one server on
//    PostgreSQL + Redis, two servers on PostgreSQL + Redis (round-robin), each `tactful serve` in
//    its own process, the load generator in this one. Ratios, not absolute figures.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryConsentStore } from '@tactful/consent';
import { sqliteConsentStore } from '@tactful/store-sqlite';
import { createPool, postgresConsentStore } from '../dist/index.js';

const PG_URL = process.env.TACTFUL_TEST_PG_URL ?? 'postgres://tactful:tactful@127.0.0.1:5432/tactful_test';
const REDIS_URL = process.env.TACTFUL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const grant = (subject, purpose = 'personalization.profile') => ({
  subject,
  purpose,
  status: 'granted',
  method: 'banner',
  notice: { version: '2026-03', hash: 'sha256-0f3c9a1b2c' },
});
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const p = (n) => n.toFixed(2);

async function consentLatency() {
  const dir = mkdtempSync(join(tmpdir(), 'tactful-bench-'));
  const pool = createPool(PG_URL, { max: 4 });
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const stores = {
    memory: memoryConsentStore(),
    sqlite: sqliteConsentStore({ filename: join(dir, 'c.db') }),
    'sqlite (no cache)': sqliteConsentStore({ filename: join(dir, 'n.db'), cacheSize: 0 }),
    postgres: await postgresConsentStore({ pool, schema }),
  };
  const out = {};
  for (const [name, store] of Object.entries(stores)) {
    const writes = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await store.append(grant(`s-${i % 50}`, i % 2 ? 'measurement' : 'personalization.profile'));
      writes.push(performance.now() - t);
    }
    const reads = [];
    for (let i = 0; i < 1000; i++) {
      const t = performance.now();
      await store.latest(`s-${i % 50}`);
      reads.push(performance.now() - t);
    }
    out[name] = { read: median(reads), write: median(writes) };
    await store.close?.();
  }
  await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
  const base = out.sqlite;
  console.log('\nconsent store latency (median, ratio to the SQLite store with its read cache, same run)');
  console.log('store                 read ×sqlite   write ×sqlite');
  for (const [name, v] of Object.entries(out))
    console.log(
      `${name.padEnd(22)}${p(v.read / base.read).padStart(9)}   ${p(v.write / base.write).padStart(12)}`,
    );
}

const serverFixtures = fileURLToPath(new URL('../../server/test/fixtures/', import.meta.url));
const BIN = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

function writeConfig(dir, fleet) {
  const config = JSON.parse(
    readFileSync(join(serverFixtures, 'shop.config.json'), 'utf8').replace(/^\s*\/\/.*$/gm, ''),
  );
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  if (fleet) {
    config.storage = { driver: 'postgres', url: '${env:DATABASE_URL}', schema };
    config.cache = { driver: 'redis', url: '${env:REDIS_URL}', keyPrefix: `bench:${schema}:` };
  }
  config.server = { limits: { maxConcurrent: 1000 } };
  writeFileSync(join(dir, 'catalog.json'), readFileSync(join(serverFixtures, 'catalog.json')));
  writeFileSync(join(dir, 'tactful.config.json'), JSON.stringify(config));
  return schema;
}

function startServer(dir) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: dir,
    env: {
      ...process.env,
      DATABASE_URL: PG_URL,
      REDIS_URL,
      TACTFUL_SECRET: 'bench-secret-0123456789abcdef0123456789',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c) => {
      err += c;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve({ url: m[1], child });
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

async function visitor(url) {
  const headers = { 'user-agent': UA, origin: url, 'content-type': 'application/json' };
  const c = await fetch(`${url}/v1/consent`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      grant: ['personalization.contextual', 'personalization.session', 'personalization.profile'],
    }),
  });
  let cookie = c.headers
    .getSetCookie()
    .map((l) => l.split(';')[0])
    .join('; ');
  const e = await fetch(`${url}/v1/session/events`, {
    method: 'POST',
    headers: { ...headers, cookie },
    body: JSON.stringify({ events: [{ type: 'product_view', target: 'p-1', topics: ['kids'] }] }),
  });
  cookie = [cookie, ...e.headers.getSetCookie().map((l) => l.split(';')[0])].join('; ');
  return cookie;
}

async function load(servers) {
  const cookie = await visitor(servers[0].url);
  const body = JSON.stringify({
    slots: [{ id: 'home.hero' }, { id: 'home.banner' }, { id: 'home.categories' }],
  });
  let turn = 0;
  let done = 0;
  let failed = 0;
  const cpu0 = servers.map((s) => cpuMicros(s.child.pid));
  const until = performance.now() + SECONDS * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const s = servers[turn++ % servers.length];
      const r = await fetch(`${s.url}/v1/decide`, {
        method: 'POST',
        headers: { 'user-agent': UA, origin: s.url, 'content-type': 'application/json', cookie },
        body,
      });
      await r.arrayBuffer();
      if (r.status === 200) done++;
      else failed++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const cpu = servers.reduce((n, s, i) => n + cpuMicros(s.child.pid) - cpu0[i], 0);
  return { rps: done / seconds, cpuPerDecision: cpu / Math.max(1, done), failed };
}

async function throughput() {
  const runs = {};
  for (const [name, fleet, n] of [
    ['sqlite, 1 server', false, 1],
    ['postgres+redis, 1 server', true, 1],
    ['postgres+redis, 2 servers', true, 2],
  ]) {
    const dir = mkdtempSync(join(tmpdir(), 'tactful-bench-fleet-'));
    const schema = writeConfig(dir, fleet);
    const servers = [];
    for (let i = 0; i < n; i++) servers.push(await startServer(dir));
    await load(servers); // warm-up
    runs[name] = await load(servers);
    for (const s of servers) s.child.kill('SIGTERM');
    if (fleet) {
      const pool = createPool(PG_URL, { max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const base = runs['sqlite, 1 server'];
  console.log(
    `\nPOST /v1/decide, ${CONCURRENCY} concurrent for ${SECONDS} s each (ratios to the SQLite server, same run)`,
  );
  console.log('setup                        throughput ×sqlite   server CPU per decision ×sqlite   non-200');
  for (const [name, r] of Object.entries(runs))
    console.log(
      `${name.padEnd(29)}${p(r.rps / base.rps).padStart(18)}   ${p(r.cpuPerDecision / base.cpuPerDecision).padStart(31)}   ${String(r.failed).padStart(7)}`,
    );
  const one = runs['postgres+redis, 1 server'];
  const two = runs['postgres+redis, 2 servers'];
  console.log(`2 servers / 1 server (postgres+redis): ${p(two.rps / one.rps)}× throughput`);
}

await consentLatency();
await throughput();
