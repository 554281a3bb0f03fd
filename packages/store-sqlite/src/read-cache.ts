import { TactfulError } from '@tactful/core';
import type { SqliteDatabase } from './database.js';

/** Writes the stores of this package made on each connection (SQLite's `data_version` ignores them). */
const ownWrites = new WeakMap<SqliteDatabase, { n: number }>();

/**
 * Notes that a store of this package wrote on `db` (call it after the write, committed or not).
 * Read caches on the same connection then drop what they hold.
 */
export function noteWrite(db: SqliteDatabase): void {
  const writes = ownWrites.get(db);
  if (writes) writes.n++;
  else ownWrites.set(db, { n: 1 });
}

/**
 * How many entries a store's read cache keeps: the option's value, checked, or the default.
 * @throws TactfulError `INVALID_OPTIONS` naming `path` unless a whole number from 0 (0 turns it off).
 */
export function cacheSize(value: unknown, store: string, path: string, fallback = 10_000): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${store}: ${path} must be a whole number of entries from 0 (0 turns the cache off)`,
      { path: [path] },
    );
  }
  return value;
}

/**
 * A bounded, least-recently-used cache of values read from `db`, never stale: every `get` first
 * asks SQLite for `PRAGMA data_version` (which changes when any other connection, in this process
 * or another, commits) and counts this package's own writes on the connection ({@link noteWrite});
 * after any write the whole cache is dropped and the value is read again.
 *
 * Stores write through their own methods; a raw `UPDATE` on a shared connection by other code is
 * not seen (write through the stores, or give the store a connection of its own).
 */
export class ReadCache<V> {
  readonly #db: SqliteDatabase;
  readonly #version: { get(): unknown };
  readonly #max: number;
  readonly #entries = new Map<string, V>();
  #dataVersion: unknown;
  #writes = -1;

  constructor(db: SqliteDatabase, max: number) {
    this.#db = db;
    this.#max = max;
    this.#version = db.prepare('PRAGMA data_version').pluck();
  }

  /** The cached value of `key`, or `read()`'s (then kept) when absent or possibly stale. */
  get(key: string, read: () => V): V {
    if (this.#max === 0) return read();
    const dataVersion = this.#version.get();
    const writes = ownWrites.get(this.#db)?.n ?? 0;
    if (dataVersion !== this.#dataVersion || writes !== this.#writes) {
      this.#entries.clear();
      this.#dataVersion = dataVersion;
      this.#writes = writes;
    }
    const held = this.#entries.get(key);
    if (held !== undefined) {
      // Most recently used last: the first key is the one to evict.
      this.#entries.delete(key);
      this.#entries.set(key, held);
      return held;
    }
    const value = read();
    this.#entries.set(key, value);
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value as string);
    return value;
  }
}
