import Database from 'better-sqlite3';

/**
 * A better-sqlite3 database handle, as returned by {@link openDatabase}. An interface (not an
 * alias) so declarations that mention it stay nameable in emitted `.d.ts` files.
 */
export interface SqliteDatabase extends Database.Database {}

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** How long a writer waits for another process's lock before failing, in milliseconds. Default 5000. */
  busyTimeoutMs?: number;
  /** Open read-only (no pragmas that write are applied). Default false. */
  readonly?: boolean;
}

/**
 * Opens (or creates) a SQLite database set up for durable records: write-ahead logging,
 * `synchronous = FULL` (a committed transaction survives a crash or power loss before the call that
 * committed it returns), foreign keys enforced, and a busy timeout so several processes can share the
 * file. Pass `':memory:'` for a throw-away database (tests; WAL does not apply there).
 *
 * @example
 * ```ts
 * import { openDatabase, migrate } from '@tactful/store-sqlite';
 * const db = openDatabase('./tactful.db');
 * migrate(db, 'my-component', [{ version: 1, up: 'CREATE TABLE notes (id TEXT PRIMARY KEY)' }]);
 * ```
 */
export function openDatabase(filename: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  const db = new Database(filename, { readonly: options.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    if (!options.readonly) {
      if (filename !== ':memory:' && filename !== '') db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
