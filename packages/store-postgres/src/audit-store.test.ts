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

  it('three servers purging at once delete each old entry once and leave a trail that verifies', async () => {
    const name = schema();
    const stores = await Promise.all(
      [0, 1, 2].map(() => postgresAuditStore({ url: TEST_PG_URL, schema: name })),
    );
    let clock = Date.UTC(2026, 0, 1);
    const now = () => clock;
    const writer = createAuditTrail({ store: stores[0]!, key: KEY, now });
    for (let i = 0; i < 20; i++) {
      clock += 86_400_000;
      await writer.record(decision(i), { subject: 'p' });
    }
    await writer.flush();
    clock += 5 * 86_400_000;
    const trails = stores.map((store) => createAuditTrail({ store, key: KEY, now, retentionDays: 10 }));
    const purged = await Promise.all(trails.map((t) => t.purge()));
    // One entry a day on days 1–20, purged on day 25 with 10 days kept: days 1–14 go, once.
    expect(purged.reduce((n, p) => n + p.purged, 0)).toBe(14);
    expect(await createAuditTrail({ store: stores[1]!, key: KEY, now }).verify()).toMatchObject({
      ok: true,
      checked: 6,
    });
    for (const s of stores) await s.close();
  });
});
