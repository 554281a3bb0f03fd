import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo, type Socket, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { heldMs, turnBudget } from './turn-budget.js';

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server whose every request costs `costMs` of CPU; records what it handled, in order. */
async function start(costMs: number, budget: boolean) {
  const handled: string[] = [];
  const held: number[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    held.push(heldMs(req));
    busy(costMs);
    handled.push(req.url ?? '');
    res.end('ok');
  };
  server = createServer(budget ? turnBudget(listener, 10) : listener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // Connect every client first, so their requests all land in one poll round later.
  const clients = await Promise.all(
    Array.from(
      { length: 40 },
      () =>
        new Promise<Socket>((resolve) => {
          const s = connect(port, '127.0.0.1', () => resolve(s));
          sockets.push(s);
        }),
    ),
  );
  // Give the server a turn to accept them all.
  await new Promise((r) => setTimeout(r, 50));
  return { handled, held, clients };
}

/** Sends one request on each client at once; resolves with the answers' status lines. */
function burst(clients: Socket[]) {
  return Promise.all(
    clients.map(
      (s, i) =>
        new Promise<string>((resolve) => {
          let text = '';
          s.on('data', (d) => {
            text += d;
            if (text.includes('\r\n\r\nok')) resolve(text.split('\r\n')[0]!);
          });
          s.write(`GET /r${i} HTTP/1.1\r\nHost: x\r\n\r\n`);
        }),
    ),
  );
}

describe('turnBudget', () => {
  it('lets a timer run between the requests of one long turn, and answers every one of them, in order', async () => {
    const { handled, held, clients } = await start(3, true);
    const answers = burst(clients);
    // Due at once: without a budget it would wait for all 40 requests (120 ms of work).
    let handledWhenTimerRan = -1;
    setTimeout(() => (handledWhenTimerRan = handled.length), 0);
    const lines = await answers;
    expect(lines.every((l) => l === 'HTTP/1.1 200 OK')).toBe(true);
    expect(handled).toHaveLength(40);
    expect(handledWhenTimerRan).toBeGreaterThan(0);
    expect(handledWhenTimerRan).toBeLessThan(40);
    expect(new Set(handled).size).toBe(40);
    // The ones handled in the turn were not held; every later one says how long it waited (the
    // queue time the front door sheds by).
    expect(held.slice(0, handledWhenTimerRan).every((ms) => ms === 0)).toBe(true);
    expect(held.slice(handledWhenTimerRan).every((ms) => ms > 0)).toBe(true);
  });

  it('without it, the same burst holds the timer until every request has run (the failure it fixes)', async () => {
    const { handled, clients } = await start(3, false);
    const answers = burst(clients);
    let handledWhenTimerRan = -1;
    setTimeout(() => (handledWhenTimerRan = handled.length), 0);
    await answers;
    expect(handledWhenTimerRan).toBe(40);
  });

  it('is off with a budget of 0 (server.limits.turnBudgetMs): the listener is used as it is', () => {
    const listener = () => {};
    expect(turnBudget(listener, 0)).toBe(listener);
    expect(turnBudget(listener, 30)).not.toBe(listener);
  });

  it('holds nothing while the loop keeps up', async () => {
    const { handled, held, clients } = await start(0, true);
    for (const [i, s] of clients.slice(0, 5).entries()) {
      const line = await burst([s]);
      expect(line[0]).toBe('HTTP/1.1 200 OK');
      expect(handled).toHaveLength(i + 1);
    }
    expect(held.every((ms) => ms === 0)).toBe(true);
  });

  it('skips a held request whose client went away, and keeps serving the others', async () => {
    const { handled, clients } = await start(3, true);
    const answers = burst(clients.slice(1));
    // The first client's request comes last in the round; it goes away before the turn ends.
    clients[0]!.write('GET /gone HTTP/1.1\r\nHost: x\r\n\r\n');
    setImmediate(() => clients[0]!.destroy());
    const lines = await answers;
    expect(lines.every((l) => l === 'HTTP/1.1 200 OK')).toBe(true);
    expect(handled.filter((u) => u !== '/gone')).toHaveLength(39);
  });
});

describe('turnBudget: shedding past the budget (injected clock, no timing)', () => {
  /** A fake request whose socket records pause/resume. */
  const fakeRequest = (url: string) => {
    const socket = {
      paused: false,
      destroyed: false,
      pause() {
        socket.paused = true;
      },
      resume() {
        socket.paused = false;
      },
    };
    return { url, socket } as unknown as IncomingMessage & { socket: typeof socket };
  };
  const fakeResponse = () => ({}) as ServerResponse;

  it('asks shed() about each request read once the turn is spent: answered there, it is neither run nor held', () => {
    const clock = { t: 0 };
    const ran: string[] = [];
    const asked: string[] = [];
    const listener = turnBudget((req) => ran.push(req.url ?? ''), 30, {
      now: () => clock.t,
      shed: (req) => {
        asked.push(req.url ?? '');
        return req.url === '/v1/full';
      },
    });
    const first = fakeRequest('/v1/first');
    listener(first, fakeResponse());
    clock.t = 20;
    listener(fakeRequest('/v1/within'), fakeResponse());
    // Past the 30 ms budget of this turn.
    clock.t = 31;
    const full = fakeRequest('/v1/full');
    listener(full, fakeResponse());
    const kept = fakeRequest('/v1/free');
    listener(kept, fakeResponse());
    // Within the budget nothing is asked; past it, each request is.
    expect(asked).toEqual(['/v1/full', '/v1/free']);
    expect(ran).toEqual(['/v1/first', '/v1/within']);
    // The shed one is done with (its socket keeps reading); the other is held for the next turn.
    expect(full.socket.paused).toBe(false);
    expect(kept.socket.paused).toBe(true);
  });

  it('without shed(), the same request past the budget is held (as before)', () => {
    const clock = { t: 0 };
    const ran: string[] = [];
    const listener = turnBudget((req) => ran.push(req.url ?? ''), 30, { now: () => clock.t });
    listener(fakeRequest('/v1/first'), fakeResponse());
    clock.t = 31;
    const late = fakeRequest('/v1/full');
    listener(late, fakeResponse());
    expect(ran).toEqual(['/v1/first']);
    expect(late.socket.paused).toBe(true);
  });
});
