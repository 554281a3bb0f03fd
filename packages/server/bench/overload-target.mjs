// One decision server for overload.bench.mjs, in a process of its own: the fixture shop with SQLite
// on database threads (`worker`, the default) or on the server's own thread (`main`, the old way);
// listening with the server's own listen() (its front door sheds before the framework), or with
// `framework` as 2nd argument, served by @hono/node-server directly (shedding only in the
// framework's gate, after the body, as before the front door). `floor` as 1st argument: a bare
// node:http server answering every request 503 from prepared bytes (the least any shedding costs).
// Prints one line of JSON: { url, headers } for a visitor who granted every purpose (so each
// decision reads the consent store). Ends on SIGTERM.
import { createServer as createHttpServer } from 'node:http';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TactfulConfigSchema, createTactful, loadConfig } from '@tactful/config';
// BENCH_SERVER_DIST: the server from another build (the bench's baseline).
const { createServer } = await import(process.env.BENCH_SERVER_DIST ?? '../dist/index.js');

// BENCH_STATS: also the time each request spent in the server as it sees it (from Node's 'request'
// event to the answer's last byte handed to the socket), by status, so a tail can be told apart
// from the client's and the kernel's share of it.
const inServer = { 200: [], 503: [] };
if (process.env.BENCH_STATS) {
  const { Server } = await import('node:http');
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (event, ...args) {
    if (event === 'request') {
      const res = args[1];
      const t = performance.now();
      res.once('finish', () => inServer[res.statusCode]?.push(performance.now() - t));
    }
    return emit.call(this, event, ...args);
  };
}
const spread = () => {
  const out = {};
  for (const [status, list] of Object.entries(inServer)) {
    list.sort((a, b) => a - b);
    const at = (p) => Math.round(list[Math.min(list.length - 1, Math.floor(list.length * p))] ?? 0);
    out[status] = { n: list.length, p50: at(0.5), p99: at(0.99), max: Math.round(list.at(-1) ?? 0) };
    list.length = 0;
  }
  return out;
};

if (process.argv[2] === 'floor') {
  const body = Buffer.from(
    '{"error":{"code":"OVERLOADED","message":"too many requests at once; retry in a second"}}',
  );
  const floor = createHttpServer((_req, res) => {
    res.writeHead(503, [
      'content-type',
      'application/json',
      'retry-after',
      '1',
      'content-length',
      String(body.length),
    ]);
    res.end(body);
  });
  await new Promise((r) => floor.listen({ port: 0, host: '127.0.0.1', backlog: 10_000 }, r));
  const url = `http://127.0.0.1:${floor.address().port}`;
  process.stdout.write(`${JSON.stringify({ url, headers: { 'content-type': 'application/json' } })}\n`);
  process.on('SIGTERM', () => process.exit(0));
  process.on('SIGUSR2', () => process.stderr.write('(no stats)\n'));
} else {
  const thread = process.argv[2] === 'main' ? 'main' : 'worker';
  const door = process.argv[3] === 'framework' ? 'framework' : 'front';
  const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'tactful-overload-bench-'));
  cpSync(fixtures, dir, { recursive: true });
  const { config } = await loadConfig(join(dir, 'shop.config.json'));
  const cfg = TactfulConfigSchema.parse({
    ...config,
    storage: { driver: 'sqlite', directory: join(dir, 'data'), thread },
    timeouts: {},
    // BENCH_LIMITS: JSON merged into server.limits (BENCH_MAX_LAG_MS: maxLagMs alone), to see what
    // the settings trade.
    server: {
      ...config.server,
      limits: {
        ...config.server?.limits,
        ...(process.env.BENCH_MAX_LAG_MS ? { maxLagMs: Number(process.env.BENCH_MAX_LAG_MS) } : {}),
        ...(process.env.BENCH_LIMITS ? JSON.parse(process.env.BENCH_LIMITS) : {}),
      },
    },
    ...(process.env.BENCH_AUDIT === 'off' ? { audit: { ...config.audit, enabled: false } } : {}),
  });
  const tactful = await createTactful(cfg, { baseDir: dir });
  const server = await createServer(tactful, { log: false });
  let running;
  if (door === 'front') running = await server.listen({ port: 0, host: '127.0.0.1' });
  else {
    const { createAdaptorServer } = await import('@hono/node-server');
    const bare = createAdaptorServer({ fetch: server.app.fetch });
    await new Promise((r) => bare.listen({ port: 0, host: '127.0.0.1', backlog: 10_000 }, r));
    running = { url: `http://127.0.0.1:${bare.address().port}` };
  }
  const headers = { 'content-type': 'application/json', origin: running.url };
  const consent = await fetch(`${running.url}/v1/consent`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      grant: ['personalization.contextual', 'personalization.session', 'personalization.profile'],
    }),
  });
  const cookie = consent.headers
    .getSetCookie()
    .map((l) => l.split(';')[0])
    .join('; ');
  process.stdout.write(`${JSON.stringify({ url: running.url, headers: { ...headers, cookie } })}\n`);
  // BENCH_STATS: the load figures on SIGUSR2 (the bench asks after each run) and on SIGTERM.
  process.on('SIGUSR2', () =>
    process.stderr.write(`stats ${JSON.stringify(server.stats())}\nin server ${JSON.stringify(spread())}\n`),
  );
  process.on('SIGTERM', async () => {
    if (process.env.BENCH_STATS) process.stderr.write(`stats ${JSON.stringify(server.stats())}\n`);
    await server.close();
    await tactful.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
}
