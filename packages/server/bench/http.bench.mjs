// The decide route under load, side by side with a bare Hono route answering a decision-sized JSON
// body: both on 127.0.0.1, each loaded by autocannon for a bounded time. Prints req/s, p99 and the
// ratio (target: the real route at 85% or more of the bare one, zero errors). The real route runs
// twice: as configured (the decision audit trail on: each decision is written durably to SQLite)
// and with the audit trail off, so the cost of the durable per-decision write shows on its own.
//
//   pnpm --filter @tactful/server bench          (after a build)
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 node bench/http.bench.mjs
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { TactfulConfigSchema, createTactful, loadConfig } from '@tactful/config';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { createServer } from '../dist/index.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
// Rounds alternate the routes, so a busy machine's noise falls on all of them alike; the median counts.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tactful-server-bench-'));
cpSync(fixtures, dir, { recursive: true });

const { config } = await loadConfig(join(dir, 'shop.config.json'));

const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const json = {
  'user-agent': UA,
  'accept-language': 'vi-VN,vi;q=0.9,en;q=0.8',
  'content-type': 'application/json',
};
const body = JSON.stringify({
  slots: [{ id: 'home.hero' }, { id: 'home.banner' }, { id: 'home.categories' }],
});

/** A running decision server on 127.0.0.1 with a visitor who granted every purpose and browsed. */
async function decisionServer(cfg, dataDir) {
  const tactful = await createTactful(cfg, { baseDir: dataDir });
  const server = await createServer(tactful, { log: false });
  const running = await server.listen({ port: 0, host: '127.0.0.1' });
  const headers = { ...json, origin: running.url };
  const consent = await fetch(`${running.url}/v1/consent`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      grant: ['personalization.contextual', 'personalization.session', 'personalization.profile'],
    }),
  });
  let cookie = consent.headers
    .getSetCookie()
    .map((l) => l.split(';')[0])
    .join('; ');
  const events = await fetch(`${running.url}/v1/session/events`, {
    method: 'POST',
    headers: { ...headers, cookie },
    body: JSON.stringify({
      events: [
        { type: 'category_view', target: 'kids', topics: ['kids'] },
        { type: 'product_view', target: 'p-1', topics: ['kids', 'toys'] },
        { type: 'product_view', target: 'p-2', topics: ['garden'] },
      ],
    }),
  });
  cookie = [cookie, ...events.headers.getSetCookie().map((l) => l.split(';')[0])].join('; ');
  const sample = await fetch(`${running.url}/v1/decide`, {
    method: 'POST',
    headers: { ...headers, cookie },
    body,
  });
  const text = await sample.text();
  const decision = JSON.parse(text);
  if (sample.status !== 200 || decision.slots.every((s) => s.isDefault)) {
    console.error('the warm-up decision was not personalized:', sample.status, text.slice(0, 300));
    process.exit(1);
  }
  return {
    url: running.url,
    headers: { ...headers, cookie },
    decision,
    text,
    /** Waits for queued audit writes: their time belongs to the run that queued them. */
    async flush() {
      const started = performance.now();
      await tactful.audit?.flush();
      return (performance.now() - started) / 1000;
    },
    async close() {
      await server.close();
      await tactful.close();
    },
  };
}

const audited = await decisionServer(config, dir);
const unauditedDir = mkdtempSync(join(tmpdir(), 'tactful-server-bench-'));
cpSync(fixtures, unauditedDir, { recursive: true });
const unaudited = await decisionServer(
  TactfulConfigSchema.parse({ ...config, audit: { ...config.audit, enabled: false } }),
  unauditedDir,
);
const decision = audited.decision;
const decisionText = audited.text;

// The bare route: Hono on the same adapter, answering a body of the same size, doing nothing else.
const bareApp = new Hono();
bareApp.post('/v1/decide', async (c) => {
  await c.req.text();
  return c.json(decision);
});
const bare = await new Promise((resolve) => {
  const s = serve({ fetch: bareApp.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    resolve({ server: s, url: `http://127.0.0.1:${info.port}` }),
  );
});

function load(url, headers, title) {
  return new Promise((resolve, reject) => {
    autocannon(
      { url: `${url}/v1/decide`, method: 'POST', headers, body, connections, duration: seconds, title },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

// A short warm-up of each, then the measured runs, one after another.
// The same request bytes for every route: the visitor's cookies, origin, agent and languages.
const bareHeaders = { ...audited.headers };
for (const [url, headers] of [
  [bare.url, bareHeaders],
  [audited.url, audited.headers],
  [unaudited.url, unaudited.headers],
]) {
  await new Promise((resolve, reject) =>
    autocannon(
      { url: `${url}/v1/decide`, method: 'POST', headers, body, connections, duration: 1 },
      (e, r) => (e ? reject(e) : resolve(r)),
    ),
  );
}
await audited.flush();
const results = { bare: [], audited: [], unaudited: [] };
/**
 * Loads a decision server, then waits for the audit writes it queued: the throughput counts that
 * time too (requests / (run + flush)), so deferred work is neither hidden nor charged to the next run.
 */
async function loadDecide(target, title) {
  const result = await load(target.url, target.headers, title);
  const flushSeconds = await target.flush();
  const elapsed = result.duration + flushSeconds;
  return {
    ...result,
    flushSeconds,
    requests: { ...result.requests, average: result.requests.total / elapsed },
  };
}
for (let round = 0; round < rounds; round++) {
  results.bare.push(await load(bare.url, bareHeaders, 'bare Hono route'));
  results.audited.push(await loadDecide(audited, 'POST /v1/decide'));
  results.unaudited.push(await loadDecide(unaudited, 'POST /v1/decide, audit off'));
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
  'audit flush s': r.flushSeconds === undefined ? '-' : r.flushSeconds.toFixed(2),
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
  `\n@tactful/server http bench: ${connections} connections, ${rounds} rounds of ${seconds} s per route, 127.0.0.1, Node ${process.version}`,
);
console.log(
  `decision body: ${Buffer.byteLength(decisionText)} bytes, ${decision.slots.length} slots, strategies: ${[...new Set(decision.slots.map((s) => s.strategy))].join(', ')}`,
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
const verdict = (r) => `${(r * 100).toFixed(1)}% (target >= 85%: ${r >= 0.85 ? 'met' : 'NOT met'})`;
console.log(`ratio decide / bare (median round), audit on:  ${verdict(ratio)}`);
console.log(`ratio decide / bare (median round), audit off: ${verdict(ratioOff)}`);
console.log(`errors and non-2xx answers: ${failures}`);

await audited.close();
await unaudited.close();
await new Promise((r) => bare.server.close(r));
rmSync(dir, { recursive: true, force: true });
rmSync(unauditedDir, { recursive: true, force: true });
if (failures > 0) process.exit(1);
