import { isTactfulError } from '@tactful/core';
import {
  type StoreMigration,
  checkMigrations,
  migrationFailed,
  pendingMigrations,
} from '@tactful/core/store';
import type { SqliteDatabase } from './database.js';

/** One versioned schema change of a component. */
export interface Migration extends StoreMigration<string | ((db: SqliteDatabase) => void)> {
  /** A positive integer; a component's migrations run in ascending version order, each once. */
  readonly version: number;
  /** SQL to execute (may hold several statements), or a function given the database. */
  readonly up: string | ((db: SqliteDatabase) => void);
}

/** What {@link migrate} did. */
export interface MigrationResult {
  /** The component migrated. */
  component: string;
  /** Versions applied by this call, ascending (empty when the schema was already current). */
  applied: number[];
  /** The component's schema version after the call. */
  version: number;
}

/**
 * Brings one component's schema up to date. Each component (`consent`, `subject`, `audit` ...) has
 * its own numbered migrations; the versions applied are recorded in the table
 * `tactful_migrations(component, version, applied_at)`. All pending migrations run in ONE immediate
 * transaction: either every one is applied and recorded, or (on any error) none is, and the error is
 * rethrown as `STORE_FAILED` naming the version. Safe to call from several processes at once.
 *
 * @throws TactfulError `INVALID_CONFIG` for a bad component name or migration list (versions must be
 *   unique positive integers); `STORE_FAILED` when a migration fails or the database holds a newer
 *   version than the code knows (a downgrade).
 *
 * @example
 * ```ts
 * migrate(db, 'loyalty', [
 *   { version: 1, up: 'CREATE TABLE points (subject TEXT PRIMARY KEY, points INTEGER NOT NULL)' },
 *   { version: 2, up: (db) => db.exec('CREATE INDEX points_by_points ON points(points)') },
 * ]);
 * ```
 */
export function migrate(
  db: SqliteDatabase,
  component: string,
  migrations: ReadonlyArray<Migration>,
): MigrationResult {
  const { sorted } = checkMigrations(component, migrations);
  db.exec(`CREATE TABLE IF NOT EXISTS tactful_migrations (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    applied_at TEXT NOT NULL,
    PRIMARY KEY (component, version)
  ) STRICT`);
  const current = db.prepare<[string], { v: number | null }>(
    'SELECT MAX(version) AS v FROM tactful_migrations WHERE component = ?',
  );
  const record = db.prepare(
    'INSERT INTO tactful_migrations (component, version, applied_at) VALUES (?, ?, ?)',
  );
  let running = 0;
  const run = db.transaction((): MigrationResult => {
    const from = current.get(component)?.v ?? 0;
    const applied: number[] = [];
    for (const m of pendingMigrations(component, sorted, from)) {
      running = m.version;
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      record.run(component, m.version, new Date().toISOString());
      applied.push(m.version);
    }
    return { component, applied, version: Math.max(from, applied.at(-1) ?? 0) };
  });
  try {
    return run.immediate();
  } catch (error) {
    if (isTactfulError(error)) throw error;
    throw migrationFailed(component, running, error);
  }
}

/** The schema version of `component` recorded in the database (0 when it was never migrated). */
export function schemaVersion(db: SqliteDatabase, component: string): number {
  const exists = db
    .prepare<[], { n: number }>(
      "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'tactful_migrations'",
    )
    .get();
  if (!exists || exists.n === 0) return 0;
  return (
    db
      .prepare<[string], { v: number | null }>(
        'SELECT MAX(version) AS v FROM tactful_migrations WHERE component = ?',
      )
      .get(component)?.v ?? 0
  );
}
