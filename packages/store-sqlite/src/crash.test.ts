import { type ConsentRecord, verifyConsentChain } from '@tactful/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, sqliteConsentStore } from '@tactful/store-sqlite';
import { type CrashWriter, crashWriter } from './fixtures/crash-harness.js';

let writer: CrashWriter;
beforeAll(async () => {
  writer = await crashWriter('crash-writer');
}, 60_000);
afterAll(() => writer.remove());

/** Runs the writer until it has acknowledged at least `minAcks` writes, then kill -9s it mid-stream. */
async function runAndKill(
  file: string,
  run: number,
  minAcks: number,
): Promise<{ acked: string[][]; signal: NodeJS.Signals | null }> {
  const acked: string[][] = [];
  const { signal } = await writer.runAndKill(
    [file, String(run)],
    (line) => {
      if (line.startsWith('ack ')) acked.push(line.slice(4).split(','));
    },
    () => acked.length >= minAcks,
  );
  return { acked, signal };
}

describe('sqliteConsentStore survives kill -9', () => {
  it('loses no acknowledged write and leaves no half record or half batch', async () => {
    const file = writer.file('crash.db');
    let totalAcked = 0;
    for (const round of [1, 2, 3]) {
      const { acked, signal } = await runAndKill(file, round, 150 * round);
      expect(signal).toBe('SIGKILL');
      totalAcked += acked.length;

      const db = openDatabase(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set(
        db.prepare<[], { id: string }>('SELECT id FROM consent_records').pluck().all() as unknown as string[],
      );
      db.close();
      for (const ids of acked)
        for (const id of ids) expect(stored.has(id), `acknowledged record ${id} is missing`).toBe(true);

      const store = sqliteConsentStore({ filename: file });
      for (const subject of ['crash-0', 'crash-1', 'crash-2']) {
        const history: ConsentRecord[] = await store.history(subject);
        expect(await verifyConsentChain(history)).toMatchObject({ ok: true });
        const batches = new Map<string, number>();
        for (const r of history) {
          const m = /^batch-(\d+-\d+)-\d$/.exec(r.reason ?? '');
          if (m) batches.set(m[1]!, (batches.get(m[1]!) ?? 0) + 1);
        }
        for (const [batch, count] of batches) expect(count, `batch ${batch} is partial`).toBe(3);
      }
      await store.close?.();
    }
    expect(totalAcked).toBeGreaterThanOrEqual(900);
  }, 120_000);
});
