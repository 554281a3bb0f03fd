import { createAuditTrail } from '@tactful/audit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAuditStore } from './audit-sqlite-store.js';
import { openDatabase } from './database.js';
import { type CrashWriter, crashWriter } from './fixtures/crash-harness.js';

const KEY = 'audit-crash-test-key-0123456789abcdef0123456789';

// The writer runs the package's build (the database threads start from the files of `dist`).
let writer: CrashWriter;
beforeAll(async () => {
  writer = await crashWriter('audit-crash-writer', { built: true });
});
afterAll(() => writer.remove());

interface Acked {
  /** trace id → seq, for record() calls that resolved. */
  recorded: Map<string, number>;
  /** trace ids recorded through the hooks whose flush() resolved. */
  flushed: string[];
}

/** Runs the writer until it has acknowledged at least `minAcks` recordings, then kill -9s it mid-burst. */
async function runAndKill(
  file: string,
  run: number,
  minAcks: number,
): Promise<Acked & { signal: string | null }> {
  const acked: Acked = { recorded: new Map(), flushed: [] };
  const { signal } = await writer.runAndKill(
    [file, String(run), KEY],
    (line) => {
      const [kind, ids, seq] = line.split(' ');
      if (kind === 'ack') acked.recorded.set(ids!, Number(seq));
      if (kind === 'flushed') acked.flushed.push(...ids!.split(','));
    },
    () => acked.recorded.size + acked.flushed.length >= minAcks,
  );
  return { ...acked, signal };
}

describe('the audit trail on the database threads survives kill -9', () => {
  it('loses no entry acknowledged as durable (record() resolved, or flush() after attach), and the chain verifies', async () => {
    const file = writer.file('audit-crash.db');
    let total = 0;
    for (const run of [1, 2, 3]) {
      const acked = await runAndKill(file, run, 300 * run);
      expect(acked.signal).toBe('SIGKILL');
      total += acked.recorded.size + acked.flushed.length;
      const db = openDatabase(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      const store = sqliteAuditStore({ filename: file });
      try {
        const entries = await store.list();
        const seqOf = new Map(
          entries.flatMap((e) => (e.payload ? [[(e.payload as { traceId: string }).traceId, e.seq]] : [])),
        );
        for (const [id, seq] of acked.recorded) expect(seqOf.get(id), `acknowledged entry ${id}`).toBe(seq);
        for (const id of acked.flushed) expect(seqOf.has(id), `flushed entry ${id} is missing`).toBe(true);
        // Whole batches only: the chain has no hole, no broken link, and every entry is signed.
        const report = await createAuditTrail({ store, key: KEY }).verify();
        expect(report).toMatchObject({ ok: true, checked: entries.length, problems: [] });
      } finally {
        store.close();
      }
    }
    expect(total).toBeGreaterThanOrEqual(1800);
  }, 120_000);
});
