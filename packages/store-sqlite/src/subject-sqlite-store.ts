import { randomUUID } from 'node:crypto';
import {
  type AtTime,
  CartSchema,
  EVENT_CATEGORIES,
  type EventCategory,
  type EventDataByCategory,
  type IngestResult,
  PreferencesPatchSchema,
  type ProfileAttributes,
  ProfileAttributesSchema,
  type ProfilePreferences,
  SegmentNamesSchema,
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
  SubjectStoreOptionsShape,
  decodeProfileRow,
  guardStore,
  mergeAttributes,
  parsePurgeOptions,
  parseReplacementEvents,
  profileRowEntries,
  subjectExport,
} from '@tactful/core/store';
import { z } from 'zod';
import type { SqliteDatabase } from './database.js';
import { storeDatabase } from './store-database.js';
import { subjectReads } from './subject-reads.js';

/** The component name of the subject tables in `tactful_migrations`. */
export const SUBJECT_COMPONENT = 'subject';

/** The schema of the subject store, versioned. */
export const SUBJECT_MIGRATIONS = [
  {
    version: 1,
    up: `
      CREATE TABLE subject_profiles (
        subject_id TEXT PRIMARY KEY, preferences TEXT, attributes TEXT, updated_at TEXT NOT NULL
      ) STRICT;
      CREATE TABLE subject_events (
        subject_id TEXT NOT NULL, id TEXT NOT NULL, category TEXT NOT NULL, at_ms INTEGER NOT NULL,
        received_at TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (subject_id, id)
      ) STRICT;
      CREATE INDEX subject_events_by_subject ON subject_events (subject_id, category, at_ms);
      CREATE INDEX subject_events_by_time ON subject_events (category, at_ms);
      CREATE TABLE subject_carts (subject_id TEXT PRIMARY KEY, cart TEXT NOT NULL, updated_ms INTEGER NOT NULL) STRICT;
      CREATE TABLE subject_segments (
        subject_id TEXT PRIMARY KEY, names TEXT NOT NULL, updated_at TEXT NOT NULL, updated_ms INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE subject_tombstones (hash TEXT PRIMARY KEY, erased_at TEXT NOT NULL) STRICT;
      CREATE TABLE subject_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
    `,
  },
] as const;

/** Options of {@link sqliteSubjectStore}. */
export const SqliteSubjectStoreOptionsSchema = z.strictObject({
  /** An open database (from `openDatabase`), shared with other stores. Give this or `filename`. */
  db: z
    .custom<SqliteDatabase>(
      (v) => typeof v === 'object' && v !== null && 'prepare' in v,
      'must be a better-sqlite3 Database',
    )
    .optional(),
  /** A database file to open (created if missing) with `openDatabase`. */
  filename: z.string().min(1).optional(),
  /**
   * The store's name (default `sqlite-subject-store`), retention per category, the clock, and the
   * tombstone key. Without a `tombstoneKey`, a random key is generated on first use and kept in the
   * database; pass your own (from a secret store) so a copy of the database alone cannot be used to
   * test whether an id was erased.
   */
  ...SubjectStoreOptionsShape,
});
/** Options of {@link sqliteSubjectStore}. */
export type SqliteSubjectStoreOptions = z.input<typeof SqliteSubjectStoreOptionsSchema>;

/** A {@link @tactful/core!SubjectStore | SubjectStore} on SQLite, with `close()` and its database. */
export interface SqliteSubjectStore extends SubjectStore {
  readonly db: SqliteDatabase;
  /** Closes the database if this store opened it (from `filename`). */
  close(): void;
}

/**
 * The durable {@link @tactful/core!SubjectStore | SubjectStore}: SQLite through better-sqlite3 (WAL, `synchronous = FULL`), so a
 * write or an erasure is on disk before the call returns; every write is one transaction, so a crash
 * leaves no half record. Tables are created by versioned migrations (component `subject`).
 *
 * @example
 * ```ts
 * import { sqliteSubjectStore } from '@tactful/store-sqlite';
 * const store = sqliteSubjectStore({ filename: './tactful.db', tombstoneKey: process.env.TOMBSTONE_KEY });
 * await store.declarePreferences('u-42', { interests: ['running'] });
 * ```
 */
export function sqliteSubjectStore(options: SqliteSubjectStoreOptions): SqliteSubjectStore {
  const opts = parseOrThrow(SqliteSubjectStoreOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'sqliteSubjectStore',
  });
  const { db, owned } = storeDatabase('sqliteSubjectStore', opts, SUBJECT_COMPONENT, SUBJECT_MIGRATIONS);
  const clock = opts.now ?? Date.now;
  const retention = resolveRetention(opts.retention);
  const key = opts.tombstoneKey ?? storedKey(db);
  const hash = (id: string) => hmacSha256Hex(key, id);
  const cutoff = (c: keyof typeof retention, now: number) => retentionCutoff(now, retention[c]);

  const reads = subjectReads(db, retention, hash);
  const q = {
    profile: reads.profile,
    upsertPrefs: db.prepare(
      `INSERT INTO subject_profiles (subject_id, preferences, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (subject_id) DO UPDATE SET preferences = excluded.preferences, updated_at = excluded.updated_at`,
    ),
    upsertAttrs: db.prepare(
      `INSERT INTO subject_profiles (subject_id, attributes, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (subject_id) DO UPDATE SET attributes = excluded.attributes, updated_at = excluded.updated_at`,
    ),
    insertEvent: db.prepare(
      'INSERT OR IGNORE INTO subject_events (subject_id, id, category, at_ms, received_at, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    deleteCategory: db.prepare('DELETE FROM subject_events WHERE subject_id = ? AND category = ?'),
    upsertCart: db.prepare(
      'INSERT INTO subject_carts (subject_id, cart, updated_ms) VALUES (?, ?, ?) ON CONFLICT (subject_id) DO UPDATE SET cart = excluded.cart, updated_ms = excluded.updated_ms',
    ),
    deleteCart: db.prepare('DELETE FROM subject_carts WHERE subject_id = ?'),
    upsertSegments: db.prepare(
      `INSERT INTO subject_segments (subject_id, names, updated_at, updated_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (subject_id) DO UPDATE SET names = excluded.names, updated_at = excluded.updated_at, updated_ms = excluded.updated_ms`,
    ),
    addTombstone: db.prepare('INSERT OR IGNORE INTO subject_tombstones (hash, erased_at) VALUES (?, ?)'),
  };
  const erasedSync = reads.isErased;
  const iso = (ms: number) => new Date(ms).toISOString();
  const guard = <T>(what: string, fn: () => T): T => guardStore('sqliteSubjectStore', what, fn);
  const tx = <A extends unknown[], T>(fn: (...args: A) => T) => {
    const t = db.transaction(fn);
    return (...args: A): T => t.immediate(...args);
  };
  const listLive = reads.listEvents;

  const declare = tx((id: string, patch: z.output<typeof PreferencesPatchSchema>): ProfilePreferences => {
    const next = applyPreferencesPatch(decodeProfileRow(q.profile.get(id)).preferences, patch);
    q.upsertPrefs.run(id, JSON.stringify(next), iso(clock()));
    return next;
  });
  const setAttrs = tx((id: string, attrs: ProfileAttributes, replace: boolean): ProfileAttributes => {
    const next = mergeAttributes(decodeProfileRow(q.profile.get(id)).attributes, attrs, replace);
    q.upsertAttrs.run(id, JSON.stringify(next), iso(clock()));
    return next;
  });
  const record = tx(
    (id: string, events: ReturnType<typeof parseSubjectEvents>, now: number): IngestResult => {
      const result: IngestResult = { accepted: 0, duplicates: 0, expired: 0, droppedErased: 0 };
      if (erasedSync(id)) return { ...result, droppedErased: events.length };
      for (const e of events) {
        const atMs = Date.parse(e.data.at);
        if (atMs < cutoff(e.category, now)) {
          result.expired++;
          continue;
        }
        const info = q.insertEvent.run(
          id,
          e.id ?? randomUUID(),
          e.category,
          atMs,
          iso(now),
          JSON.stringify(e.data),
        );
        if (info.changes === 0) result.duplicates++;
        else result.accepted++;
      }
      return result;
    },
  );
  const replace = tx((id: string, c: EventCategory, events: Array<{ at: string }>, now: number): number => {
    q.deleteCategory.run(id, c);
    let kept = 0;
    for (const data of events) {
      const atMs = Date.parse(data.at);
      if (atMs < cutoff(c, now)) continue;
      q.insertEvent.run(id, randomUUID(), c, atMs, iso(now), JSON.stringify(data));
      kept++;
    }
    return kept;
  });
  // At most `limit` rows go per call (-1: no limit), the oldest categories' rows picked by the time
  // index; a row another connection deleted first is simply not counted, so purges may overlap.
  const purgeEvents = db.prepare(
    'DELETE FROM subject_events WHERE rowid IN (SELECT rowid FROM subject_events WHERE category = ? AND at_ms < ? LIMIT ?)',
  );
  const purgeCarts = db.prepare(
    'DELETE FROM subject_carts WHERE rowid IN (SELECT rowid FROM subject_carts WHERE updated_ms < ? LIMIT ?)',
  );
  const purgeSegments = db.prepare(
    'DELETE FROM subject_segments WHERE rowid IN (SELECT rowid FROM subject_segments WHERE updated_ms < ? LIMIT ?)',
  );
  const purge = tx((now: number, limit: number): number => {
    let removed = 0;
    const left = () => (limit === Number.POSITIVE_INFINITY ? -1 : limit - removed);
    for (const c of EVENT_CATEGORIES) {
      if (left() === 0) return removed;
      removed += purgeEvents.run(c, cutoff(c, now), left()).changes;
    }
    if (left() === 0) return removed;
    removed += purgeCarts.run(cutoff('behavior.cart', now), left()).changes;
    if (left() === 0) return removed;
    removed += purgeSegments.run(cutoff('derived.segments', now), left()).changes;
    return removed;
  });
  const erase = tx((id: string): number => {
    let count = profileRowEntries(q.profile.get(id));
    db.prepare('DELETE FROM subject_profiles WHERE subject_id = ?').run(id);
    for (const table of ['subject_events', 'subject_carts', 'subject_segments']) {
      count += db.prepare(`DELETE FROM ${table} WHERE subject_id = ?`).run(id).changes;
    }
    q.addTombstone.run(hash(id), iso(clock()));
    return count;
  });

  const store: SqliteSubjectStore = {
    name: opts.name ?? 'sqlite-subject-store',
    kind: 'subject',
    retention,
    db,
    close() {
      if (owned && db.open) db.close();
    },
    async getPreferences(subjectId) {
      const id = parseSubjectId(subjectId);
      return guard('read', () => reads.preferences(id));
    },
    async declarePreferences(subjectId, patch) {
      const id = parseSubjectId(subjectId);
      const parsed = parseSubjectInput(PreferencesPatchSchema, patch, ['preferences']);
      return guard('declarePreferences', () => declare(id, parsed));
    },
    async getAttributes(subjectId) {
      const id = parseSubjectId(subjectId);
      return guard('read', () => reads.attributes(id));
    },
    async setAttributes(subjectId, attributes, { replace: all = false } = {}) {
      const id = parseSubjectId(subjectId);
      const parsed = parseSubjectInput(ProfileAttributesSchema, attributes, ['attributes']);
      return guard('setAttributes', () => setAttrs(id, parsed, all));
    },
    async recordEvents(subjectId, events, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      const parsed = parseSubjectEvents(events);
      return guard('recordEvents', () => record(id, parsed, at.now ?? clock()));
    },
    async listEvents(subjectId, category, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      const c = parseEventCategory(category);
      return guard('listEvents', () => listLive(id, c, at.now ?? clock())) as never;
    },
    async replaceEvents<C extends EventCategory>(
      subjectId: string,
      category: C,
      events: ReadonlyArray<EventDataByCategory[C]>,
      at: AtTime = {},
    ) {
      const id = parseSubjectId(subjectId);
      const parsed = parseReplacementEvents(category, events);
      return guard('replaceEvents', () => replace(id, parsed.category, parsed.events, at.now ?? clock()));
    },
    async getCart(subjectId, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      return guard('read', () => reads.cart(id, at.now ?? clock()));
    },
    async setCart(subjectId, cart) {
      const id = parseSubjectId(subjectId);
      const parsed = cart === null ? null : parseSubjectInput(CartSchema, cart, ['cart']);
      return guard('setCart', () =>
        tx(() => {
          if (erasedSync(id)) return false;
          if (parsed === null) q.deleteCart.run(id);
          else q.upsertCart.run(id, JSON.stringify(parsed), Date.parse(parsed.updatedAt));
          return true;
        })(),
      );
    },
    async getSegments(subjectId, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      return guard('read', () => reads.segments(id, at.now ?? clock()));
    },
    async setSegments(subjectId, names, at: AtTime = {}) {
      const id = parseSubjectId(subjectId);
      const parsed = parseSubjectInput(SegmentNamesSchema, names, ['segments']);
      const now = at.now ?? clock();
      return guard('setSegments', () =>
        tx(() => {
          if (erasedSync(id)) return false;
          q.upsertSegments.run(id, JSON.stringify([...new Set(parsed)]), iso(now), now);
          return true;
        })(),
      );
    },
    async purgeExpired(options) {
      const { now, limit } = parsePurgeOptions(options, clock);
      return { removed: guard('purgeExpired', () => purge(now, limit)) };
    },
    async exportSubject(subjectId) {
      const id = parseSubjectId(subjectId);
      const now = clock();
      return guard('exportSubject', () =>
        db.transaction(() => {
          const seg = reads.segmentsRow(id, now);
          return subjectExport({
            profile: q.profile.get(id),
            purchases: listLive(id, 'behavior.purchases', now),
            pageviews: listLive(id, 'behavior.pageviews', now),
            cart: reads.cartRow(id, now)?.cart,
            segments: seg && { names: JSON.parse(seg.names) as string[], updatedAt: seg.updated_at },
          });
        })(),
      );
    },
    async erase(subjectId) {
      const id = parseSubjectId(subjectId);
      return { erased: guard('erase', () => erase(id)) };
    },
    async isErased(subjectId) {
      const id = parseSubjectId(subjectId);
      return guard('isErased', () => erasedSync(id));
    },
  };
  return Object.freeze(store);
}

function storedKey(db: SqliteDatabase): string {
  const read = db.prepare<[], { value: string }>(
    "SELECT value FROM subject_meta WHERE key = 'tombstone_key'",
  );
  return db
    .transaction(() => {
      const existing = read.get();
      if (existing) return existing.value;
      db.prepare("INSERT INTO subject_meta (key, value) VALUES ('tombstone_key', ?)").run(randomHashKey());
      return (read.get() as { value: string }).value;
    })
    .immediate();
}
