import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
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

/**
 * The test database of one test file: a pool opened before its tests, fresh schemas named
 * `prefix`, and after the tests the schemas dropped and the pool closed.
 */
export function useTestDatabase(prefix: string): { readonly pool: PostgresPool; schema(): string } {
  let pool: PostgresPool | undefined;
  const schemas: string[] = [];
  beforeAll(async () => {
    pool = await testPool();
  });
  afterAll(async () => {
    if (!pool) return;
    await dropSchemas(pool, schemas);
    await pool.end();
  });
  return {
    get pool() {
      if (!pool) throw new Error('the test database opens in beforeAll: use it inside a test');
      return pool;
    },
    schema() {
      const s = freshSchema(prefix);
      schemas.push(s);
      return s;
    },
  };
}
