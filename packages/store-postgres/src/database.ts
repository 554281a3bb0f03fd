import { TactfulError } from '@tactful/core';
import { storeFailed as coreStoreFailed, guardStoreAsync } from '@tactful/core/store';
import pg from 'pg';

/** A node-postgres pool (`new pg.Pool(...)`). */
export type PostgresPool = pg.Pool;
/** One connection taken from a pool. */
export type PostgresClient = pg.PoolClient;

/** How a store reaches PostgreSQL: a pool you made (shared by several stores), or a URL the store opens itself. */
export interface PostgresConnectionOptions {
  /** A pool shared with other stores; the store never closes it. Give this or `url`. */
  pool?: PostgresPool;
  /** A connection URL (`postgres://user@host:5432/db`); the store opens a pool and closes it on `close()`. */
  url?: string;
  /**
   * The schema the tables live in (created when missing). Default `tactful`. Lowercase letters,
   * digits and `_`, at most 63: one database can hold several independent installations (or tests).
   */
  schema?: string;
  /**
   * Apply pending migrations when the store is made (default true). With false the store only
   * checks that the schema is current and refuses to start otherwise (run `tactful migrate`).
   */
  migrate?: boolean;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** A resolved connection: the pool, whether the store owns it, the schema and a quoter of table names. */
export interface Connection {
  readonly pool: PostgresPool;
  readonly owned: boolean;
  readonly schema: string;
  /** `"schema"."table"`. */
  table(name: string): string;
  /** Closes the pool when the store opened it. */
  close(): Promise<void>;
}

/**
 * Resolves `{ pool }` or `{ url }` and the schema. Throws `INVALID_OPTIONS` naming the field unless
 * exactly one of `pool` and `url` is given and the schema is a plain identifier.
 */
export function connection(store: string, options: PostgresConnectionOptions): Connection {
  if (
    options === null ||
    typeof options !== 'object' ||
    (options.pool === undefined) === (options.url === undefined)
  ) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${store}: give exactly one of "pool" (a pg.Pool) or "url" (postgres://user@host:5432/db)`,
      { path: ['pool'] },
    );
  }
  if (options.pool !== undefined && typeof (options.pool as { query?: unknown }).query !== 'function') {
    throw new TactfulError('INVALID_OPTIONS', `${store}: "pool" must be a pg.Pool`, { path: ['pool'] });
  }
  const schema = options.schema ?? 'tactful';
  if (typeof schema !== 'string' || !SCHEMA.test(schema)) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${store}: schema "${String(schema)}" must be lowercase letters, digits and "_" (at most 63), e.g. "tactful"`,
      { path: ['schema'] },
    );
  }
  const owned = options.pool === undefined;
  const pool = options.pool ?? createPool(options.url as string);
  let closed: Promise<void> | undefined;
  return {
    pool,
    owned,
    schema,
    table: (name) => `"${schema}"."${name}"`,
    close() {
      if (!owned) return Promise.resolve();
      closed ??= pool.end();
      return closed;
    },
  };
}

/**
 * Opens a pool on a URL. Errors of idle connections (PostgreSQL restarted) are absorbed: the pool
 * drops the broken connection and the next query opens a new one, so the stores recover without a
 * restart of the server.
 */
export function createPool(url: string, options: { max?: number } = {}): PostgresPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    // A query that cannot finish (a dead server, a lock held forever) fails instead of stalling.
    query_timeout: 15_000,
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool has already removed it.
  });
  return pool;
}

/** Turns a driver failure into `STORE_FAILED` naming the store and the operation; a TactfulError passes through. */
export const storeFailed: (store: string, what: string, error: unknown) => TactfulError = coreStoreFailed;

/** Runs `fn` and maps a driver failure to `STORE_FAILED`. */
export const guarded: <T>(store: string, what: string, fn: () => Promise<T>) => Promise<T> = guardStoreAsync;

/**
 * Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it
 * throws. A connection that failed mid-way is discarded, not returned to the pool.
 */
export async function transaction<T>(
  pool: PostgresPool,
  fn: (client: PostgresClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollback) {
      broken = rollback instanceof Error ? rollback : new Error(String(rollback));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Takes a transaction-scoped advisory lock on `key` (released at commit or rollback): writers of
 * the same key, from any connection or server, run one after the other.
 */
export async function lockKey(client: PostgresClient, key: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}

/** Like {@link lockKey} without waiting: false when another transaction holds the lock. */
export async function tryLockKey(client: PostgresClient, key: string): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(
    'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok',
    [key],
  );
  return rows[0]?.ok === true;
}
