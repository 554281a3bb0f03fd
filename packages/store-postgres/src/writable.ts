import type { PostgresPool } from './database.js';

/** Whether a database accepts writes now (a server's readiness). */
export interface PostgresWritability {
  readonly writable: boolean;
  /** Why not, when not writable. */
  readonly reason?: string;
}

/** Options of {@link checkPostgresWritable}. */
export interface CheckWritableOptions {
  /** Longest the probe may take, connection included, in milliseconds (then: not writable). Default 1,000. */
  readonly timeoutMs?: number;
}

const PROBE = `SELECT pg_is_in_recovery() AS recovery,
  current_setting('transaction_read_only') AS read_only,
  (SELECT coalesce(array_agg(c.relname::text ORDER BY c.relname), '{}')
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
      AND NOT has_table_privilege(c.oid, 'INSERT')) AS denied,
  pg_current_xact_id() AS xid`;

/**
 * Whether the stores' writes would be accepted now, in one short transaction on a pooled
 * connection: the server is not a standby in recovery, the session's transactions are not
 * read-only (`default_transaction_read_only`, `ALTER DATABASE/ROLE ... SET`), this role may
 * `INSERT` into every table of `schema`, and a transaction with an id commits (so its commit record
 * is written and flushed — a full WAL disk or a broken connection fails here). Nothing is written
 * to the stores' tables. Bounded by `timeoutMs` (a pool with no free connection, a server that
 * does not answer: not writable). Cheap enough for a readiness probe; callers cache the answer for
 * a second or two (the server's `/readyz` does).
 */
export async function checkPostgresWritable(
  pool: PostgresPool,
  schema: string,
  options: CheckWritableOptions = {},
): Promise<PostgresWritability> {
  const timeoutMs = options.timeoutMs ?? 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<PostgresWritability>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          writable: false,
          reason: `the database did not answer the write probe within ${timeoutMs} ms`,
        }),
      timeoutMs,
    );
  });
  const probe = (async (): Promise<PostgresWritability> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      const { rows } = await client.query<{ recovery: boolean; read_only: string; denied: string[] }>(PROBE, [
        schema,
      ]);
      const row = rows[0]!;
      let answer: PostgresWritability = { writable: true };
      if (row.recovery)
        answer = { writable: false, reason: 'the database is a standby in recovery (read-only)' };
      else if (row.read_only === 'on')
        answer = {
          writable: false,
          reason: 'transactions are read-only on this database or role (default_transaction_read_only is on)',
        };
      else if (row.denied.length > 0)
        answer = {
          writable: false,
          reason: `this role may not INSERT into ${row.denied.map((t) => `${schema}.${t}`).join(', ')}`,
        };
      await client.query(answer.writable ? 'COMMIT' : 'ROLLBACK');
      return answer;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: unknown) => {
        broken = rollback instanceof Error ? rollback : new Error(String(rollback));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  })().catch(
    (error: unknown): PostgresWritability => ({
      writable: false,
      reason: `the write probe failed: ${error instanceof Error ? error.message : String(error)}`,
    }),
  );
  try {
    return await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
}
