// The decide route under load, side by side with a bare Hono route answering a decision-sized JSON
// body: both on 127.0.0.1, each loaded by autocannon for a bounded time. Prints req/s, p99 and the
// ratio (target: the real route at 85% or more of the bare one, zero errors).
//
//   pnpm --filter @tactful/server bench          (after a build)
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=64 node bench/http.bench.mjs
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createTactful, loadConfig } from '@tactful/config';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { createServer } from '../dist/index.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tactful-server-bench-'));
cpSync(fixtures, dir, { recursive: true });

const { config, baseDir } = await loadConfig(join(dir, 'shop.config.json'));
const tactful = await createTactful(config, { baseDir });
const server = await createServer(tactful, { log: false });
const real = await server.listen({ port: 0, host: '127.0.0.1' });

const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const base = { origin: real.url, 'user-agent': UA, 'accept-language': 'vi-VN,vi;q=0.9,en;q=0.8' };
const json = { ...base, 'content-type': 'application/json' };

// A visitor who granted every purpose and browsed: the decision does all of its work.
const consent = await fetch(`${real.url}/v1/consent`, {
  method: 'POST',
  headers: json,
  body: JSON.stringify({
    grant: ['personalization.contextual', 'personalization.session', 'personalization.profile'],
  }),
});
let cookie = consent.headers
  .getSetCookie()
  .map((l) => l.split(';')[0])
  .join('; ');
const events = await fetch(`${real.url}/v1/session/events`, {
  method: 'POST',
  headers: { ...json, cookie },
  body: JSON.stringify({
    events: [
      { type: 'category_view', target: 'kids', topics: ['kids'] },
      { type: 'product_view', target: 'p-1', topics: ['kids', 'toys'] },
      { type: 'product_view', target: 'p-2', topics: ['garden'] },
    ],
  }),
});
cookie = [cookie, ...events.headers.getSetCookie().map((l) => l.split(';')[0])].join('; ');
const body = JSON.stringify({
  slots: [{ id: 'home.hero' }, { id: 'home.banner' }, { id: 'home.categories' }],
});
const sample = await fetch(`${real.url}/v1/decide`, { method: 'POST', headers: { ...json, cookie }, body });
const decisionText = await sample.text();
const decision = JSON.parse(decisionText);
if (sample.status !== 200 || decision.slots.every((s) => s.isDefault)) {
  console.error('the warm-up decision was not personalized:', sample.status, decisionText.slice(0, 300));
  process.exit(1);
}

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

function load(url, title) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/v1/decide`,
        method: 'POST',
        headers: { ...json, cookie },
        body,
        connections,
        duration: seconds,
        title,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

// A short warm-up of both, then the measured runs.
await load(bare.url, 'warm-up');
await load(real.url, 'warm-up');
const bareResult = await load(bare.url, 'bare Hono route');
const realResult = await load(real.url, 'POST /v1/decide');

const row = (name, r) => ({
  route: name,
  'req/s': Math.round(r.requests.average),
  'p50 ms': r.latency.p50,
  'p99 ms': r.latency.p99,
  errors: r.errors + r.timeouts,
  'non-2xx': r.non2xx,
  requests: r.requests.total,
});
const ratio = realResult.requests.average / bareResult.requests.average;
console.log(
  `\n@tactful/server http bench: ${connections} connections, ${seconds} s each, 127.0.0.1, Node ${process.version}`,
);
console.log(
  `decision body: ${Buffer.byteLength(decisionText)} bytes, ${decision.slots.length} slots personalized by ${[...new Set(decision.slots.map((s) => s.strategy))].join(', ')}`,
);
console.table([row('bare Hono (same body)', bareResult), row('POST /v1/decide (real)', realResult)]);
const failures =
  realResult.errors + realResult.timeouts + realResult.non2xx + bareResult.errors + bareResult.non2xx;
console.log(
  `ratio decide / bare: ${(ratio * 100).toFixed(1)}% (target >= 85%: ${ratio >= 0.85 ? 'met' : 'NOT met'}); errors: ${failures}`,
);

await server.close();
await tactful.close();
await new Promise((r) => bare.server.close(r));
rmSync(dir, { recursive: true, force: true });
if (failures > 0) process.exit(1);
