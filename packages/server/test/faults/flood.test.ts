import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, flood, sleep, startServer, timed } from './harness.js';

describe('a flood of connections', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(() => server?.stop());

  for (const connections of [500, 2000])
    it(`${connections} connections: every answer is a 200 or a 503 with Retry-After, none left hanging, and /healthz stays fast`, async () => {
      // The probe's connection is opened first (kept alive), so it measures the server, not the accept queue.
      await timed(`${server.url}/healthz`);
      await server.stats();
      const running = flood(`${server.url}/v1/decide`, connections, 6);
      // Probe health while the flood runs (after it has ramped up).
      await sleep(1500);
      const health: number[] = [];
      for (let i = 0; i < 10; i++) {
        health.push((await timed(`${server.url}/healthz`, { timeoutMs: 10_000 })).ms);
        await sleep(200);
      }
      // The loop's worst delay while the flood was on (read now: reading resets it).
      const during = await server.stats();
      const result = await running;
      const stats = await server.stats();
      console.info(
        `flood ${connections} connections: ${Math.round(result.rps)} req/s, statuses ${JSON.stringify(result.statuses)}, answered p50/p99/max ${result.answered.p50}/${result.answered.p99}/${result.answered.max} ms, shed p50/p99/max ${result.shed.p50}/${result.shed.p99}/${result.shed.max} ms, timeouts ${result.timeouts}, errors ${result.errors}; /healthz slowest ${Math.round(Math.max(...health))} ms; server: in-flight limit ${stats.limit}, mean time in the server ${stats.sojournMs} ms, worst event-loop delay ${stats.worstLagMs} ms, shed ${JSON.stringify(stats.shed)}`,
      );
      // Only answers and sheds: no 500s, no client timeouts (10 s), no resets; every shed says
      // when to come back.
      expect(Object.keys(result.statuses).every((s) => s === '200' || s === '503')).toBe(true);
      expect(result.timeouts).toBe(0);
      expect(result.errors).toBe(0);
      expect(result.noRetryAfter).toBe(0);
      // The client's own times beyond the medians are printed, not asserted: on a machine shared
      // with other work the load generator itself is starved and its connections' SYNs retried,
      // which no server setting changes. The medians are the server's: before shedding by time they
      // were seconds at 2,000 connections, with no 503 at all; a shed is quick.
      expect(result.p50).toBeLessThan(2000);
      if (result.statuses['503']) expect(result.shed.p50).toBeLessThan(2000);
      // The server's own loop never fell seconds behind while the flood was on (the mechanism:
      // work shed by time), and health answered in well under the seconds an unshed queue took.
      console.info(
        `worst event-loop delay: ${during.worstLagMs} ms during the flood, ${stats.worstLagMs} ms after`,
      );
      // Before the turn budget, at 2,000 connections one poll phase read 22,000 requests in 3.5 s
      // with no timer run (deadlines, queue timeouts and this sampler all late by seconds).
      expect(during.worstLagMs).toBeLessThan(2500);
      expect(stats.worstLagMs).toBeLessThan(2500);
      expect(Math.max(...health)).toBeLessThan(3000);
      // The adaptive in-flight limit stays within its configured bounds (16 to 256 by default).
      expect(stats.limit).toBeGreaterThanOrEqual(16);
      expect(stats.limit).toBeLessThanOrEqual(256);
      // And the server is fine afterwards.
      expect((await timed(`${server.url}/readyz`)).status).toBe(200);
    }, 90_000);
});
