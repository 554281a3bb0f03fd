import { type Socket, connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, DECIDE_BODY, type ServerProcess, startServer, timed } from './harness.js';

const SLOW = 300;

/** Opens a connection that sends its headers and half its body, then nothing. */
function halfBody(url: URL): Promise<{ socket: Socket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(
        `POST /v1/decide HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${AUTH.authorization}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"slots":[',
      );
      const opened = performance.now();
      // Read what the server sends (its 408), so its close is seen.
      socket.resume();
      const closed = new Promise<number>((done) =>
        socket.once('close', () => done(performance.now() - opened)),
      );
      resolve({ socket, closed });
    });
    socket.on('error', () => {});
    socket.once('error', reject);
  });
}

describe('hundreds of clients send half a body and stop', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ limits: { headersTimeoutMs: 2000, bodyTimeoutMs: 2000 } });
  }, 60_000);
  afterAll(() => server?.stop());

  it('keeps answering everyone else (slow bodies hold no decision slot) and cuts the slow ones after the body timeout', async () => {
    const url = new URL(server.url);
    const slow = await Promise.all(Array.from({ length: SLOW }, () => halfBody(url)));
    // Normal decisions while 300 bodies are stuck: each answered, none shed for want of a slot
    // (the default 256 slots would all be held by the stuck bodies if a slot were taken first).
    const normal = await Promise.all(
      Array.from({ length: 20 }, () =>
        timed(`${server.url}/v1/decide`, { headers: AUTH, body: DECIDE_BODY }),
      ),
    );
    for (const r of normal) {
      expect(r.status).toBe(200);
      expect(r.ms).toBeLessThan(4000);
    }
    expect((await timed(`${server.url}/healthz`)).ms).toBeLessThan(2500);
    // Cut after headers + body timeouts (4 s) and Node's check interval, not after 300 s.
    const closedAfter = await Promise.all(slow.map((s) => s.closed));
    expect(Math.max(...closedAfter)).toBeLessThan(15_000);
    for (const s of slow) s.socket.destroy();
  }, 60_000);
});
