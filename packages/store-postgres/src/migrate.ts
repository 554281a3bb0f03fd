import { TactfulError, isTactfulError } from '@tactful/core';
import {
  type StoreMigration,
  checkMigrations,
  migrationFailed,
  pendingMigrations,
} from '@tactful/core/store';
import { type PostgresClient, type PostgresPool, lockKey, transaction } from './database.js';

/** One versioned schema change of a component: SQL in which `{schema}` stands for the quoted schema name. */
export interface PostgresMigration
  extends StoreMigration<string | ((client: PostgresClient, schema: string) => Promise<void>)> {
  /** A positive integer; a component's migrations run in ascending order, each once. */
  readonly version: number;
  /** SQL to run (several statements allowed), or a function given the transaction's connection. */
  readonly up: string | ((client: PostgresClient, schema: string) => Promise<void>);
}

/** What {@link migratePostgres} did. */
export interface PostgresMigrationResult {
  component: string;
  /** Versions applied by this call (empty when the schema was already current). */
  applied: number[];
  /** The component's schema version after the call. */
  version: number;
}

/**
 * Brings one component's tables in `schema` up to date. Versions applied are recorded in
 * `"schema".tactful_migrations`. Everything runs in ONE transaction under an advisory lock on the
 * schema, so two servers starting at once apply each migration exactly once (the second waits, then
 * finds nothing to do) and a failed migration leaves nothing applied (`STORE_FAILED` naming it).
 *
 * @throws TactfulError `INVALID_CONFIG` for a bad component or migration list; `STORE_FAILED` when a
 *   migration fails or the database holds a newer version than the code knows (a downgrade).
 */
export async function migratePostgres(
  pool: PostgresPool,
  schema: string,
  component: string,
  migrations: ReadonlyArray<PostgresMigration>,
): Promise<PostgresMigrationResult> {
  const { sorted } = checkMigrations(component, migrations);
  const q = `"${schema}"`;
  let running = 0;
  try {
    return await transaction(pool, async (client) => {
      await lockKey(client, `tactful-migrate:${schema}`);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${q}.tactful_migrations (
        component TEXT NOT NULL,
        version INTEGER NOT NULL,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (component, version)
      )`);
      const { rows } = await client.query<{ v: number | null }>(
        `SELECT MAX(version) AS v FROM ${q}.tactful_migrations WHERE component = $1`,
        [component],
      );
      const from = rows[0]?.v ?? 0;
      const applied: number[] = [];
      for (const m of pendingMigrations(component, sorted, from)) {
        running = m.version;
        if (typeof m.up === 'string') await client.query(m.up.replaceAll('{schema}', q));
        else await m.up(client, q);
        await client.query(`INSERT INTO ${q}.tactful_migrations (component, version) VALUES ($1, $2)`, [
          component,
          m.version,
        ]);
        applied.push(m.version);
      }
      return { component, applied, version: Math.max(from, applied.at(-1) ?? 0) };
    });
  } catch (error) {
    if (isTactfulError(error)) throw error;
    throw migrationFailed(component, running, error);
  }
}

/** The schema version of `component` in `schema` (0 when never migrated). */
export async function postgresSchemaVersion(
  pool: PostgresPool,
  schema: string,
  component: string,
): Promise<number> {
  const exists = await pool.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [
    `"${schema}".tactful_migrations`,
  ]);
  if (!exists.rows[0]?.t) return 0;
  const { rows } = await pool.query<{ v: number | null }>(
    `SELECT MAX(version) AS v FROM "${schema}".tactful_migrations WHERE component = $1`,
    [component],
  );
  return rows[0]?.v ?? 0;
}

/**
 * What a store does when it is made: applies pending migrations (`migrate` true, the default), or
 * checks the schema is current and throws `STORE_FAILED` saying to run `tactful migrate`.
 */
export async function ensureSchema(
  pool: PostgresPool,
  schema: string,
  component: string,
  migrations: ReadonlyArray<PostgresMigration>,
  apply = true,
): Promise<void> {
  if (apply) {
    await migratePostgres(pool, schema, component, migrations);
    return;
  }
  const known = Math.max(0, ...migrations.map((m) => m.version));
  let at: number;
  try {
    at = await postgresSchemaVersion(pool, schema, component);
  } catch (error) {
    throw new TactfulError(
      'STORE_FAILED',
      `${component}: cannot read the schema version: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (at !== known) {
    throw new TactfulError(
      'STORE_FAILED',
      `${component}: the database schema "${schema}" is at version ${at}, this code needs ${known}; run \`tactful migrate\` (or set storage.migrate to "on-start")`,
      { path: ['migrations'] },
    );
  }
}
