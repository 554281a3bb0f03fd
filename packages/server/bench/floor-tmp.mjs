import http from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
const kind = process.argv[2];
const body = JSON.stringify({ error: { code: 'OVERLOADED', message: 'too many requests at once; retry in a second' } });
let server;
if (kind === 'bare') {
  server = http.createServer((req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
} else {
  const app = new Hono();
  app.post('/v1/decide', (c) => { c.header('Retry-After', '1'); return c.body(body, 503, { 'content-type': 'application/json' }); });
  server = createAdaptorServer({ fetch: app.fetch });
}
server.listen({ port: 0, host: '127.0.0.1', backlog: 10000 }, () => {
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}`, headers: { 'content-type': 'application/json' } }) + '\n');
});
process.on('SIGTERM', () => process.exit(0));
