import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { frontDoor, overBudgetShed, passedFrontDoor } from './front-door.js';
import { concurrencyLimiter } from './limits.js';
import { type Admission, type AdmissionOptions, type Refusal, admission } from './overload.js';

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
    expect(reached.every((req) => passedFrontDoor(req) === undefined)).toBe(true);

    const open = await door(() => undefined);
    const r = await fetch(`${open.url}/v1/decide`, { method: 'POST', body: 'abc' });
    expect(await r.text()).toBe('app read 3 bytes');
    // Not held for a later turn: the gate behind counts its wait from 0.
    expect(passedFrontDoor(open.reached[0])).toBe(0);
  });
});

/** An admission on a clock of the test's own (no timer runs; `window()` is 100 ms of loop samples). */
function clocked(slots: number, options: Partial<AdmissionOptions> = {}) {
  const clock = { t: 0, now: () => clock.t };
  const a = admission(
    concurrencyLimiter(slots),
    {
      queueTimeoutMs: 100,
      maxQueued: slots * 4,
      maxLagMs: 60_000,
      latencyTargetMs: 0,
      minConcurrent: slots,
      ...options,
    },
    clock,
  );
  const window = (lateMs = 0, utilization = 0.2) => {
    for (let i = 0; i < 10; i++) {
      clock.t += 10;
      a.tick(lateMs, utilization);
    }
  };
  /** Takes a slot as a request through the front door would (early, then acquire once its body is in). */
  const take = () => {
    expect(a.early()).toBeUndefined();
    expect(a.acquire(true)).toBeUndefined();
  };
  /** `perWindow` slots given back and taken again in each of `windows` windows: a measured rate. */
  const churn = (perWindow: number, windows = 3) => {
    for (let w = 0; w < windows; w++) {
      for (let i = 0; i < perWindow; i++) {
        a.release();
        take();
      }
      window();
    }
  };
  return { a, clock, window, take, churn };
}

describe('admission.early with the time a request was held', () => {
  it('sheds a request held past half the queue timeout though every slot is free, and counts it as queue time', () => {
    const a = admission(concurrencyLimiter(8), {
      queueTimeoutMs: 100,
      maxQueued: 8,
      maxLagMs: 1000,
      latencyTargetMs: 0,
      minConcurrent: 1,
    });
    try {
      expect(a.early(0)).toBeUndefined();
      expect(a.early(50)).toBeUndefined();
      expect(a.early(51)).toBe('queue-timeout');
      expect(a.stats.shed['queue-timeout']).toBe(1);
      expect(a.early()).toBeUndefined();
    } finally {
      a.stop();
    }
  });

  it('with no queue at all (queueTimeoutMs 0) a held request is not shed for it', () => {
    const a = admission(concurrencyLimiter(8), {
      queueTimeoutMs: 0,
      maxQueued: 8,
      maxLagMs: 1000,
      latencyTargetMs: 0,
      minConcurrent: 1,
    });
    try {
      expect(a.early(5_000)).toBeUndefined();
    } finally {
      a.stop();
    }
  });
});

describe('admission: the expected wait and the adaptive limit', () => {
  it('sheds at the door at once when every slot is taken and the queue would take longer than half its timeout, though nobody waits yet', () => {
    const { a, take, churn, window } = clocked(4);
    try {
      for (let i = 0; i < 4; i++) take();
      // Each decision holds its slot 300 ms: with 4 slots one frees every 75 ms, so a newcomer
      // would wait longer than half the 100 ms queue timeout.
      for (let w = 0; w < 6; w++) {
        if (w % 3 === 0)
          for (let i = 0; i < 4; i++) {
            a.release();
            take();
          }
        window();
      }
      expect(a.stats.queued).toBe(0);
      expect(a.early()).toBe('queue-timeout');
      expect(a.stats.shed['queue-timeout']).toBe(1);
      // Quick decisions (4 a window each way: 100 ms each, one frees every 25 ms): a newcomer may queue.
      churn(4, 6);
      expect(a.early()).toBeUndefined();
    } finally {
      a.stop();
    }
  });

  it('counts what the door let through in this loop turn, so a burst cannot all pass before any of it takes a slot', () => {
    const { a, take, churn, window } = clocked(4);
    try {
      for (let i = 0; i < 4; i++) take();
      churn(4, 6); // 100 ms a decision: with 4 slots each request past the limit waits 25 ms more
      for (let i = 0; i < 4; i++) a.release();
      // 4 free slots, then 2 more whose expected wait is within 50 ms (25, 50); the 7th is shed.
      const verdicts = Array.from({ length: 7 }, () => a.early());
      expect(verdicts.filter((v) => v === undefined)).toHaveLength(6);
      expect(verdicts[6]).toBe('queue-timeout');
      // Those that reached a slot are no longer counted as on their way; a slow body holds
      // nothing past the next loop sample.
      window();
      expect(a.early()).toBeUndefined();
    } finally {
      a.stop();
    }
  });

  it('shrinks the limit while the saturated loop runs late, but never sheds the floor’s worth of requests, and grows back', async () => {
    const { a, take, window } = clocked(64, { latencyTargetMs: 150, minConcurrent: 16 });
    try {
      take();
      for (let w = 0; w < 20; w++) {
        a.release();
        take();
        window(400, 1);
      }
      expect(a.stats.limit).toBe(16);
      a.release();
      // 16 at once are let in, whatever the loop says.
      for (let i = 0; i < 16; i++) take();
      expect(a.stats.active).toBe(16);
      expect(Object.values(a.stats.shed).every((n) => n === 0)).toBe(true);
      // Past the floor, a newcomer waits (first come first served) for a slot.
      expect(a.early()).toBeUndefined();
      const waiting = a.acquire(true) as Promise<Refusal | undefined>;
      expect(a.stats.queued).toBe(1);
      a.release();
      expect(await waiting).toBeUndefined();
      // The loop keeps up again: the limit climbs back to maxConcurrent.
      for (let i = 0; i < 16; i++) a.release();
      for (let w = 0; w < 40; w++) window(0, 0.3);
      expect(a.stats.limit).toBe(64);
    } finally {
      a.stop();
    }
  });
});

describe('frontDoor with an overloaded admission', () => {
  it('answers 503 with Retry-After at once for the API, and never sheds health, readiness or preflights', async () => {
    const { a, take, window } = clocked(2);
    for (let i = 0; i < 2; i++) take();
    // Decisions of a second each: a newcomer would wait far past the queue timeout.
    for (let w = 0; w < 20; w++) {
      if (w % 10 === 0)
        for (let i = 0; i < 2; i++) {
          a.release();
          take();
        }
      window();
    }
    const app = (_req: IncomingMessage, res: ServerResponse) => res.end('ok');
    const server = createServer(frontDoor(app, a, []));
    servers.push({
      close: () => {
        server.close();
        a.stop();
      },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const shed = await fetch(`${url}/v1/decide`, { method: 'POST', body: '{}' });
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(await shed.json()).toMatchObject({ error: { code: 'OVERLOADED' } });
    for (const path of ['/healthz', '/readyz']) expect((await fetch(url + path)).status).toBe(200);
    expect((await fetch(`${url}/v1/decide`, { method: 'OPTIONS' })).status).toBe(200);
    expect(a.stats.shed['queue-timeout']).toBe(1);
  });
});

describe('overBudgetShed (a request read once its loop turn is spent)', () => {
  /** A fake response that records what was written. */
  const response = () => {
    const seen: { status?: number; headers?: string[]; body?: string } = {};
    const res = {
      writeHead(status: number, headers: string[]) {
        seen.status = status;
        seen.headers = headers;
      },
      end(body: Buffer) {
        seen.body = body.toString();
      },
    } as unknown as ServerResponse;
    return { res, seen };
  };
  const request = (url: string, method = 'POST') =>
    ({ url, method, headers: { origin: 'https://shop.example' } }) as unknown as IncomingMessage;
  const options: AdmissionOptions = {
    queueTimeoutMs: 100,
    maxQueued: 8,
    maxLagMs: 60_000,
    latencyTargetMs: 0,
    minConcurrent: 2,
  };

  it('sheds an API request with 503 and Retry-After when every slot is taken, counted as lagging; holds it while one is free', () => {
    const clock = { now: () => 0 };
    const limiter = concurrencyLimiter(2);
    const a = admission(limiter, options, clock);
    try {
      const shed = overBudgetShed(a, ['https://shop.example']);
      // One slot free: held, not shed (a slot is there for it next turn).
      limiter.tryAcquire();
      const free = response();
      expect(shed(request('/v1/decide'), free.res)).toBe(false);
      expect(free.seen.status).toBeUndefined();
      limiter.tryAcquire();
      const full = response();
      expect(shed(request('/v1/decide'), full.res)).toBe(true);
      expect(full.seen.status).toBe(503);
      const headers = full.seen.headers ?? [];
      expect(headers[headers.indexOf('retry-after') + 1]).toBe('1');
      expect(headers[headers.indexOf('access-control-allow-origin') + 1]).toBe('https://shop.example');
      expect(JSON.parse(full.seen.body ?? '{}').error.code).toBe('OVERLOADED');
      expect(a.stats.shed.lagging).toBe(1);
      // Health, readiness, preflights and anything outside /v1 are held, never shed.
      for (const [url, method] of [
        ['/healthz', 'GET'],
        ['/readyz', 'GET'],
        ['/v1/decide', 'OPTIONS'],
        ['/other', 'POST'],
      ] as const)
        expect(shed(request(url, method), response().res)).toBe(false);
      expect(a.stats.shed.lagging).toBe(1);
    } finally {
      a.stop();
    }
  });

  it('counts the requests the door let through this turn as taking slots', () => {
    const clock = { now: () => 0 };
    const a = admission(concurrencyLimiter(2), options, clock);
    try {
      expect(a.overBudget()).toBeUndefined();
      expect(a.early()).toBeUndefined();
      expect(a.early()).toBeUndefined();
      // Two on their way to the two slots: none is free for a third.
      expect(a.overBudget()).toBe('lagging');
    } finally {
      a.stop();
    }
  });
});
