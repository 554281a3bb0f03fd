import { TactfulError } from '@tactful/core';
import { type PostgresPool, guarded, transaction } from './database.js';
import { migrateAll } from './stores.js';

/** The part of a better-sqlite3 database the import reads with (`openDatabase` from `@tactful/store-sqlite`). */
export interface SqliteSource {
  prepare(sql: string): { all(...params: unknown[]): unknown[] };
}

/** What {@link importFromSqlite} copied, per table. */
export type SqliteImportCounts = Record<string, number>;

type Row = Record<string, unknown>;

const TABLES: ReadonlyArray<{
  table: string;
  columns: string[];
  order: string;
  convert?: (row: Row) => Row;
}> = [
  {
    table: 'consent_records',
    columns: ['id', 'subject', 'seq', 'purpose', 'status', 'recorded_at', 'hash', 'record'],
    order: 'subject, seq',
  },
  { table: 'consent_erasures', columns: ['subject', 'erased', 'erased_at', 'last_hash'], order: 'subject' },
  {
    table: 'subject_profiles',
    columns: ['subject_id', 'preferences', 'attributes', 'updated_at'],
    order: 'subject_id',
  },
  // rowid order is the order events were received in; the BIGSERIAL column keeps it.
  {
    table: 'subject_events',
    columns: ['subject_id', 'id', 'category', 'at_ms', 'received_at', 'data'],
    order: 'rowid',
  },
  { table: 'subject_carts', columns: ['subject_id', 'cart', 'updated_ms'], order: 'subject_id' },
  {
    table: 'subject_segments',
    columns: ['subject_id', 'names', 'updated_at', 'updated_ms'],
    order: 'subject_id',
    convert: (row) => ({ ...row, names: JSON.parse(String(row.names)) as string[] }),
  },
  { table: 'subject_tombstones', columns: ['hash', 'erased_at'], order: 'hash' },
  {
    table: 'audit_entries',
    columns: ['seq', 'at', 'subject', 'digest', 'prev', 'hash', 'payload', 'redacted_at'],
    order: 'seq',
  },
  { table: 'audit_anchor', columns: ['id', 'seq', 'hash', 'at', 'purged_at', 'mac'], order: 'id' },
];

function sqliteHas(source: SqliteSource, table: string): boolean {
  return (
    source.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?").all(table).length > 0
  );
}

/**
 * Copies a SQLite installation (the `tactful.sqlite` of a data folder) into PostgreSQL: consent
 * records with their hash chains, erasure receipts, profiles, events in the order they were
 * received, carts, segments, tombstones (with the key that made them) and the audit trail with its
 * anchor — byte for byte, so chains and signatures still verify. Runs in ONE transaction after
 * applying the migrations: either everything is copied or nothing is. Refuses a target that already
 * holds records (`CONFLICT`), so running it twice cannot duplicate anything.
 *
 * The audit trail's signatures and the subject pseudonyms are keyed by the installation's secret:
 * give every server the secret the SQLite server used (`TACTFUL_SECRET`, or the `secret.key` file in
 * its data folder).
 *
 * @example
 * ```ts
 * const counts = await importFromSqlite(openDatabase('.tactful-data/tactful.sqlite'), pool, 'tactful');
 * ```
 */
export async function importFromSqlite(
  source: SqliteSource,
  pool: PostgresPool,
  schema = 'tactful',
): Promise<SqliteImportCounts> {
  await migrateAll(pool, schema);
  const q = (t: string) => `"${schema}"."${t}"`;
  return guarded('importFromSqlite', 'copy', () =>
    transaction(pool, async (c) => {
      // No other server writes while the copy runs.
      for (const { table } of TABLES) await c.query(`LOCK TABLE ${q(table)} IN EXCLUSIVE MODE`);
      for (const { table } of TABLES) {
        const { rows } = await c.query(`SELECT 1 FROM ${q(table)} LIMIT 1`);
        if (rows.length > 0) {
          throw new TactfulError(
            'CONFLICT',
            `importFromSqlite: ${schema}.${table} already holds data; import into an empty schema (nothing was copied)`,
            { path: [table] },
          );
        }
      }
      const counts: SqliteImportCounts = {};
      for (const { table, columns, order, convert } of TABLES) {
        if (!sqliteHas(source, table)) {
          counts[table] = 0;
          continue;
        }
        const rows = source
          .prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${order}`)
          .all() as Row[];
        const batch = 500;
        for (let i = 0; i < rows.length; i += batch) {
          const values: unknown[] = [];
          const tuples = rows.slice(i, i + batch).map((raw, r) => {
            const row = convert ? convert(raw) : raw;
            for (const col of columns) values.push(row[col] ?? null);
            return `(${columns.map((_, j) => `$${r * columns.length + j + 1}`).join(', ')})`;
          });
          await c.query(
            `INSERT INTO ${q(table)} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`,
            values,
          );
        }
        counts[table] = rows.length;
      }
      // The tombstone key made the tombstones' hashes: it comes along.
      if (sqliteHas(source, 'subject_meta')) {
        const meta = source
          .prepare("SELECT value FROM subject_meta WHERE key = 'tombstone_key'")
          .all() as Array<{
          value: string;
        }>;
        if (meta[0]) {
          await c.query(
            `INSERT INTO ${q('subject_meta')} (key, value) VALUES ('tombstone_key', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
            [meta[0].value],
          );
        }
      }
      return counts;
    }),
  );
}
