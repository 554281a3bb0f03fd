import {
  type ConsentRecord,
  type ConsentRecordInput,
  type ConsentStore,
  TactfulError,
  type Taxonomy,
  type ValidConsentRecordInput,
  deepFreeze,
  parseConsentRecordInputs,
} from '@tactful/core';
import { chainConsentRecords, consentErasureReceipt, parseConsentSubjectId } from '@tactful/core/store';
import {
  type Connection,
  type PostgresConnectionOptions,
  type PostgresPool,
  connection,
  guarded,
  lockKey,
  transaction,
} from './database.js';
import { type PostgresMigration, ensureSchema } from './migrate.js';

/** The component name of the consent tables in `tactful_migrations`. */
export const CONSENT_COMPONENT = 'consent';

/** The migrations of the consent tables. */
export const POSTGRES_CONSENT_MIGRATIONS: ReadonlyArray<PostgresMigration> = Object.freeze([
  {
    version: 1,
    up: `
      CREATE TABLE {schema}.consent_records (
        id TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        seq INTEGER NOT NULL,
        purpose TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('granted', 'denied', 'withdrawn')),
        recorded_at TEXT NOT NULL,
        hash TEXT NOT NULL,
        record TEXT NOT NULL,
        UNIQUE (subject, seq)
      );
      CREATE INDEX consent_records_by_purpose ON {schema}.consent_records (subject, purpose, seq DESC);
      CREATE FUNCTION {schema}.consent_records_append_only() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'consent records are append-only'; END $$;
      CREATE TRIGGER consent_records_append_only BEFORE UPDATE ON {schema}.consent_records
        FOR EACH ROW EXECUTE FUNCTION {schema}.consent_records_append_only();
      CREATE TABLE {schema}.consent_erasures (
        subject TEXT PRIMARY KEY,
        erased INTEGER NOT NULL,
        erased_at TEXT NOT NULL,
        last_hash TEXT
      );
    `,
  },
]);

/** Options of {@link postgresConsentStore}. */
export interface PostgresConsentStoreOptions extends PostgresConnectionOptions {
  /** The store's clock (epoch ms), stamped on every record. Default `Date.now`. */
  clock?: () => number;
  /** When given, records must name one of its purposes. */
  taxonomy?: Taxonomy;
}

/** A {@link @tactful/core!ConsentStore | ConsentStore} on PostgreSQL, with its pool and schema. */
export interface PostgresConsentStore extends ConsentStore {
  readonly pool: PostgresPool;
  readonly schema: string;
  close(): Promise<void>;
}

const WHAT = 'postgresConsentStore';

/**
 * A consent store on PostgreSQL for a fleet of servers. Each append or erasure is one transaction
 * under an advisory lock on the subject, so writers on any connection of any server extend one
 * unbroken hash chain per subject (`UNIQUE (subject, seq)` backs it up); a commit is durable before
 * the promise resolves. Records are append-only (an `UPDATE` is refused by a trigger). There is no
 * read cache: `latest()` is one indexed query, so a withdrawal committed through any server is seen
 * by the very next read on every server (P6).
 *
 * @example
 * ```ts
 * import { postgresConsentStore } from '@tactful/store-postgres';
 * const store = await postgresConsentStore({ url: process.env.DATABASE_URL });
 * const consent = createConsentManager({ store });
 * ```
 */
export async function postgresConsentStore(
  options: PostgresConsentStoreOptions,
): Promise<PostgresConsentStore> {
  const conn = connection(WHAT, options);
  try {
    await ensureSchema(
      conn.pool,
      conn.schema,
      CONSENT_COMPONENT,
      POSTGRES_CONSENT_MIGRATIONS,
      options.migrate !== false,
    );
  } catch (error) {
    await conn.close();
    throw error;
  }
  return consentStoreOn(conn, options);
}

function consentStoreOn(conn: Connection, options: PostgresConsentStoreOptions): PostgresConsentStore {
  const { pool } = conn;
  const records = conn.table('consent_records');
  const erasures = conn.table('consent_erasures');
  const clock = options.clock ?? Date.now;
  const lock = (subject: string) => `${conn.schema}:consent:${subject}`;
  const pair = (subject: string, purpose: string) => `${subject}\u0000${purpose}`;

  const subjectId = (subject: unknown): string => parseConsentSubjectId(subject, WHAT);

  function validate(inputs: ReadonlyArray<ConsentRecordInput>, now: number): ValidConsentRecordInput[] {
    return parseConsentRecordInputs(inputs, {
      now,
      what: WHAT,
      ...(options.taxonomy ? { taxonomy: options.taxonomy } : {}),
    });
  }

  const writeAll = (valid: ValidConsentRecordInput[], now: number): Promise<ConsentRecord[]> =>
    transaction(pool, async (client) => {
      // Locks in a fixed order, so two batches naming the same subjects cannot deadlock.
      const subjects = [...new Set(valid.map((v) => v.subject))].sort();
      for (const subject of subjects) await lockKey(client, lock(subject));
      // Where each chain stands, read under the locks; the batch is then linked and hashed at once.
      const heads = new Map<string, ConsentRecord>();
      for (const subject of subjects) {
        const { rows } = await client.query<{ record: string }>(
          `SELECT record FROM ${records} WHERE subject = $1 ORDER BY seq DESC LIMIT 1`,
          [subject],
        );
        if (rows[0]) heads.set(subject, JSON.parse(rows[0].record) as ConsentRecord);
      }
      const lastIds = new Map<string, string>();
      for (const [key, { subject, purpose }] of new Map(valid.map((v) => [pair(v.subject, v.purpose), v]))) {
        const { rows } = await client.query<{ id: string }>(
          `SELECT id FROM ${records} WHERE subject = $1 AND purpose = $2 ORDER BY seq DESC LIMIT 1`,
          [subject, purpose],
        );
        if (rows[0]) lastIds.set(key, rows[0].id);
      }
      const out = chainConsentRecords(valid, now, {
        head: (subject) => heads.get(subject),
        lastFor: (subject, purpose) => lastIds.get(pair(subject, purpose)) ?? null,
      });
      for (const record of out) {
        await client.query(
          `INSERT INTO ${records} (id, subject, seq, purpose, status, recorded_at, hash, record) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            record.id,
            record.subject,
            record.seq,
            record.purpose,
            record.status,
            record.recordedAt,
            record.hash,
            JSON.stringify(record),
          ],
        );
      }
      return out;
    });

  const parse = (rows: Array<{ record: string }>): ConsentRecord[] =>
    rows.map((r) => deepFreeze(JSON.parse(r.record) as ConsentRecord));

  return {
    pool,
    schema: conn.schema,
    async append(input) {
      const now = clock();
      const valid = validate([input], now);
      return (await guarded(WHAT, 'append', () => writeAll(valid, now)))[0] as ConsentRecord;
    },
    async appendAll(inputs) {
      if (!Array.isArray(inputs))
        throw new TactfulError('INVALID_INPUT', `${WHAT}: appendAll takes an array of records`);
      const now = clock();
      const valid = validate(inputs, now);
      if (valid.length === 0) return [];
      return guarded(WHAT, 'appendAll', () => writeAll(valid, now));
    },
    async latest(subject) {
      const id = subjectId(subject);
      const { rows } = await guarded(WHAT, 'latest', () =>
        // A named statement: parsed and planned once per connection (the decision path's only query).
        pool.query<{ record: string }>({
          name: `tactful-consent-latest-${conn.schema}`,
          text: `SELECT DISTINCT ON (purpose) record FROM ${records} WHERE subject = $1 ORDER BY purpose, seq DESC`,
          values: [id],
        }),
      );
      const latest = new Map<string, ConsentRecord>();
      for (const record of parse(rows)) latest.set(record.purpose, record);
      return latest;
    },
    async history(subject) {
      const id = subjectId(subject);
      const { rows } = await guarded(WHAT, 'history', () =>
        pool.query<{ record: string }>(`SELECT record FROM ${records} WHERE subject = $1 ORDER BY seq`, [id]),
      );
      return parse(rows);
    },
    async eraseSubject(subject) {
      const id = subjectId(subject);
      const now = clock();
      return guarded(WHAT, 'eraseSubject', () =>
        transaction(pool, async (client) => {
          await lockKey(client, lock(id));
          const counted = await client.query<{ n: number }>(
            `SELECT COUNT(*)::int AS n FROM ${records} WHERE subject = $1`,
            [id],
          );
          const last = await client.query<{ hash: string }>(
            `SELECT hash FROM ${records} WHERE subject = $1 ORDER BY seq DESC LIMIT 1`,
            [id],
          );
          const erased = counted.rows[0]?.n ?? 0;
          const receipt = consentErasureReceipt(id, erased, now, last.rows[0]?.hash ?? null);
          await client.query(`DELETE FROM ${records} WHERE subject = $1`, [id]);
          // A repeated erasure keeps the tombstone of the one that actually erased something.
          await client.query(
            erased > 0
              ? `INSERT INTO ${erasures} (subject, erased, erased_at, last_hash) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (subject) DO UPDATE SET erased = excluded.erased, erased_at = excluded.erased_at, last_hash = excluded.last_hash`
              : `INSERT INTO ${erasures} (subject, erased, erased_at, last_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (subject) DO NOTHING`,
            [id, erased, receipt.erasedAt, receipt.lastHash],
          );
          return receipt;
        }),
      );
    },
    async erasure(subject) {
      const id = subjectId(subject);
      const { rows } = await guarded(WHAT, 'erasure', () =>
        pool.query<{ subject: string; erased: number; erased_at: string; last_hash: string | null }>(
          `SELECT subject, erased, erased_at, last_hash FROM ${erasures} WHERE subject = $1`,
          [id],
        ),
      );
      const row = rows[0];
      return row
        ? Object.freeze({
            subject: row.subject,
            erased: row.erased,
            erasedAt: row.erased_at,
            lastHash: row.last_hash,
          })
        : undefined;
    },
    close: () => conn.close(),
  };
}
