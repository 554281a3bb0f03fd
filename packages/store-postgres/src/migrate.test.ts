import { describe, expect, it } from 'vitest';
import { migratePostgres, postgresSchemaVersion } from './migrate.js';
import { useTestDatabase } from './test-db.js';

const testDb = useTestDatabase('migrate');

describe('migratePostgres', () => {
  it('refuses a migration with neither SQL nor a function with INVALID_CONFIG naming it, and touches nothing', async () => {
    const schema = testDb.schema();
    await expect(
      migratePostgres(testDb.pool, schema, 'demo', [{ version: 1, up: undefined as never }]),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: ['migrations', 0, 'up'] });
    const { rows } = await testDb.pool.query<{ s: string | null }>('SELECT to_regnamespace($1)::text AS s', [
      `"${schema}"`,
    ]);
    expect(rows[0]?.s).toBeNull();
  });

  it('refuses a version listed twice, and a database newer than the code, as the SQLite runner does', async () => {
    const schema = testDb.schema();
    await expect(
      migratePostgres(testDb.pool, schema, 'demo', [
        { version: 1, up: 'SELECT 1' },
        { version: 1, up: 'SELECT 2' },
      ]),
    ).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/listed twice/) });
    await migratePostgres(testDb.pool, schema, 'demo', [
      { version: 1, up: 'CREATE TABLE {schema}.a (x INT)' },
      { version: 2, up: 'CREATE TABLE {schema}.b (x INT)' },
    ]);
    await expect(
      migratePostgres(testDb.pool, schema, 'demo', [{ version: 1, up: 'CREATE TABLE {schema}.a (x INT)' }]),
    ).rejects.toMatchObject({ code: 'STORE_FAILED', message: expect.stringMatching(/version 2 .* upgrade/) });
    expect(await postgresSchemaVersion(testDb.pool, schema, 'demo')).toBe(2);
  });

  it('names the migration that failed, and applies none of the batch', async () => {
    const schema = testDb.schema();
    await expect(
      migratePostgres(testDb.pool, schema, 'demo', [
        { version: 1, up: 'CREATE TABLE {schema}.a (x INT)' },
        { version: 2, up: 'CREATE TABLE {schema}.nope (x NOT_A_TYPE)' },
      ]),
    ).rejects.toMatchObject({
      code: 'STORE_FAILED',
      message: expect.stringMatching(/^migrate\(demo\): migration 2 failed and nothing was applied/),
    });
    expect(await postgresSchemaVersion(testDb.pool, schema, 'demo')).toBe(0);
  });
});
