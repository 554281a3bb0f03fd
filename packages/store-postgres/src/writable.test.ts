import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStores } from './stores.js';
import { dropSchemas, freshSchema, testPool } from './test-db.js';
import { checkPostgresWritable } from './writable.js';

const schemas: string[] = [];
const admin = await testPool(2);
afterAll(async () => {
  await dropSchemas(admin, schemas);
  await admin.end();
});

describe('checkPostgresWritable', () => {
  it('is writable on a fresh schema, and says which tables once INSERT is revoked', async () => {
    const schema = freshSchema('writable');
    schemas.push(schema);
    const stores = await openPostgresStores({ pool: admin, schema });
    expect(await stores.checkWritable()).toEqual({ writable: true });
    await admin.query(`REVOKE INSERT ON "${schema}".consent_records FROM CURRENT_USER`);
    const denied = await stores.checkWritable();
    expect(denied.writable).toBe(false);
    expect(denied.reason).toContain(`${schema}.consent_records`);
    await admin.query(`GRANT INSERT ON "${schema}".consent_records TO CURRENT_USER`);
    expect((await stores.checkWritable()).writable).toBe(true);
  });

  it('answers "not writable" within its bound when no connection is free (a stuck pool never stalls readiness)', async () => {
    const pool = await testPool(1);
    const held = await pool.connect();
    try {
      const answer = await checkPostgresWritable(pool, 'tactful', { timeoutMs: 200 });
      expect(answer).toEqual({
        writable: false,
        reason: 'the database did not answer the write probe within 200 ms',
      });
    } finally {
      held.release();
      await pool.end();
    }
  });

  it('is not writable inside a read-only session', async () => {
    const pool = await testPool(1);
    try {
      // The one connection of the pool, made read-only as default_transaction_read_only would.
      await pool.query('SET default_transaction_read_only = on');
      const answer = await checkPostgresWritable(pool, 'tactful');
      expect(answer.writable).toBe(false);
      expect(answer.reason).toMatch(/read-only/);
    } finally {
      await pool.end();
    }
  });
});
