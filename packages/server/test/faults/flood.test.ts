import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, flood, sleep, startServer, timed } from './harness.js';

describe('a flood of connections', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(() => server?.stop());

  it('answers on time or sheds quickly with 503 (never leaves a client hanging), and /healthz stays fast', async () => {
    // The probe's connection is opened first (kept alive), so it measures the server, not the accept queue.
    await timed(`${server.url}/healthz`);
    await server.stats();
    const running = flood(`${server.url}/v1/decide`, 500, 6);
    // Probe health while the flood runs (after it has ramped up).
    await sleep(1500);
    const health: number[] = [];
    for (let i = 0; i < 10; i++) {
      health.push((await timed(`${server.url}/healthz`, { timeoutMs: 10_000 })).ms);
      await sleep(200);
    }
    const result = await running;
    const stats = await server.stats();
    console.info(
      `flood 500 connections: ${Math.round(result.rps)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, max ${result.max} ms, statuses ${JSON.stringify(result.statuses)}, timeouts ${result.timeouts}; /healthz slowest ${Math.round(Math.max(...health))} ms; server: worst event-loop delay ${stats.worstLagMs} ms, shed ${JSON.stringify(stats.shed)}`,
    );
    // Only answers and sheds: no 500s, no client timeouts (10 s), no resets.
    expect(Object.keys(result.statuses).every((s) => s === '200' || s === '503')).toBe(true);
    expect(result.timeouts).toBe(0);
    expect(result.errors).toBe(0);
    // The client's own tail (p99) is printed, not asserted: on a machine shared with other work the
    // load generator itself is starved and its connections' SYNs retried, which no server setting
    // changes. The median is the server's: before shedding by time it was seconds at 2,000 connections.
    expect(result.p50).toBeLessThan(2000);
    // The server's own loop never fell seconds behind (the mechanism: work shed by time), and
    // health answered in well under the seconds an unshed queue took.
    expect(stats.worstLagMs).toBeLessThan(2500);
    expect(Math.max(...health)).toBeLessThan(3000);
    // And the server is fine afterwards.
    expect((await timed(`${server.url}/readyz`)).status).toBe(200);
  }, 90_000);
});
