import { createRequire } from 'node:module';
import { TactfulError } from '@tactful/core';
import type { SqliteDatabase, SqliteDriver } from './sqlite-types.js';

export type * from './sqlite-types.js';

/** The range of better-sqlite3 this package is tested with (its optional peer dependency). */
export const SQLITE_DRIVER_RANGE = '^12.11.1';

let driver: SqliteDriver | undefined;

/**
 * better-sqlite3, loaded on first use. It is an optional peer dependency (of this package and of
 * `@tactful/config`, `@tactful/server` and `@tactful/cli`), so that a project that never opens a
 * SQLite file (in-memory or PostgreSQL storage, or only `tactful validate`) never builds its native
 * module. When it isn't installed, the error says how to install it.
 *
 * @throws TactfulError `MISSING_DEPENDENCY` when better-sqlite3 can't be found.
 */
export function loadSqliteDriver(): SqliteDriver {
  if (driver) return driver;
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)('better-sqlite3');
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const message = String((error as { message?: unknown } | null)?.message ?? '');
    if (code === 'MODULE_NOT_FOUND' && message.includes("'better-sqlite3'")) {
      throw new TactfulError(
        'MISSING_DEPENDENCY',
        `SQLite storage needs the better-sqlite3 package, which is not installed: run \`npm install better-sqlite3@"${SQLITE_DRIVER_RANGE}"\` (or choose storage "memory")`,
        { path: ['storage'], cause: error },
      );
    }
    throw new TactfulError(
      'MISSING_DEPENDENCY',
      `SQLite storage: better-sqlite3 is installed but failed to load (${message}); reinstall it for this Node.js version with \`npm rebuild better-sqlite3\``,
      { path: ['storage'], cause: error },
    );
  }
  driver = ((loaded as { default?: unknown }).default ?? loaded) as SqliteDriver;
  return driver;
}

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
 * file. Pass `':memory:'` for a throw-away database (tests; WAL does not apply there). Needs
 * better-sqlite3 installed next to this package (`npm install better-sqlite3`).
 *
 * @throws TactfulError `MISSING_DEPENDENCY` when better-sqlite3 is not installed.
 * @example
 * ```ts
 * import { openDatabase, migrate } from '@tactful/store-sqlite';
 * const db = openDatabase('./tactful.db');
 * migrate(db, 'my-component', [{ version: 1, up: 'CREATE TABLE notes (id TEXT PRIMARY KEY)' }]);
 * ```
 */
export function openDatabase(filename: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  const Database = loadSqliteDriver();
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
