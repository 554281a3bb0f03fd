import { type ConsentRecord, verifyConsentChain } from '@tactful/core';
import { sqliteConsentStore } from '@tactful/store-sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AUTH,
  DECIDE_BODY,
  PURPOSES,
  type ServerProcess,
  grantAll,
  sleep,
  startServer,
  timed,
} from './harness.js';

describe('a database thread dies in the middle of a burst', () => {
  let server: ServerProcess | undefined;
  afterAll(() => server?.stop());

  it('fails fast meanwhile (503 with Retry-After, decisions by default), restarts the thread, loses nothing acknowledged', async () => {
    server = await startServer();
    const running = server;
    const acked = new Set<string>();
    const sent: string[] = [];
    const statuses: Record<string, number> = {};
    const decisions: Record<string, number> = {};
    let slowest503 = 0;
    let n = 0;
    let stop = false;
    const killedAt: number[] = [];
    // 12 writers sending consent changes (three purposes each), 4 clients asking for decisions.
    const writer = async () => {
      while (!stop) {
        const subject = `t-${n++}`;
        sent.push(subject);
        const r = await grantAll(running.url, subject, PURPOSES);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status === 200) acked.add(subject);
        if (r.status === 503) {
          expect(r.headers.get('retry-after')).not.toBeNull();
          slowest503 = Math.max(slowest503, r.ms);
        }
      }
    };
    const decider = async () => {
      while (!stop) {
        const r = await timed(`${running.url}/v1/decide`, {
          headers: { ...AUTH, 'tactful-subject': `t-${Math.floor(Math.random() * Math.max(1, n))}` },
          body: DECIDE_BODY,
        });
        decisions[r.status] = (decisions[r.status] ?? 0) + 1;
      }
    };
    const load = [...Array.from({ length: 12 }, writer), ...Array.from({ length: 4 }, decider)];
    // Once writes flow, end the writer thread, then the reader, while the burst goes on.
    while (acked.size < 100) await sleep(20);
    killedAt.push(acked.size);
    await running.killThread('writer');
    await sleep(300);
    await running.killThread('reader');
    // The server comes back by itself: writes are acknowledged again after the kills.
    const before = acked.size;
    const until = Date.now() + 20_000;
    while (acked.size < before + 100 && Date.now() < until) await sleep(50);
    stop = true;
    await Promise.all(load);
    const stats = await running.stats();
    console.info(
      `thread crash: consent ${JSON.stringify(statuses)}, decide ${JSON.stringify(decisions)}, slowest 503 ${Math.round(slowest503)} ms, restarts ${stats.storeRestarts}`,
    );
    expect(acked.size).toBeGreaterThanOrEqual(before + 100);
    expect(stats.storeRestarts).toBe(2);
    // Only answers and quick refusals: never a 500, and a refusal never waited out a store timeout.
    expect(Object.keys(statuses).every((s) => s === '200' || s === '503')).toBe(true);
    expect(Object.keys(decisions).every((s) => s === '200' || s === '503')).toBe(true);
    expect(slowest503).toBeLessThan(4000);
    expect((await timed(`${running.url}/readyz`)).status).toBe(200);

    // Nothing acknowledged lost, nothing half-written (read beside the live server, as a backup would).
    const store = sqliteConsentStore({ filename: running.database });
    try {
      for (const subject of sent) {
        const history: ConsentRecord[] = await store.history(subject);
        expect([0, PURPOSES.length]).toContain(history.length);
        if (history.length > 0) expect((await verifyConsentChain(history)).ok).toBe(true);
        if (acked.has(subject)) expect(history.map((r) => r.purpose).sort()).toEqual([...PURPOSES].sort());
      }
    } finally {
      store.close?.();
    }
  }, 120_000);
});
