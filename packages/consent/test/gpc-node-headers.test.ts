/// <reference types="node" />
import { type IncomingHttpHeaders, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpcFromHeaders } from '@tactful/consent';

let server: ReturnType<typeof createServer>;
let port = 0;
let received: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(req.headers);
    res.end(String(gpcFromHeaders(req.headers)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function send(values: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve(body));
    });
    if (values.length > 0) req.setHeader('Sec-GPC', values);
    req.on('error', reject);
    req.end();
  });
}

describe('gpcFromHeaders with a real Node HTTP server', () => {
  it('sees duplicate Sec-GPC headers joined with ", " by Node, and any "1" wins', async () => {
    received = [];
    expect(await send(['0', '1'])).toBe('true');
    expect(received[0]?.['sec-gpc']).toBe('0, 1');
    expect(await send(['1', '1'])).toBe('true');
    expect(await send(['0', 'true'])).toBe('false');
    expect(await send(['1'])).toBe('true');
    expect(await send([])).toBe('false');
  });
});
