import { AUDIT_STORE_CONFORMANCE, createAuditTrail } from '@tactful/audit';
import type { Decision } from '@tactful/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAuditStore } from './audit-store.js';
import type { PostgresPool } from './database.js';
import { TEST_PG_URL, dropSchemas, freshSchema, testPool } from './test-db.js';

let pool: PostgresPool;
const schemas: string[] = [];
beforeAll(async () => {
  pool = await testPool();
});
afterAll(async () => {
  await dropSchemas(pool, schemas);
  await pool.end();
});
const schema = () => {
  const s = freshSchema('audit');
  schemas.push(s);
  return s;
};
const KEY = 'postgres-audit-test-key-0123456789abcdef';

function decision(i: number): Decision {
  return {
    traceId: `pg-trace-${i}`,
    decidedAt: new Date(Date.UTC(2026, 5, 1, 0, 0, i % 60)).toISOString(),
    slots: [],
    purposesUsed: [],
    categoriesUsed: [],
    dropped: [],
    consent: { purposes: {} },
  };
}

describe('postgresAuditStore conformance', () => {
  for (const c of AUDIT_STORE_CONFORMANCE)
    it(c.name, () => c.run(() => postgresAuditStore({ pool, schema: schema() })));
});

describe('postgresAuditStore', () => {
  it('keeps one verifiable chain when three servers record at the same time', async () => {
    const name = schema();
    const stores = await Promise.all(
      [0, 1, 2].map(() => postgresAuditStore({ url: TEST_PG_URL, schema: name })),
    );
    const trails = stores.map((store) => createAuditTrail({ store, key: KEY }));
    await Promise.all(
      trails.map(async (trail, t) => {
        for (let i = 0; i < 15; i++) await trail.record(decision(t * 100 + i), { subject: `p-${t}` });
      }),
    );
    for (const trail of trails) await trail.flush();
    const check = createAuditTrail({ store: stores[0]!, key: KEY });
    expect(await check.verify()).toMatchObject({ ok: true, checked: 45 });
    for (const t of [0, 1, 2]) expect((await check.exportSubject(`p-${t}`)).entries).toHaveLength(15);
    for (const s of stores) await s.close();
  });
});
