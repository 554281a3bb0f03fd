import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { type CrashWriter, crashWriter } from './fixtures/crash-harness.js';
import { sqliteSubjectStore } from './subject-sqlite-store.js';

let writer: CrashWriter;
beforeAll(async () => {
  writer = await crashWriter('subject-crash-writer');
}, 60_000);
afterAll(() => writer.remove());

/** Runs the writer until it has acknowledged at least `minAcks` batches and erasures, then kill -9s it. */
async function runAndKill(
  file: string,
  run: number,
  minAcks: number,
): Promise<{ events: string[]; erased: string[] }> {
  const events: string[] = [];
  const erased: string[] = [];
  await writer.runAndKill(
    [file, String(run)],
    (line) => {
      const [, kind, id] = line.split(' ');
      if (kind === 'events' && id) events.push(id);
      if (kind === 'erase' && id) erased.push(id);
    },
    () => events.length + erased.length >= minAcks,
  );
  return { events, erased };
}

describe('sqliteSubjectStore survives kill -9', () => {
  it('loses no acknowledged write or erasure and leaves no half batch or half erasure', async () => {
    const file = writer.file('subject-crash.db');
    let acks = 0;
    for (const run of [1, 2, 3]) {
      const { events, erased } = await runAndKill(file, run, 60 * run);
      acks += events.length + erased.length;
      const db = openDatabase(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const perSubject = db
        .prepare<[], { subject_id: string; n: number }>(
          'SELECT subject_id, COUNT(*) AS n FROM subject_events GROUP BY subject_id',
        )
        .all();
      db.close();
      for (const row of perSubject) expect(row.n, `events of ${row.subject_id} are a half batch`).toBe(3);

      const store = sqliteSubjectStore({
        filename: file,
        tombstoneKey: 'crash-test-tombstone-key-0123456789',
      });
      const erasedSet = new Set(erased);
      for (const id of erased) {
        expect(await store.isErased(id), `acknowledged erasure of ${id} is missing`).toBe(true);
        expect((await store.exportSubject(id)).preferences).toBeNull();
        expect(await store.listEvents(id, 'behavior.pageviews')).toEqual([]);
      }
      for (const id of events.filter((e) => !erasedSet.has(e))) {
        if (await store.isErased(id)) continue; // erased after the ack of its events, before the kill
        expect(
          await store.listEvents(id, 'behavior.pageviews'),
          `acknowledged events of ${id} are missing`,
        ).toHaveLength(3);
      }
      // Whatever was in flight at the kill: either fully erased (tombstone, no data) or untouched.
      const maxIndex = events.length + 2;
      for (let i = 0; i <= maxIndex; i++) {
        const id = `c-${run}-${i}`;
        if (await store.isErased(id))
          expect(await store.exportSubject(id)).toMatchObject({ preferences: null, pageviews: [] });
      }
      store.close();
    }
    expect(acks).toBeGreaterThanOrEqual(360);
  }, 120_000);
});
