import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { frontDoor, passedFrontDoor } from './front-door.js';
import { concurrencyLimiter } from './limits.js';
import { type Admission, type Refusal, admission } from './overload.js';

const servers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A listening server whose front door says `verdict`; counts what reached the app behind it. */
async function door(verdict: () => Refusal | undefined, origins: string[] = []) {
  const reached: IncomingMessage[] = [];
  const fake = { early: verdict } as unknown as Admission;
  const app = (req: IncomingMessage, res: ServerResponse) => {
    reached.push(req);
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => res.end(`app read ${body.length} bytes`));
  };
  const server = createServer(frontDoor(app, fake, origins));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, reached };
}

describe('frontDoor', () => {
  it('sheds an API request at once, body unread, with Retry-After, no-store and the CORS of a listed page', async () => {
    const { url, reached } = await door(() => 'lagging', ['https://shop.example']);
    const r = await fetch(`${url}/v1/decide`, {
      method: 'POST',
      headers: { origin: 'https://shop.example', 'content-type': 'application/json' },
      body: JSON.stringify({ slots: [{ id: 'home.hero' }] }),
    });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('vary')).toBe('Origin');
    expect(r.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(r.headers.get('access-control-expose-headers')).toBe('Retry-After');
    expect(await r.json()).toEqual({
      error: { code: 'OVERLOADED', message: 'the server is running behind; retry in a second' },
    });
    expect(reached).toHaveLength(0);
    // An origin not listed gets no CORS header; the connection stays usable (keep-alive).
    const other = await fetch(`${url}/v1/consent`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      body: 'x',
    });
    expect(other.status).toBe(503);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('never sheds health, readiness, preflights or anything outside /v1, and marks what it let through', async () => {
    const { url, reached } = await door(() => 'queue-full');
    for (const path of ['/healthz', '/readyz', '/openapi.json'])
      expect((await fetch(url + path)).status).toBe(200);
    expect((await fetch(`${url}/v1/decide`, { method: 'OPTIONS' })).status).toBe(200);
    expect(reached).toHaveLength(4);
    expect(reached.every((req) => !passedFrontDoor(req))).toBe(true);

    const open = await door(() => undefined);
    const r = await fetch(`${open.url}/v1/decide`, { method: 'POST', body: 'abc' });
    expect(await r.text()).toBe('app read 3 bytes');
    expect(passedFrontDoor(open.reached[0])).toBe(true);
  });
});

describe('admission.early', () => {
  it('lets everything in while slots are free, then sheds once the queue is full or its oldest waiter is old', async () => {
    const a = admission(concurrencyLimiter(1), { queueTimeoutMs: 2000, maxQueued: 2, maxLagMs: 1000 });
    try {
      expect(a.early()).toBeUndefined();
      expect(a.acquire(true)).toBeUndefined(); // the one slot
      expect(a.early()).toBeUndefined(); // nobody waiting yet
      const first = a.acquire(true) as Promise<Refusal | undefined>;
      expect(a.early()).toBeUndefined(); // one waiter, just arrived
      const second = a.acquire(true) as Promise<Refusal | undefined>;
      expect(a.early()).toBe('queue-full');
      a.release();
      expect(await first).toBeUndefined();
      // One waiter left; once it has waited half the queue timeout a newcomer is shed at the door.
      await new Promise((r) => setTimeout(r, 1010));
      expect(a.early()).toBe('queue-timeout');
      a.release();
      expect(await second).toBeUndefined();
      expect(a.early()).toBeUndefined();
      expect(a.stats.shed).toEqual({ 'queue-full': 1, 'queue-timeout': 1, lagging: 0 });
    } finally {
      a.stop();
    }
  });
});
