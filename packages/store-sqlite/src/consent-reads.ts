import { type ConsentErasureReceipt, type ConsentRecord, deepFreeze } from '@tactful/core';
import type { SqliteDatabase } from './database.js';
import { ReadCache } from './read-cache.js';

/** The consent store's reads on one connection: synchronous, unguarded, given a parsed subject id. */
export interface ConsentReads {
  /** The latest record per purpose (a copy of the map; the records are frozen). */
  latest(id: string): Map<string, ConsentRecord>;
  /** Every record of `id`, oldest first, frozen. */
  history(id: string): ConsentRecord[];
  /** The tombstone of an erasure of `id`, if any. */
  erasure(id: string): ConsentErasureReceipt | undefined;
}

/**
 * The read queries of the consent tables (`CONSENT_MIGRATIONS`) on `db`, which may be read-only:
 * the one implementation behind `sqliteConsentStore` and the reads `openSqliteStores` answers on
 * the caller's thread. `latest` keeps up to `maxCached` people's answers, never stale (see
 * {@link ReadCache}).
 *
 * @internal
 */
export function consentReads(db: SqliteDatabase, maxCached: number): ConsentReads {
  const historyOf = db
    .prepare<[string], string>('SELECT record FROM consent_records WHERE subject = ? ORDER BY seq')
    .pluck();
  // One pass over the (subject, purpose, seq) index: SQLite takes the bare `record` column from the
  // row holding MAX(seq) of each purpose group, so this reads the latest record per purpose.
  const latestOf = db
    .prepare<[string], string>(
      `SELECT record, MAX(seq) AS seq FROM consent_records WHERE subject = ? GROUP BY purpose ORDER BY purpose`,
    )
    .pluck();
  const erasureOf = db.prepare<
    [string],
    { subject: string; erased: number; erased_at: string; last_hash: string | null }
  >('SELECT subject, erased, erased_at, last_hash FROM consent_erasures WHERE subject = ?');
  const cache = new ReadCache<ReadonlyMap<string, ConsentRecord>>(db, maxCached);
  const readLatest = (id: string): ReadonlyMap<string, ConsentRecord> => {
    const latest = new Map<string, ConsentRecord>();
    for (const text of latestOf.all(id)) {
      const record = deepFreeze(JSON.parse(text) as ConsentRecord);
      latest.set(record.purpose, record);
    }
    return latest;
  };
  return {
    latest: (id) => new Map(cache.get(id, () => readLatest(id))),
    history: (id) => historyOf.all(id).map((text) => deepFreeze(JSON.parse(text) as ConsentRecord)),
    erasure(id) {
      const row = erasureOf.get(id);
      return row
        ? Object.freeze({
            subject: row.subject,
            erased: row.erased,
            erasedAt: row.erased_at,
            lastHash: row.last_hash,
          })
        : undefined;
    },
  };
}
