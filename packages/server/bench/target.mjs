// One server under load for http.bench.mjs, in a process of its own (so the load generator does not
// share its event loop): `bare` (a Hono route answering a decision-sized JSON body, nothing else),
// `audited` (POST /v1/decide, the decision audit trail on) or `unaudited` (the same, audit off).
// Started by a `start` message (with the request body, and for `bare` the decision to answer), it
// reports { url, headers, decision } when ready and answers the parent's messages:
// `cpu` (the process's CPU time so far, µs), `flush` (waits for queued audit writes), `close`.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { TactfulConfigSchema, createTactful, loadConfig } from '@tactful/config';
import { Hono } from 'hono';
import { createServer } from '../dist/index.js';

const role = process.argv[2];
const UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const json = {
  'user-agent': UA,
  'accept-language': 'vi-VN,vi;q=0.9,en;q=0.8',
  'content-type': 'application/json',
};

/** A running decision server on 127.0.0.1 with a visitor who granted every purpose and browsed. */
async function decisionServer(audit, body) {
  const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'tactful-server-bench-'));
  cpSync(fixtures, dir, { recursive: true });
  const { config } = await loadConfig(join(dir, 'shop.config.json'));
  const cfg = audit
    ? config
    : TactfulConfigSchema.parse({ ...config, audit: { ...config.audit, enabled: false } });
  const tactful = await createTactful(cfg, { baseDir: dir });
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
    throw new Error(`the warm-up decision was not personalized: ${sample.status} ${text.slice(0, 300)}`);
  }
  return {
    url: running.url,
    headers: { ...headers, cookie },
    decision,
    flush: () => tactful.audit?.flush(),
    async close() {
      await server.close();
      await tactful.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The bare route: Hono on the same adapter, answering `decision`, doing nothing else. */
async function bareServer(decision, headers) {
  const app = new Hono();
  app.post('/v1/decide', async (c) => {
    await c.req.text();
    return c.json(decision);
  });
  const server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    headers,
    decision,
    flush: async () => {},
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

process.on('message', async (message) => {
  if (message.type === 'start') {
    try {
      const target =
        role === 'bare'
          ? await bareServer(message.decision, message.headers)
          : await decisionServer(role === 'audited', message.body);
      process.on('message', async (m) => {
        if (m.type === 'cpu') {
          const { user, system } = process.cpuUsage();
          process.send({ type: 'cpu', micros: user + system });
        } else if (m.type === 'flush') {
          await target.flush();
          process.send({ type: 'flushed' });
        } else if (m.type === 'close') {
          await target.close();
          process.exit(0);
        }
      });
      process.send({ type: 'ready', url: target.url, headers: target.headers, decision: target.decision });
    } catch (error) {
      process.send({ type: 'failed', message: String(error?.stack ?? error) });
      process.exit(1);
    }
  }
});
