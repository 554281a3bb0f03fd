import {
  type ConsentErasureReceipt,
  type ConsentRecord,
  type ConsentRecordInput,
  type ConsentStore,
  type Taxonomy,
  TactfulError,
  type ValidConsentRecordInput,
  parseConsentRecordInputs,
} from '@tactful/core';
import {
  chainConsentRecords,
  consentErasureReceipt,
  guardStore,
  parseConsentSubjectId,
} from '@tactful/core/store';
import { type SqliteDatabase, openDatabase } from './database.js';
import { type Migration, migrate } from './migrate.js';
import { consentReads } from './consent-reads.js';
import { cacheSize, noteWrite } from './read-cache.js';

/** The migrations of the `consent` component. */
export const CONSENT_MIGRATIONS: ReadonlyArray<Migration> = Object.freeze([
  {
    version: 1,
    up: `
      CREATE TABLE consent_records (
        id TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        seq INTEGER NOT NULL,
        purpose TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('granted', 'denied', 'withdrawn')),
        recorded_at TEXT NOT NULL,
        hash TEXT NOT NULL,
        record TEXT NOT NULL,
        UNIQUE (subject, seq)
      ) STRICT;
      CREATE INDEX consent_records_by_purpose ON consent_records (subject, purpose, seq);
      CREATE TRIGGER consent_records_append_only BEFORE UPDATE ON consent_records
      BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;
      CREATE TABLE consent_erasures (
        subject TEXT PRIMARY KEY,
        erased INTEGER NOT NULL,
        erased_at TEXT NOT NULL,
        last_hash TEXT
      ) STRICT;
    `,
  },
]);

/** Options of {@link sqliteConsentStore}: a file to open, or a database you opened with `openDatabase`. */
export type SqliteConsentStoreOptions = (
  | { filename: string; db?: never }
  | { db: SqliteDatabase; filename?: never }
) & {
  /** The store's clock (epoch ms), stamped on every record. Default `Date.now`. */
  clock?: () => number;
  /** When given, records must name one of its purposes. */
  taxonomy?: Taxonomy;
  /**
   * How many people's latest consent `latest()` keeps in memory (least recently used go first).
   * Never stale: each read first checks SQLite's `data_version`, so a grant or withdrawal
   * committed by any connection or process is seen by the very next read. Default 10,000; 0 turns
   * the cache off.
   */
  cacheSize?: number;
};

interface Row {
  record: string;
}

const WHAT = 'sqliteConsentStore';

/**
 * A durable consent store on SQLite. Every append and erasure is one immediate transaction,
 * committed with `synchronous = FULL` in WAL mode before the returned promise resolves, so a crash
 * (even `kill -9`) loses no acknowledged write and leaves no half record. Records are append-only
 * (an `UPDATE` is refused by a trigger), hash-chained per subject, and safe to write from several
 * processes sharing the file.
 *
 * @example
 * ```ts
 * import { sqliteConsentStore } from '@tactful/store-sqlite';
 * import { createConsentManager, optInConsent } from '@tactful/consent';
 *
 * const store = sqliteConsentStore({ filename: './consent.db' });
 * const consent = createConsentManager({ store });
 * const provider = optInConsent({ store });
 * ```
 */
export function sqliteConsentStore(options: SqliteConsentStoreOptions): ConsentStore {
  if (!options || (typeof options.filename !== 'string' && typeof options.db !== 'object')) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${WHAT}: pass { filename: "./consent.db" } or { db } (from openDatabase)`,
      {
        path: ['filename'],
      },
    );
  }
  const maxCached = cacheSize(options.cacheSize, WHAT, 'cacheSize');
  const owns = typeof options.filename === 'string';
  const db = owns ? openDatabase(options.filename as string) : (options.db as SqliteDatabase);
  const clock = options.clock ?? Date.now;
  try {
    migrate(db, 'consent', CONSENT_MIGRATIONS);
  } catch (error) {
    if (owns) db.close();
    throw error;
  }

  const lastOf = db.prepare<[string], Row>(
    'SELECT record FROM consent_records WHERE subject = ? ORDER BY seq DESC LIMIT 1',
  );
  const lastFor = db.prepare<[string, string], { id: string }>(
    'SELECT id FROM consent_records WHERE subject = ? AND purpose = ? ORDER BY seq DESC LIMIT 1',
  );
  const insert = db.prepare(
    'INSERT INTO consent_records (id, subject, seq, purpose, status, recorded_at, hash, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const countOf = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM consent_records WHERE subject = ?',
  );
  const deleteOf = db.prepare('DELETE FROM consent_records WHERE subject = ?');
  const erasureOf = db.prepare<
    [string],
    { subject: string; erased: number; erased_at: string; last_hash: string | null }
  >('SELECT subject, erased, erased_at, last_hash FROM consent_erasures WHERE subject = ?');
  const upsertErasure = db.prepare(
    `INSERT INTO consent_erasures (subject, erased, erased_at, last_hash) VALUES (?, ?, ?, ?)
     ON CONFLICT (subject) DO UPDATE SET erased = excluded.erased, erased_at = excluded.erased_at, last_hash = excluded.last_hash`,
  );

  const reads = consentReads(db, maxCached);
  /** Runs a write, then tells the read caches on this connection (even when it failed half way). */
  const writing = <T>(write: () => T): T => {
    try {
      return write();
    } finally {
      noteWrite(db);
    }
  };

  const writeAll = db.transaction((valid: ValidConsentRecordInput[], now: number): ConsentRecord[] => {
    const out = chainConsentRecords(valid, now, {
      head(subject) {
        const row = lastOf.get(subject);
        return row ? (JSON.parse(row.record) as ConsentRecord) : undefined;
      },
      lastFor: (subject, purpose) => lastFor.get(subject, purpose)?.id ?? null,
    });
    for (const record of out) {
      insert.run(
        record.id,
        record.subject,
        record.seq,
        record.purpose,
        record.status,
        record.recordedAt,
        record.hash,
        JSON.stringify(record),
      );
    }
    return out;
  });

  const erase = db.transaction((subject: string, now: number): ConsentErasureReceipt => {
    const erased = countOf.get(subject)?.n ?? 0;
    const last = lastOf.get(subject);
    const receipt = consentErasureReceipt(
      subject,
      erased,
      now,
      last ? (JSON.parse(last.record) as ConsentRecord).hash : null,
    );
    deleteOf.run(subject);
    // A repeated erasure keeps the tombstone of the one that actually erased something.
    if (erased > 0 || !erasureOf.get(subject))
      upsertErasure.run(subject, erased, receipt.erasedAt, receipt.lastHash);
    return receipt;
  });

  const subjectId = (subject: unknown): string => parseConsentSubjectId(subject, WHAT);
  const guarded = <T>(what: string, run: () => T): T => guardStore(WHAT, what, run);

  function validate(inputs: ReadonlyArray<ConsentRecordInput>, now: number): ValidConsentRecordInput[] {
    return parseConsentRecordInputs(inputs, {
      now,
      what: WHAT,
      ...(options.taxonomy ? { taxonomy: options.taxonomy } : {}),
    });
  }

  return {
    async append(input) {
      const now = clock();
      const valid = validate([input], now);
      return guarded('append', () => writing(() => writeAll.immediate(valid, now)))[0]!;
    },
    async appendAll(inputs) {
      if (!Array.isArray(inputs))
        throw new TactfulError('INVALID_INPUT', `${WHAT}: appendAll takes an array of records`);
      const now = clock();
      const valid = validate(inputs, now);
      return guarded('appendAll', () => writing(() => writeAll.immediate(valid, now)));
    },
    async latest(subject) {
      const id = subjectId(subject);
      // A copy of the cached map: the caller may change its own (the records are frozen).
      return guarded('latest', () => reads.latest(id));
    },
    async history(subject) {
      const id = subjectId(subject);
      return guarded('history', () => reads.history(id));
    },
    async eraseSubject(subject) {
      const id = subjectId(subject);
      return guarded('eraseSubject', () => writing(() => erase.immediate(id, clock())));
    },
    async erasure(subject) {
      const id = subjectId(subject);
      return guarded('erasure', () => reads.erasure(id));
    },
    close() {
      if (owns && db.open) db.close();
    },
  };
}
