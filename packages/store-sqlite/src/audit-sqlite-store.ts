import {
  AUDIT_PAYLOAD_TEXT,
  type AuditAnchor,
  type AuditEntry,
  type AuditListOptions,
  type AuditPayload,
  type AuditSealBatch,
  type AuditSealResult,
  type AuditStore,
  GENESIS,
  auditSealer,
} from '@tactful/audit';
import { nodeAuditHashing } from '@tactful/audit/node';
import { TactfulError, isTactfulError, parseOrThrow } from '@tactful/core';
import { z } from 'zod';
import type { SqliteDatabase } from './database.js';
import { storeDatabase } from './store-database.js';

/** The component name of the audit tables in `tactful_migrations`. */
export const AUDIT_COMPONENT = 'audit';

/** The schema of the audit store, versioned. */
export const AUDIT_MIGRATIONS = [
  {
    version: 1,
    up: `
      CREATE TABLE audit_entries (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        subject TEXT,
        digest TEXT NOT NULL,
        prev TEXT NOT NULL,
        hash TEXT NOT NULL,
        payload TEXT,
        redacted_at TEXT
      ) STRICT;
      CREATE INDEX audit_entries_by_subject ON audit_entries (subject) WHERE subject IS NOT NULL;
      CREATE TABLE audit_anchor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL,
        at TEXT NOT NULL,
        purged_at TEXT NOT NULL,
        mac TEXT NOT NULL
      ) STRICT;
    `,
  },
] as const;

/** Options of {@link sqliteAuditStore}. */
export const SqliteAuditStoreOptionsSchema = z.strictObject({
  /** An open database (from `openDatabase`), shared with other stores. Give this or `filename`. */
  db: z
    .custom<SqliteDatabase>(
      (v) => typeof v === 'object' && v !== null && 'prepare' in v,
      'must be a better-sqlite3 Database',
    )
    .optional(),
  /** A database file to open (created if missing) with `openDatabase`. */
  filename: z.string().min(1).optional(),
});
/** Options of {@link sqliteAuditStore}. */
export type SqliteAuditStoreOptions = z.input<typeof SqliteAuditStoreOptionsSchema>;

/** An `AuditStore` on SQLite, with its database and `close()`. */
export interface SqliteAuditStore extends AuditStore {
  appendSealed(batch: AuditSealBatch): Promise<AuditSealResult>;
  readonly db: SqliteDatabase;
  /** Closes the database if this store opened it (from `filename`). */
  close(): void;
}

interface EntryRow {
  seq: number;
  at: string;
  subject: string | null;
  digest: string;
  prev: string;
  hash: string;
  payload: string | null;
  redacted_at: string | null;
}

interface AnchorRow {
  seq: number;
  hash: string;
  at: string;
  purged_at: string;
  mac: string;
}

function parsePayload(text: string): AuditPayload {
  try {
    return JSON.parse(text) as AuditPayload;
  } catch {
    // A payload that is not JSON was written behind the trail's back: hand it over as it is, so that
    // verify() reports the entry as modified (its digest cannot match) instead of failing outright.
    return text as unknown as AuditPayload;
  }
}

const text = (v: unknown) => typeof v === 'string';
const bad = (path: string, what: string) =>
  new TactfulError('INVALID_INPUT', `sqliteAuditStore: appendSealed: ${path} must be ${what}`, {
    path: [path],
  });

/** Checks an `appendSealed` batch before anything is written (it may cross a thread from anyone). */
function checkSealBatch(batch: AuditSealBatch): void {
  if (typeof batch !== 'object' || batch === null) throw bad('batch', 'an object');
  if (!(batch.chainKey instanceof Uint8Array) || batch.chainKey.length < 16)
    throw bad('chainKey', 'the chain key (at least 16 bytes)');
  if (!text(batch.at) || !Number.isFinite(Date.parse(batch.at))) throw bad('at', 'an ISO 8601 date-time');
  const { texts, subjects, gap } = batch;
  if (!Array.isArray(texts) || !texts.every(text)) throw bad('texts', 'a list of payload texts');
  if (
    !Array.isArray(subjects) ||
    subjects.length !== texts.length ||
    !subjects.every((s) => s === null || text(s))
  )
    throw bad('subjects', 'a subject (or null) for each text');
  if (
    gap !== undefined &&
    (typeof gap !== 'object' ||
      gap === null ||
      !Number.isSafeInteger(gap.count) ||
      gap.count < 1 ||
      !text(gap.from) ||
      !text(gap.to) ||
      !text(gap.salt))
  )
    throw bad('gap', 'absent or { count, from, to, salt }');
}

/** The canonical JSON the trail attached to an entry, if any. */
export function payloadText(entry: AuditEntry): string | undefined {
  const text = (entry as { [AUDIT_PAYLOAD_TEXT]?: unknown })[AUDIT_PAYLOAD_TEXT];
  return typeof text === 'string' ? text : undefined;
}

function toEntry(row: EntryRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    subject: row.subject,
    digest: row.digest,
    prev: row.prev,
    hash: row.hash,
    payload: row.payload === null ? null : parsePayload(row.payload),
    ...(row.redacted_at === null ? {} : { redactedAt: row.redacted_at }),
  };
}

function toAnchor(row: AnchorRow | undefined): AuditAnchor | undefined {
  return row && { seq: row.seq, hash: row.hash, at: row.at, purgedAt: row.purged_at, mac: row.mac };
}

function storeFailed(what: string, cause: unknown): TactfulError {
  if (isTactfulError(cause)) return cause;
  return new TactfulError(
    'STORE_FAILED',
    `sqliteAuditStore: ${what} failed: ${String((cause as Error)?.message ?? cause)}`,
    {
      cause,
    },
  );
}

/**
 * The durable audit store of `@tactful/audit`: SQLite through better-sqlite3 (WAL,
 * `synchronous = FULL`), so an entry is on disk before `record()` returns. Each append checks and
 * extends the tail in one immediate transaction, so several processes sharing the file never fork
 * the chain (a loser gets `CONFLICT` and the trail retries); `appendMany` writes a whole batch of
 * entries in one such transaction (group commit: one durable commit for the batch). Tables are created by versioned
 * migrations (component `audit`). Stores only what the trail gives it; hashes are computed and
 * checked by the trail.
 *
 * @example
 * ```ts
 * import { createAuditTrail } from '@tactful/audit';
 * import { sqliteAuditStore } from '@tactful/store-sqlite';
 * const audit = createAuditTrail({ store: sqliteAuditStore({ filename: './tactful.db' }), key: process.env.AUDIT_KEY! });
 * ```
 */
export function sqliteAuditStore(options: SqliteAuditStoreOptions): SqliteAuditStore {
  const opts = parseOrThrow(SqliteAuditStoreOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'sqliteAuditStore',
  });
  const { db, owned } = storeDatabase('sqliteAuditStore', opts, AUDIT_COMPONENT, AUDIT_MIGRATIONS);

  const selectTail = db.prepare<[], EntryRow>('SELECT * FROM audit_entries ORDER BY seq DESC LIMIT 1');
  const selectAnchor = db.prepare<[], AnchorRow>(
    'SELECT seq, hash, at, purged_at, mac FROM audit_anchor WHERE id = 1',
  );
  const insert = db.prepare(
    `INSERT INTO audit_entries (seq, at, subject, digest, prev, hash, payload, redacted_at)
     VALUES (@seq, @at, @subject, @digest, @prev, @hash, @payload, @redacted_at)`,
  );
  const selectFrom = db.prepare<[number, number], EntryRow>(
    'SELECT * FROM audit_entries WHERE seq >= ? ORDER BY seq LIMIT ?',
  );
  const selectBySubject = db.prepare<[string], EntryRow>(
    'SELECT * FROM audit_entries WHERE subject = ? ORDER BY seq',
  );
  const redact = db.prepare<[string, string]>(
    'UPDATE audit_entries SET payload = NULL, subject = NULL, redacted_at = ? WHERE subject = ?',
  );
  const deleteThrough = db.prepare<[number]>('DELETE FROM audit_entries WHERE seq <= ?');
  const upsertAnchor = db.prepare(
    `INSERT INTO audit_anchor (id, seq, hash, at, purged_at, mac) VALUES (1, @seq, @hash, @at, @purged_at, @mac)
     ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at,
       purged_at = excluded.purged_at, mac = excluded.mac`,
  );

  // Only the tail's seq is needed to check an append: no payload read, no JSON parse.
  const selectTailSeq = db.prepare<[], { seq: number }>(
    'SELECT seq FROM audit_entries ORDER BY seq DESC LIMIT 1',
  );
  const selectAnchorSeq = db.prepare<[], { seq: number }>('SELECT seq FROM audit_anchor WHERE id = 1');
  const conflict = (got: number, expected: number) =>
    new TactfulError(
      'CONFLICT',
      `audit store: entry ${got} does not continue the trail (next is ${expected}); another writer appended first — re-read the tail and retry`,
      { path: ['seq'] },
    );
  /** One transaction for every entry given (group commit): one durable commit, all or nothing. */
  const appendAll = db.transaction((entries: ReadonlyArray<AuditEntry>) => {
    if (entries.length === 0) return;
    const tail = selectTailSeq.get();
    const anchor = tail ? undefined : selectAnchorSeq.get();
    let expected = tail ? tail.seq + 1 : anchor ? anchor.seq + 1 : 0;
    for (const entry of entries) {
      if (entry.seq !== expected) throw conflict(entry.seq, expected);
      expected++;
    }
    for (const entry of entries) {
      insert.run({
        seq: entry.seq,
        at: entry.at,
        subject: entry.subject,
        digest: entry.digest,
        prev: entry.prev,
        hash: entry.hash,
        // The trail's canonical JSON of the payload when it gave one (the text its digest hashes).
        payload: entry.payload === null ? null : (payloadText(entry) ?? JSON.stringify(entry.payload)),
        redacted_at: entry.redactedAt ?? null,
      });
    }
  });
  const selectTailLink = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1',
  );
  const selectAnchorLink = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_anchor WHERE id = 1',
  );
  let seal: ReturnType<typeof auditSealer> | undefined;
  /** Seals a batch after the tail read in the same transaction: no other writer can come between. */
  const appendSealedAll = db.transaction((batch: AuditSealBatch): AuditSealResult => {
    checkSealBatch(batch);
    const tail = selectTailLink.get();
    const anchor = tail ? undefined : selectAnchorLink.get();
    const link = tail ?? anchor;
    seal ??= auditSealer(nodeAuditHashing());
    const { rows, result } = seal(
      batch,
      link ? { seq: link.seq + 1, prev: link.hash } : { seq: 0, prev: GENESIS },
    );
    for (const row of rows) {
      insert.run({
        seq: row.seq,
        at: row.at,
        subject: row.subject,
        digest: row.digest,
        prev: row.prev,
        hash: row.hash,
        payload: row.text,
        redacted_at: null,
      });
    }
    return result;
  });
  const purge = db.transaction((throughSeq: number, anchor: AuditAnchor): number => {
    const deleted = deleteThrough.run(throughSeq).changes;
    upsertAnchor.run({
      seq: anchor.seq,
      hash: anchor.hash,
      at: anchor.at,
      purged_at: anchor.purgedAt,
      mac: anchor.mac,
    });
    return deleted;
  });

  const guard = <T>(what: string, fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(storeFailed(what, error));
    }
  };

  return {
    db,
    append: (entry) => guard('append', () => appendAll.immediate([entry])),
    appendMany: (entries) => guard('appendMany', () => appendAll.immediate(entries)),
    appendSealed: (batch) => guard('appendSealed', () => appendSealedAll.immediate(batch)),
    tail: () =>
      guard('tail', () => {
        const row = selectTail.get();
        return row ? toEntry(row) : undefined;
      }),
    list: (listOptions: AuditListOptions = {}) =>
      guard('list', () =>
        selectFrom.all(listOptions.fromSeq ?? Number.MIN_SAFE_INTEGER, listOptions.limit ?? -1).map(toEntry),
      ),
    bySubject: (subject) => guard('bySubject', () => selectBySubject.all(subject).map(toEntry)),
    redactSubject: (subject, redactedAt) =>
      guard('redactSubject', () => redact.run(redactedAt, subject).changes),
    purge: (throughSeq, anchor) => guard('purge', () => purge.immediate(throughSeq, anchor)),
    anchor: () => guard('anchor', () => toAnchor(selectAnchor.get())),
    close() {
      if (owned && db.open) db.close();
    },
  };
}
