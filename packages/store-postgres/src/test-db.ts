import { randomBytes } from 'node:crypto';
import { createPool, type PostgresPool } from './database.js';

/** The PostgreSQL the tests use: `TACTFUL_TEST_PG_URL`, default the role and database `.ci/services.sh` creates. */
export const TEST_PG_URL =
  process.env.TACTFUL_TEST_PG_URL ?? 'postgres://tactful:tactful@127.0.0.1:5432/tactful_test';

/**
 * A pool on the test database, checked once. Without a reachable server the tests fail with a
 * message saying how to start one (never skip silently: in CI a missing service is a failure).
 */
export async function testPool(max = 10): Promise<PostgresPool> {
  const pool = createPool(TEST_PG_URL, { max });
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_PG_URL.replace(/:[^:@/]*@/, ':***@')} (${(error as Error).message}). ` +
        'Start it with `bash .ci/services.sh` or set TACTFUL_TEST_PG_URL.',
      { cause: error },
    );
  }
  return pool;
}

/** A fresh schema name, unique per call: each test file and case gets its own tables, so files run in parallel. */
export function freshSchema(prefix: string): string {
  return `t_${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Drops the schemas a test made. */
export async function dropSchemas(pool: PostgresPool, schemas: string[]): Promise<void> {
  for (const s of schemas.splice(0)) await pool.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
}
