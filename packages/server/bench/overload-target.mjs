// One decision server for overload.bench.mjs, in a process of its own: the fixture shop with SQLite
// on database threads (`worker`, the default) or on the server's own thread (`main`, the old way).
// Prints one line of JSON: { url, headers } for a visitor who granted every purpose (so each
// decision reads the consent store). Ends on SIGTERM.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TactfulConfigSchema, createTactful, loadConfig } from '@tactful/config';
import { createServer } from '../dist/index.js';

const thread = process.argv[2] === 'main' ? 'main' : 'worker';
const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tactful-overload-bench-'));
cpSync(fixtures, dir, { recursive: true });
const { config } = await loadConfig(join(dir, 'shop.config.json'));
const cfg = TactfulConfigSchema.parse({
  ...config,
  storage: { driver: 'sqlite', directory: join(dir, 'data'), thread },
  timeouts: {},
  ...(process.env.BENCH_AUDIT === 'off' ? { audit: { ...config.audit, enabled: false } } : {}),
});
const tactful = await createTactful(cfg, { baseDir: dir });
const server = await createServer(tactful, { log: false });
const running = await server.listen({ port: 0, host: '127.0.0.1' });
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
process.on('SIGTERM', async () => {
  if (process.env.BENCH_STATS) process.stderr.write(`stats ${JSON.stringify(server.stats())}\n`);
  await server.close();
  await tactful.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
});
