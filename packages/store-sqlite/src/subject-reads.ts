import type { Cart, EventCategory, ProfileAttributes, ProfilePreferences, StoredEvent } from '@tactful/core';
import { type SubjectRetention, retentionCutoff } from '@tactful/core';
import { decodeProfileRow } from '@tactful/core/store';
import type { SqliteDatabase, SqliteStatement } from './database.js';

interface EventRow {
  id: string;
  category: EventCategory;
  received_at: string;
  data: string;
}

/** The subject store's reads on one connection: synchronous, unguarded, given a parsed subject id. */
export interface SubjectReads {
  /** The raw profile row (the writers merge into it). */
  readonly profile: SqliteStatement<[string], { preferences: string | null; attributes: string | null }>;
  preferences(id: string): ProfilePreferences | undefined;
  attributes(id: string): ProfileAttributes | undefined;
  /** Live (unexpired at `now`) events of one category, oldest first. */
  listEvents<C extends EventCategory>(id: string, c: C, now: number): StoredEvent<C>[];
  /** The raw live cart row at `now`. */
  cartRow(id: string, now: number): { cart: string } | undefined;
  cart(id: string, now: number): Cart | undefined;
  /** The raw live segments row at `now`. */
  segmentsRow(id: string, now: number): { names: string; updated_at: string } | undefined;
  segments(id: string, now: number): string[] | undefined;
  /** Whether `id` was erased (its keyed hash is among the tombstones). */
  isErased(id: string): boolean;
}

/**
 * The read queries of the subject tables (`SUBJECT_MIGRATIONS`) on `db`, which may be read-only:
 * the one implementation behind `sqliteSubjectStore` and the reads `openSqliteStores` answers on
 * the caller's thread. `hash` is the tombstone key's HMAC of an id.
 *
 * @internal
 */
export function subjectReads(
  db: SqliteDatabase,
  retention: SubjectRetention,
  hash: (id: string) => string,
): SubjectReads {
  const cutoff = (c: keyof SubjectRetention, now: number) => retentionCutoff(now, retention[c]);
  const profile = db.prepare<[string], { preferences: string | null; attributes: string | null }>(
    'SELECT preferences, attributes FROM subject_profiles WHERE subject_id = ?',
  );
  const events = db.prepare<[string, string, number], EventRow>(
    'SELECT id, category, received_at, data FROM subject_events WHERE subject_id = ? AND category = ? AND at_ms >= ? ORDER BY at_ms, rowid',
  );
  const cart = db.prepare<[string, number], { cart: string }>(
    'SELECT cart FROM subject_carts WHERE subject_id = ? AND updated_ms >= ?',
  );
  const segments = db.prepare<[string, number], { names: string; updated_at: string }>(
    'SELECT names, updated_at FROM subject_segments WHERE subject_id = ? AND updated_ms >= ?',
  );
  const tombstone = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM subject_tombstones WHERE hash = ?',
  );
  const reads: SubjectReads = {
    profile,
    preferences: (id) => decodeProfileRow(profile.get(id)).preferences,
    attributes: (id) => decodeProfileRow(profile.get(id)).attributes,
    listEvents: (id, c, now) =>
      events
        .all(id, c, cutoff(c, now))
        .map((r) => ({ id: r.id, category: c, receivedAt: r.received_at, data: JSON.parse(r.data) })),
    cartRow: (id, now) => cart.get(id, cutoff('behavior.cart', now)),
    cart(id, now) {
      const row = reads.cartRow(id, now);
      return row ? (JSON.parse(row.cart) as Cart) : undefined;
    },
    segmentsRow: (id, now) => segments.get(id, cutoff('derived.segments', now)),
    segments(id, now) {
      const row = reads.segmentsRow(id, now);
      return row ? (JSON.parse(row.names) as string[]) : undefined;
    },
    isErased: (id) => (tombstone.get(hash(id))?.n ?? 0) > 0,
  };
  return reads;
}
