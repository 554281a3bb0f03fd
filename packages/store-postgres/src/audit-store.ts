import type { AuditAnchor, AuditEntry, AuditListOptions, AuditPayload, AuditStore } from '@tactful/audit';
import { TactfulError } from '@tactful/core';
import {
  type PostgresClient,
  type PostgresConnectionOptions,
  type PostgresPool,
  connection,
  guarded,
  lockKey,
  transaction,
} from './database.js';
import { type PostgresMigration, ensureSchema } from './migrate.js';

/** The component name of the audit tables in `tactful_migrations`. */
export const AUDIT_COMPONENT = 'audit';

/** The migrations of the audit tables. */
export const POSTGRES_AUDIT_MIGRATIONS: ReadonlyArray<PostgresMigration> = Object.freeze([
  {
    version: 1,
    up: `
      CREATE TABLE {schema}.audit_entries (
        seq BIGINT PRIMARY KEY,
        at TEXT NOT NULL,
        subject TEXT,
        digest TEXT NOT NULL,
        prev TEXT NOT NULL,
        hash TEXT NOT NULL,
        payload TEXT,
        redacted_at TEXT
      );
      CREATE INDEX audit_entries_by_subject ON {schema}.audit_entries (subject) WHERE subject IS NOT NULL;
      CREATE TABLE {schema}.audit_anchor (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq BIGINT NOT NULL,
        hash TEXT NOT NULL,
        at TEXT NOT NULL,
        purged_at TEXT NOT NULL,
        mac TEXT NOT NULL
      );
    `,
  },
]);

/** Options of {@link postgresAuditStore}. */
export type PostgresAuditStoreOptions = PostgresConnectionOptions;

/** An `AuditStore` on PostgreSQL, with its pool, schema and `close()`. */
export interface PostgresAuditStore extends AuditStore {
  readonly pool: PostgresPool;
  readonly schema: string;
  close(): Promise<void>;
}

interface EntryRow {
  seq: string;
  at: string;
  subject: string | null;
  digest: string;
  prev: string;
  hash: string;
  payload: string | null;
  redacted_at: string | null;
}

const WHAT = 'postgresAuditStore';

function parsePayload(text: string): AuditPayload {
  try {
    return JSON.parse(text) as AuditPayload;
  } catch {
    // Written behind the trail's back: handed over as it is, so verify() reports it as modified.
    return text as unknown as AuditPayload;
  }
}

function toEntry(row: EntryRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    subject: row.subject,
    digest: row.digest,
    prev: row.prev,
    hash: row.hash,
    payload: row.payload === null ? null : parsePayload(row.payload),
    ...(row.redacted_at === null ? {} : { redactedAt: row.redacted_at }),
  };
}

/**
 * The audit store on PostgreSQL: one trail for a whole fleet. Each append (or batch, `appendMany`)
 * checks and extends the tail in one transaction under an advisory lock on the trail, so servers
 * writing at the same time never fork the chain: a server whose view of the tail is stale gets
 * `CONFLICT`, and the trail re-reads the tail and retries. Purges are serialised the same way and
 * never move the anchor backwards, so servers running the hourly purge at once leave one anchor.
 *
 * @example
 * ```ts
 * import { createAuditTrail } from '@tactful/audit';
 * import { postgresAuditStore } from '@tactful/store-postgres';
 * const audit = createAuditTrail({ store: await postgresAuditStore({ url: process.env.DATABASE_URL }), key: process.env.AUDIT_KEY! });
 * ```
 */
export async function postgresAuditStore(options: PostgresAuditStoreOptions): Promise<PostgresAuditStore> {
  const conn = connection(WHAT, options);
  try {
    await ensureSchema(
      conn.pool,
      conn.schema,
      AUDIT_COMPONENT,
      POSTGRES_AUDIT_MIGRATIONS,
      options.migrate !== false,
    );
  } catch (error) {
    await conn.close();
    throw error;
  }
  const { pool } = conn;
  const entries = conn.table('audit_entries');
  const anchorTable = conn.table('audit_anchor');
  const trailLock = `${conn.schema}:audit`;

  const appendAll = (list: ReadonlyArray<AuditEntry>) =>
    transaction(pool, async (c: PostgresClient) => {
      if (list.length === 0) return;
      await lockKey(c, trailLock);
      const tail = await c.query<{ seq: string }>(`SELECT seq FROM ${entries} ORDER BY seq DESC LIMIT 1`);
      let expected: number;
      if (tail.rows[0]) expected = Number(tail.rows[0].seq) + 1;
      else {
        const anchor = await c.query<{ seq: string }>(`SELECT seq FROM ${anchorTable} WHERE id = 1`);
        expected = anchor.rows[0] ? Number(anchor.rows[0].seq) + 1 : 0;
      }
      for (const entry of list) {
        if (entry.seq !== expected) {
          throw new TactfulError(
            'CONFLICT',
            `audit store: entry ${entry.seq} does not continue the trail (next is ${expected}); another writer appended first — re-read the tail and retry`,
            { path: ['seq'] },
          );
        }
        expected++;
      }
      const cols = ['seq', 'at', 'subject', 'digest', 'prev', 'hash', 'payload', 'redacted_at'];
      const values: unknown[] = [];
      const rows = list.map((e, i) => {
        values.push(
          e.seq,
          e.at,
          e.subject,
          e.digest,
          e.prev,
          e.hash,
          e.payload === null ? null : JSON.stringify(e.payload),
          e.redactedAt ?? null,
        );
        return `(${cols.map((_, j) => `$${i * cols.length + j + 1}`).join(', ')})`;
      });
      await c.query(`INSERT INTO ${entries} (${cols.join(', ')}) VALUES ${rows.join(', ')}`, values);
    });

  return {
    pool,
    schema: conn.schema,
    append: (entry) => guarded(WHAT, 'append', () => appendAll([entry])),
    appendMany: (list) => guarded(WHAT, 'appendMany', () => appendAll(list)),
    tail: () =>
      guarded(WHAT, 'tail', async () => {
        const { rows } = await pool.query<EntryRow>(`SELECT * FROM ${entries} ORDER BY seq DESC LIMIT 1`);
        return rows[0] ? toEntry(rows[0]) : undefined;
      }),
    list: (listOptions: AuditListOptions = {}) =>
      guarded(WHAT, 'list', async () => {
        const { rows } = await pool.query<EntryRow>(
          `SELECT * FROM ${entries} WHERE seq >= $1 ORDER BY seq LIMIT $2`,
          [listOptions.fromSeq ?? Number.MIN_SAFE_INTEGER, listOptions.limit ?? null],
        );
        return rows.map(toEntry);
      }),
    bySubject: (subject) =>
      guarded(WHAT, 'bySubject', async () => {
        const { rows } = await pool.query<EntryRow>(
          `SELECT * FROM ${entries} WHERE subject = $1 ORDER BY seq`,
          [subject],
        );
        return rows.map(toEntry);
      }),
    redactSubject: (subject, redactedAt) =>
      guarded(WHAT, 'redactSubject', async () => {
        const result = await pool.query(
          `UPDATE ${entries} SET payload = NULL, subject = NULL, redacted_at = $1 WHERE subject = $2`,
          [redactedAt, subject],
        );
        return result.rowCount ?? 0;
      }),
    purge: (throughSeq, anchor: AuditAnchor) =>
      guarded(WHAT, 'purge', () =>
        transaction(pool, async (c) => {
          await lockKey(c, trailLock);
          const deleted =
            (await c.query(`DELETE FROM ${entries} WHERE seq <= $1`, [throughSeq])).rowCount ?? 0;
          // Another server may have purged further already: the anchor never moves backwards.
          await c.query(
            `INSERT INTO ${anchorTable} (id, seq, hash, at, purged_at, mac) VALUES (1, $1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at,
               purged_at = excluded.purged_at, mac = excluded.mac
             WHERE ${anchorTable}.seq <= excluded.seq`,
            [anchor.seq, anchor.hash, anchor.at, anchor.purgedAt, anchor.mac],
          );
          return deleted;
        }),
      ),
    anchor: () =>
      guarded(WHAT, 'anchor', async () => {
        const { rows } = await pool.query<{
          seq: string;
          hash: string;
          at: string;
          purged_at: string;
          mac: string;
        }>(`SELECT seq, hash, at, purged_at, mac FROM ${anchorTable} WHERE id = 1`);
        const row = rows[0];
        return (
          row && { seq: Number(row.seq), hash: row.hash, at: row.at, purgedAt: row.purged_at, mac: row.mac }
        );
      }),
    close: () => conn.close(),
  };
}
