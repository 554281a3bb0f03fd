// One server under load for http.bench.mjs, in a process of its own (so the load generator does not
// share its event loop). Roles, all serving the storefront's five slots to the same visitor
// (storefront.mjs):
//   audited    POST /v1/decide, the storefront's configuration as written (SQLite, audit on)
//   unaudited  the same, the decision audit trail off
//   memory     the same, audit off, memory stores instead of SQLite
//   stub       the server around a stubbed engine: decide() answers the visitor's decision as made
//              once at start (cookies, CSRF, body validation, context, JSON; no decision work)
//   growthbook the GrowthBook route (peers.mjs): the configuration translated to features
//   floor      the hand-written route (peers.mjs)
// Started by a `start` message, it reports { url, headers, decision } when ready and answers the
// parent's messages: `cpu` (the process's CPU time so far, µs, all threads; and the main thread's
// own, where Linux tells it), `flush` (waits for queued audit writes), `close`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { createTactful } from '@tactful/config';
import { peerApp } from './peers.mjs';
import { mainThreadCpu } from './thread-cpu.mjs';
import {
  BODY,
  DECLARED,
  EDGE,
  EVENTS,
  startWeather,
  storefrontSources,
  visitHeaders,
} from './storefront.mjs';

const role = process.argv[2];
// BENCH_SERVER_DIST=<file> serves the Tactful roles from another build of this package (say, the
// one before a change, copied aside), so two builds can be compared in the same run.
const { createServer } = await import(
  process.env.BENCH_SERVER_DIST === undefined
    ? '../dist/index.js'
    : new URL(process.env.BENCH_SERVER_DIST, `file://${process.cwd()}/`).href
);

// Garbage-collection pauses of this process (ms so far), reported beside its CPU time.
let gcMillis = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMillis += entry.duration;
}).observe({ entryTypes: ['gc'] });

/** Keeps the cookies a response sets, as a browser would. */
function cookieJar() {
  const jar = new Map();
  return {
    keep(response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair.indexOf('=');
        jar.set(pair.slice(0, eq), pair.slice(eq + 1));
      }
    },
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
  };
}

/** A running decision server on 127.0.0.1 for the storefront's visitor (see the roles above). */
async function decisionServer(role, weather) {
  const { config, baseDir } = await storefrontSources();
  const dir = mkdtempSync(join(tmpdir(), 'tactful-server-bench-'));
  const cfg = {
    ...config,
    // BENCH_SQLITE_READS=main-first: SQLite reads on the server's own thread first (storage.reads).
    storage:
      role === 'memory'
        ? { driver: 'memory' }
        : { driver: 'sqlite', directory: dir, reads: process.env.BENCH_SQLITE_READS ?? 'thread' },
    sources: { ...config.sources, weather: { ...config.sources.weather, baseUrl: weather.url } },
    audit: { ...config.audit, enabled: role === 'audited' },
    server: { ...config.server, trustedProxy: { headers: EDGE.headers, secret: EDGE.secret } },
  };
  const tactful = await createTactful(cfg, { baseDir, secret: 'bench-secret-0123456789abcdef0123456789' });
  let stubbed;
  const engine = new Proxy(tactful.engine, {
    get: (target, key) =>
      key === 'decide' && stubbed !== undefined ? async () => stubbed : Reflect.get(target, key),
  });
  const server = await createServer({ ...tactful, engine }, { log: false });
  const running = await server.listen({ port: 0, host: '127.0.0.1' });
  const headers = visitHeaders(running.url);
  const jar = cookieJar();
  const call = async (method, path, body) => {
    const response = await fetch(`${running.url}${path}`, {
      method,
      headers: { ...headers, cookie: jar.header() },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    jar.keep(response);
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  await call('POST', '/v1/consent', {
    grant: ['personalization.contextual', 'personalization.session', 'personalization.profile'],
  });
  await call('PATCH', '/v1/me/preferences', DECLARED);
  await call('POST', '/v1/session/events', { events: EVENTS });
  const decision = await call('POST', '/v1/decide', BODY);
  if (role === 'stub') stubbed = decision;
  return {
    url: running.url,
    headers: { ...headers, cookie: jar.header() },
    decision,
    flush: () => tactful.audit?.flush(),
    async close() {
      await server.close();
      await tactful.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A peer route (peers.mjs) on the same Hono adapter. */
async function peerServer(kind, weather) {
  const { config, catalog } = await storefrontSources();
  const peer = peerApp(kind, { config, catalog, weatherUrl: weather.url, cityHeader: EDGE.headers.city });
  const server = await new Promise((resolve) => {
    const s = serve({ fetch: peer.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  const headers = { ...visitHeaders(url), cookie: peer.cookie };
  const sample = await fetch(`${url}/v1/decide`, { method: 'POST', headers, body: BODY });
  const decision = await sample.json();
  return {
    url,
    headers,
    decision,
    flush: async () => {},
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

process.on('message', async (message) => {
  if (message.type === 'start') {
    try {
      const weather = await startWeather();
      const target =
        role === 'growthbook' || role === 'floor'
          ? await peerServer(role, weather)
          : await decisionServer(role, weather);
      process.on('message', async (m) => {
        if (m.type === 'cpu') {
          const { user, system } = process.cpuUsage();
          process.send({
            type: 'cpu',
            micros: user + system,
            gcMicros: gcMillis * 1000,
            mainMicros: mainThreadCpu(),
          });
        } else if (m.type === 'flush') {
          await target.flush();
          process.send({ type: 'flushed' });
        } else if (m.type === 'close') {
          await target.close();
          await weather.close();
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
