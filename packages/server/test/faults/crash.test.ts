import { type ConsentRecord, verifyConsentChain } from '@tactful/core';
import { sqliteConsentStore } from '@tactful/store-sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { PURPOSES, type ServerProcess, grantAll, startServer } from './harness.js';

describe('kill -9 in the middle of a burst of consent changes', () => {
  let server: ServerProcess | undefined;
  afterAll(() => server?.stop());

  it('loses nothing acknowledged and leaves no change half-written', async () => {
    server = await startServer();
    const running = server;
    const acked = new Set<string>();
    const sent: string[] = [];
    let n = 0;
    let killed = false;
    const exited = new Promise((r) => running.child.once('exit', r));
    // 16 writers at once, each sending changes of three purposes until the server dies.
    const writer = async () => {
      while (!killed) {
        const subject = `k-${n++}`;
        sent.push(subject);
        try {
          const r = await grantAll(running.url, subject);
          if (r.status === 200) acked.add(subject);
          if (acked.size >= 150 && !killed) {
            killed = true;
            running.child.kill('SIGKILL');
          }
        } catch {
          // The connection died with the server.
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, writer));
    await exited;
    expect(acked.size).toBeGreaterThanOrEqual(150);

    const store = sqliteConsentStore({ filename: running.database });
    try {
      let whole = 0;
      for (const subject of sent) {
        const history: ConsentRecord[] = await store.history(subject);
        // All three purposes or none: never half a change.
        expect([0, PURPOSES.length]).toContain(history.length);
        if (history.length > 0) {
          whole++;
          expect((await verifyConsentChain(history)).ok).toBe(true);
        }
        if (acked.has(subject)) {
          expect(history.map((r) => r.purpose).sort()).toEqual([...PURPOSES].sort());
          expect(history.every((r) => r.status === 'granted')).toBe(true);
        }
      }
      console.info(`kill -9: ${acked.size} acknowledged, ${whole} stored whole, ${sent.length} sent`);
    } finally {
      store.close?.();
    }
  }, 120_000);
});
