import { randomUUID } from 'node:crypto';
import {
  type AtTime,
  type Cart,
  CartSchema,
  EVENT_CATEGORIES,
  type EventCategory,
  type EventDataByCategory,
  type IngestResult,
  PreferencesPatchSchema,
  ProfileAttributesSchema,
  SegmentNamesSchema,
  type StoredEvent,
  type SubjectRetention,
  type SubjectStore,
  applyPreferencesPatch,
  hmacSha256Hex,
  parseEventCategory,
  parseOrThrow,
  parseSubjectEvents,
  parseSubjectId,
  parseSubjectInput,
  randomHashKey,
  resolveRetention,
  retentionCutoff,
} from '@tactful/core';
import {
  type StoredProfileRow,
  SubjectStoreOptionsShape,
  decodeProfileRow,
  mergeAttributes,
  parsePurgeOptions,
  parseReplacementEvents,
  profileRowEntries,
  subjectExport,
} from '@tactful/core/store';
import { z } from 'zod';
import {
  type PostgresClient,
  type PostgresConnectionOptions,
  type PostgresPool,
  connection,
  guarded,
  lockKey,
  transaction,
  tryLockKey,
} from './database.js';
import { type PostgresMigration, ensureSchema } from './migrate.js';

/** The component name of the subject tables in `tactful_migrations`. */
export const SUBJECT_COMPONENT = 'subject';

/** The migrations of the subject tables. */
export const POSTGRES_SUBJECT_MIGRATIONS: ReadonlyArray<PostgresMigration> = Object.freeze([
  {
    version: 1,
    up: `
      CREATE TABLE {schema}.subject_profiles (
        subject_id TEXT PRIMARY KEY, preferences TEXT, attributes TEXT, updated_at TEXT NOT NULL
      );
      CREATE TABLE {schema}.subject_events (
        subject_id TEXT NOT NULL, id TEXT NOT NULL, category TEXT NOT NULL, at_ms BIGINT NOT NULL,
        received_at TEXT NOT NULL, data TEXT NOT NULL, n BIGSERIAL NOT NULL, PRIMARY KEY (subject_id, id)
      );
      CREATE INDEX subject_events_by_subject ON {schema}.subject_events (subject_id, category, at_ms, n);
      CREATE INDEX subject_events_by_time ON {schema}.subject_events (category, at_ms);
      CREATE TABLE {schema}.subject_carts (subject_id TEXT PRIMARY KEY, cart TEXT NOT NULL, updated_ms BIGINT NOT NULL);
      CREATE INDEX subject_carts_by_time ON {schema}.subject_carts (updated_ms);
      CREATE TABLE {schema}.subject_segments (
        subject_id TEXT PRIMARY KEY, names TEXT[] NOT NULL, updated_at TEXT NOT NULL, updated_ms BIGINT NOT NULL
      );
      CREATE INDEX subject_segments_by_name ON {schema}.subject_segments USING GIN (names);
      CREATE INDEX subject_segments_by_time ON {schema}.subject_segments (updated_ms);
      CREATE TABLE {schema}.subject_tombstones (hash TEXT PRIMARY KEY, erased_at TEXT NOT NULL);
      CREATE TABLE {schema}.subject_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
]);

/** Options of {@link postgresSubjectStore}. */
export interface PostgresSubjectStoreOptions extends PostgresConnectionOptions {
  /** The store's name in exports and receipts. Default `postgres-subject-store`. */
  name?: string;
  /** Retention in days per category. */
  retention?: Partial<SubjectRetention>;
  /**
   * The secret key of tombstone hashes (16+ characters). Default: a random key made on first use and
   * kept in the database (every server then shares it).
   */
  tombstoneKey?: string | Uint8Array;
  /** The clock, epoch milliseconds. Default `Date.now`. */
  now?: () => number;
}

const OptionsSchema = z.looseObject(SubjectStoreOptionsShape);

/** A {@link @tactful/core!SubjectStore | SubjectStore} on PostgreSQL, with its pool, schema and `close()`. */
export interface PostgresSubjectStore extends SubjectStore {
  readonly pool: PostgresPool;
  readonly schema: string;
  /** How many stored people are in a segment (within retention): a population counter for the k-anonymity floor. */
  countSegment(segment: string, options?: AtTime): Promise<number>;
  close(): Promise<void>;
}

const WHAT = 'postgresSubjectStore';

interface EventRow {
  id: string;
  category: EventCategory;
  received_at: string;
  data: string;
}

/**
 * The {@link @tactful/core!SubjectStore | SubjectStore} on PostgreSQL, for a fleet of servers. Every write is one transaction
 * under an advisory lock on the person, so read-modify-writes (a preferences patch, merged
 * attributes) from any number of servers never lose an update, and an erasure is ordered with every
 * write: once it commits, the tombstone drops later observed and derived writes. Events keep the
 * order they were received in per person. `purgeExpired` runs on one server at a time.
 *
 * @example
 * ```ts
 * import { postgresSubjectStore } from '@tactful/store-postgres';
 * const subjects = await postgresSubjectStore({ url: process.env.DATABASE_URL, tombstoneKey: process.env.TOMBSTONE_KEY });
 * await subjects.declarePreferences('u-42', { interests: ['running'] });
 * ```
 */
export async function postgresSubjectStore(
  options: PostgresSubjectStoreOptions,
): Promise<PostgresSubjectStore> {
  const opts = parseOrThrow(OptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: WHAT,
  });
  const conn = connection(WHAT, options);
  const { pool } = conn;
  let key: string | Uint8Array;
  try {
    await ensureSchema(
      conn.pool,
      conn.schema,
      SUBJECT_COMPONENT,
      POSTGRES_SUBJECT_MIGRATIONS,
      options.migrate !== false,
    );
    key = opts.tombstoneKey ?? (await storedKey(pool, conn.table('subject_meta')));
  } catch (error) {
    await conn.close();
    throw error;
  }
  const T = {
    profiles: conn.table('subject_profiles'),
    events: conn.table('subject_events'),
    carts: conn.table('subject_carts'),
    segments: conn.table('subject_segments'),
    tombstones: conn.table('subject_tombstones'),
  };
  const clock = opts.now ?? Date.now;
  const retention = resolveRetention(opts.retention);
  const cutoff = (c: keyof typeof retention, now: number) => retentionCutoff(now, retention[c]);
  const hash = (id: string) => hmacSha256Hex(key, id);
  const iso = (ms: number) => new Date(ms).toISOString();
  const lock = (id: string) => `${conn.schema}:subject:${id}`;
  /** One write transaction on one person, serialised with every other write on them. */
  const write = <R>(what: string, id: string, fn: (c: PostgresClient) => Promise<R>): Promise<R> =>
    guarded(WHAT, what, () =>
      transaction(pool, async (c) => {
        await lockKey(c, lock(id));
        return fn(c);
      }),
    );
  const read = <R>(what: string, fn: (c: Pick<PostgresPool, 'query'>) => Promise<R>) =>
    guarded(WHAT, what, () => fn(pool));
  const erasedOn = async (c: Pick<PostgresPool, 'query'>, id: string) =>
    (await c.query(`SELECT 1 FROM ${T.tombstones} WHERE hash = $1`, [hash(id)])).rowCount! > 0;
  const profileOn = async (c: Pick<PostgresPool, 'query'>, id: string) =>
    (
      await c.query<StoredProfileRow>(
        `SELECT preferences, attributes FROM ${T.profiles} WHERE subject_id = $1`,
        [id],
      )
    ).rows[0];
  const listOn = async <C extends EventCategory>(
    c: Pick<PostgresPool, 'query'>,
    id: string,
    category: C,
    now: number,
  ): Promise<StoredEvent<C>[]> =>
    (
      await c.query<EventRow>(
        `SELECT id, category, received_at, data FROM ${T.events} WHERE subject_id = $1 AND category = $2 AND at_ms >= $3 ORDER BY at_ms, n`,
        [id, category, cutoff(category, now)],
      )
    ).rows.map((r) => ({ id: r.id, category, receivedAt: r.received_at, data: JSON.parse(r.data) }));
  const cartOn = async (c: Pick<PostgresPool, 'query'>, id: string, now: number) =>
    (
      await c.query<{ cart: string }>(
        `SELECT cart FROM ${T.carts} WHERE subject_id = $1 AND updated_ms >= $2`,
        [id, cutoff('behavior.cart', now)],
      )
    ).rows[0];
  const segmentsOn = async (c: Pick<PostgresPool, 'query'>, id: string, now: number) =>
    (
      await c.query<{ names: string[]; updated_at: string }>(
        `SELECT names, updated_at FROM ${T.segments} WHERE subject_id = $1 AND updated_ms >= $2`,
        [id, cutoff('derived.segments', now)],
      )
    ).rows[0];

  const store: PostgresSubjectStore = {
    name: opts.name ?? 'postgres-subject-store',
    kind: 'subject',
    retention,
    pool,
    schema: conn.schema,
    close: () => conn.close(),
    async getPreferences(subjectId) {
      const id = parseSubjectId(subjectId);
      return decodeProfileRow(await read('read', (c) => profileOn(c, id))).preferences;
    },
    async declarePreferences(subjectId, patch) {
      const id = parseSubjectId(subjectId);
      const parsed = parseSubjectInput(PreferencesPatchSchema, patch, ['preferences']);
      return write('declarePreferences', id, async (c) => {
        const next = applyPreferencesPatch(decodeProfileRow(await profileOn(c, id)).preferences, parsed);
        await c.query(
          `INSERT INTO ${T.profiles} (subject_id, preferences, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (subject_id) DO UPDATE SET preferences = excluded.preferences, updated_at = excluded.updated_at`,
          [id, JSON.stringify(next), iso(clock())],
        );
        return next;
      });
    },
    async getAttributes(subjectId) {
      const id = parseSubjectId(subjectId);
      return decodeProfileRow(await read('read', (c) => profileOn(c, id))).attributes;
    },
    async setAttributes(subjectId, attributes, { replace = false } = {}) {
      const id = parseSubjectId(subjectId);
      const parsed = parseSubjectInput(ProfileAttributesSchema, attributes, ['attributes']);
      return write('setAttributes', id, async (c) => {
        const next = mergeAttributes(decodeProfileRow(await profileOn(c, id)).attributes, parsed, replace);
        await c.query(
          `INSERT INTO ${T.profiles} (subject_id, attributes, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (subject_id) DO UPDATE SET attributes = excluded.attributes, updated_at = excluded.updated_at`,
          [id, JSON.stringify(next), iso(clock())],
        );
        return next;
      });
    },
    async recordEvents(subjectId, events, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      const parsed = parseSubjectEvents(events);
      const now = at.now ?? clock();
      return write('recordEvents', id, async (c) => {
        const result: IngestResult = { accepted: 0, duplicates: 0, expired: 0, droppedErased: 0 };
        if (await erasedOn(c, id)) return { ...result, droppedErased: parsed.length };
        for (const e of parsed) {
          const atMs = Date.parse(e.data.at);
          if (atMs < cutoff(e.category, now)) {
            result.expired++;
            continue;
          }
          const inserted = await c.query(
            `INSERT INTO ${T.events} (subject_id, id, category, at_ms, received_at, data) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (subject_id, id) DO NOTHING`,
            [id, e.id ?? randomUUID(), e.category, atMs, iso(now), JSON.stringify(e.data)],
          );
          if (inserted.rowCount === 0) result.duplicates++;
          else result.accepted++;
        }
        return result;
      });
    },
    async listEvents(subjectId, category, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      const c = parseEventCategory(category);
      return read('listEvents', (q) => listOn(q, id, c, at.now ?? clock())) as never;
    },
    async replaceEvents<C extends EventCategory>(
      subjectId: string,
      category: C,
      events: ReadonlyArray<EventDataByCategory[C]>,
      at: AtTime = {},
    ) {
      const id = parseSubjectId(subjectId);
      const { category: c, events: parsed } = parseReplacementEvents(category, events);
      const now = at.now ?? clock();
      return write('replaceEvents', id, async (q) => {
        await q.query(`DELETE FROM ${T.events} WHERE subject_id = $1 AND category = $2`, [id, c]);
        let kept = 0;
        for (const data of parsed as Array<{ at: string }>) {
          const atMs = Date.parse(data.at);
          if (atMs < cutoff(c, now)) continue;
          await q.query(
            `INSERT INTO ${T.events} (subject_id, id, category, at_ms, received_at, data) VALUES ($1, $2, $3, $4, $5, $6)`,
            [id, randomUUID(), c, atMs, iso(now), JSON.stringify(data)],
          );
          kept++;
        }
        return kept;
      });
    },
    async getCart(subjectId, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      const row = await read('read', (c) => cartOn(c, id, at.now ?? clock()));
      return row ? (JSON.parse(row.cart) as Cart) : undefined;
    },
    async setCart(subjectId, cart) {
      const id = parseSubjectId(subjectId);
      const parsed = cart === null ? null : parseSubjectInput(CartSchema, cart, ['cart']);
      return write('setCart', id, async (c) => {
        if (await erasedOn(c, id)) return false;
        if (parsed === null) await c.query(`DELETE FROM ${T.carts} WHERE subject_id = $1`, [id]);
        else
          await c.query(
            `INSERT INTO ${T.carts} (subject_id, cart, updated_ms) VALUES ($1, $2, $3)
             ON CONFLICT (subject_id) DO UPDATE SET cart = excluded.cart, updated_ms = excluded.updated_ms`,
            [id, JSON.stringify(parsed), Date.parse(parsed.updatedAt)],
          );
        return true;
      });
    },
    async getSegments(subjectId, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      const row = await read('read', (c) => segmentsOn(c, id, at.now ?? clock()));
      return row ? [...row.names] : undefined;
    },
    async setSegments(subjectId, names, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      const parsed = parseSubjectInput(SegmentNamesSchema, names, ['segments']);
      const now = at.now ?? clock();
      return write('setSegments', id, async (c) => {
        if (await erasedOn(c, id)) return false;
        await c.query(
          `INSERT INTO ${T.segments} (subject_id, names, updated_at, updated_ms) VALUES ($1, $2, $3, $4)
           ON CONFLICT (subject_id) DO UPDATE SET names = excluded.names, updated_at = excluded.updated_at, updated_ms = excluded.updated_ms`,
          [id, [...new Set(parsed)], iso(now), now],
        );
        return true;
      });
    },
    async countSegment(segment, at: AtTime = {}) {
      if (typeof segment !== 'string' || segment.length === 0 || segment.length > 128) return 0;
      const now = at.now ?? clock();
      const { rows } = await read('countSegment', (c) =>
        c.query<{ n: number }>(
          `SELECT COUNT(*)::int AS n FROM ${T.segments} WHERE names @> ARRAY[$1]::text[] AND updated_ms >= $2`,
          [segment, cutoff('derived.segments', now)],
        ),
      );
      return rows[0]?.n ?? 0;
    },
    async purgeExpired(options) {
      const { now, limit } = parsePurgeOptions(options, clock);
      return guarded(WHAT, 'purgeExpired', () =>
        transaction(pool, async (c) => {
          // One server purges at a time; the others find the work done (or being done) and skip.
          if (!(await tryLockKey(c, `${conn.schema}:subject-purge`))) return { removed: 0 };
          let removed = 0;
          // At most `limit` rows per call (LIMIT NULL: no limit), picked by the time indexes.
          const left = () => (limit === Number.POSITIVE_INFINITY ? null : limit - removed);
          const run = async (table: string, where: string, params: unknown[]) => {
            if (left() === 0) return;
            const sql = `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT $${params.length + 1}))`;
            removed += (await c.query(sql, [...params, left()])).rowCount ?? 0;
          };
          for (const category of EVENT_CATEGORIES) {
            await run(T.events, 'category = $1 AND at_ms < $2', [category, cutoff(category, now)]);
          }
          await run(T.carts, 'updated_ms < $1', [cutoff('behavior.cart', now)]);
          await run(T.segments, 'updated_ms < $1', [cutoff('derived.segments', now)]);
          return { removed };
        }),
      );
    },
    async exportSubject(subjectId) {
      const id = parseSubjectId(subjectId);
      const now = clock();
      return guarded(WHAT, 'exportSubject', () =>
        transaction(pool, async (c) => {
          // One snapshot of everything the person has.
          await c.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
          const profile = await profileOn(c, id);
          const cart = await cartOn(c, id, now);
          const seg = await segmentsOn(c, id, now);
          return subjectExport({
            profile,
            purchases: await listOn(c, id, 'behavior.purchases', now),
            pageviews: await listOn(c, id, 'behavior.pageviews', now),
            cart: cart?.cart,
            segments: seg && { names: seg.names, updatedAt: seg.updated_at },
          });
        }),
      );
    },
    async erase(subjectId) {
      const id = parseSubjectId(subjectId);
      const erased = await write('erase', id, async (c) => {
        let count = profileRowEntries(await profileOn(c, id));
        await c.query(`DELETE FROM ${T.profiles} WHERE subject_id = $1`, [id]);
        for (const table of [T.events, T.carts, T.segments])
          count += (await c.query(`DELETE FROM ${table} WHERE subject_id = $1`, [id])).rowCount ?? 0;
        await c.query(
          `INSERT INTO ${T.tombstones} (hash, erased_at) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING`,
          [hash(id), iso(clock())],
        );
        return count;
      });
      return { erased };
    },
    async isErased(subjectId) {
      const id = parseSubjectId(subjectId);
      return read('isErased', (c) => erasedOn(c, id));
    },
  };
  return Object.freeze(store);
}

async function storedKey(pool: PostgresPool, table: string): Promise<string> {
  await pool.query(
    `INSERT INTO ${table} (key, value) VALUES ('tombstone_key', $1) ON CONFLICT (key) DO NOTHING`,
    [randomHashKey()],
  );
  const { rows } = await pool.query<{ value: string }>(
    `SELECT value FROM ${table} WHERE key = 'tombstone_key'`,
  );
  return (rows[0] as { value: string }).value;
}
