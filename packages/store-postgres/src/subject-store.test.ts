import { describeMembershipStoreConformance, describeSubjectStoreConformance } from '@tactful/testing';
import { postgresMembershipStore } from './membership-store.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type PostgresSubjectStore, postgresSubjectStore } from './subject-store.js';
import { TEST_PG_URL, useTestDatabase } from './test-db.js';

const testDb = useTestDatabase('subject');

describeSubjectStoreConformance('postgresSubjectStore', {
  create: ({ now }) => postgresSubjectStore({ pool: testDb.pool, schema: testDb.schema(), now }),
  reopen: async (store, { now }) =>
    postgresSubjectStore({ pool: testDb.pool, schema: (store as PostgresSubjectStore).schema, now }),
});

describe('postgresSubjectStore', () => {
  it('loses no update and keeps per-person event order with concurrent writers on several pools', async () => {
    const name = testDb.schema();
    const servers = await Promise.all(
      Array.from({ length: 3 }, () => postgresSubjectStore({ url: TEST_PG_URL, schema: name })),
    );
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), {
            minLength: 1,
            maxLength: 8,
          }),
          fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 8, maxLength: 8 }),
          async (keys, on) => {
            const person = `p-${Math.random().toString(36).slice(2, 10)}`;
            // Every server merges its own attribute at the same time: a lost update would drop one.
            await Promise.all(keys.map((k, i) => servers[on[i] ?? 0]!.setAttributes(person, { [k]: i })));
            const attrs = await servers[0]!.getAttributes(person);
            expect(Object.keys(attrs ?? {}).sort()).toEqual([...keys].sort());
            // Events from one writer, in order, interleaved with others: each writer's order is kept.
            const base = Date.UTC(2026, 0, 1);
            await Promise.all(
              [0, 1, 2].map(async (w) => {
                for (let i = 0; i < 3; i++)
                  await servers[w]!.recordEvents(
                    person,
                    [
                      {
                        id: `w${w}-${i}`,
                        category: 'behavior.pageviews',
                        data: { at: new Date(base).toISOString(), url: `/w${w}/${i}` },
                      },
                    ],
                    { now: base },
                  );
              }),
            );
            const listed = await servers[1]!.listEvents(person, 'behavior.pageviews', { now: base });
            for (const w of [0, 1, 2]) {
              const mine = listed.filter((e) => e.id.startsWith(`w${w}-`)).map((e) => e.id);
              expect(mine).toEqual([`w${w}-0`, `w${w}-1`, `w${w}-2`]);
            }
          },
        ),
        { numRuns: 10 },
      );
    } finally {
      for (const s of servers) await s.close();
    }
  });

  it('an erasure on one server drops writes arriving on another afterwards (one tombstone key for the fleet)', async () => {
    const name = testDb.schema();
    const a = await postgresSubjectStore({ url: TEST_PG_URL, schema: name });
    const b = await postgresSubjectStore({ url: TEST_PG_URL, schema: name });
    await a.setSegments('u-9', ['loyal']);
    await a.erase('u-9');
    expect(await b.isErased('u-9')).toBe(true);
    expect(await b.setSegments('u-9', ['loyal'])).toBe(false);
    expect(await b.exportSubject('u-9')).toMatchObject({ segments: null });
    await a.close();
    await b.close();
  });

  it('counts segment members within retention (the population counter)', async () => {
    const now = Date.UTC(2026, 5, 1);
    const s = await postgresSubjectStore({ pool: testDb.pool, schema: testDb.schema(), now: () => now });
    await s.setSegments('u-1', ['loyal', 'new'], { now });
    await s.setSegments('u-2', ['loyal'], { now });
    await s.setSegments('u-3', ['loyal'], { now: now - 31 * 86_400_000 });
    expect(await s.countSegment('loyal')).toBe(2);
    expect(await s.countSegment('new')).toBe(1);
    expect(await s.countSegment('nobody')).toBe(0);
  });

  it('runs one retention purge at a time across servers', async () => {
    const name = testDb.schema();
    const servers = await Promise.all(
      [0, 1, 2].map(() => postgresSubjectStore({ url: TEST_PG_URL, schema: name })),
    );
    const old = Date.UTC(2020, 0, 1);
    for (let i = 0; i < 20; i++) await servers[0]!.setSegments(`u-${i}`, ['x'], { now: old });
    const results = await Promise.all(servers.map((s) => s.purgeExpired()));
    expect(results.reduce((n, r) => n + r.removed, 0)).toBe(20);
    for (const s of servers) await s.close();
  });

  it('purges in bounded batches from several servers at once, each expired row counted once', async () => {
    const name = testDb.schema();
    const servers = await Promise.all(
      [0, 1, 2].map(() => postgresSubjectStore({ url: TEST_PG_URL, schema: name })),
    );
    try {
      const old = Date.UTC(2020, 0, 1);
      for (let i = 0; i < 25; i++) await servers[0]!.setSegments(`u-${i}`, ['x'], { now: old });
      await servers[1]!.setSegments('fresh', ['x']);
      let total = 0;
      for (let round = 0; round < 30 && total < 25; round++) {
        const results = await Promise.all(servers.map((s) => s.purgeExpired({ limit: 4 })));
        for (const r of results) expect(r.removed).toBeLessThanOrEqual(4);
        total += results.reduce((n, r) => n + r.removed, 0);
      }
      expect(total).toBe(25);
      expect(await servers[2]!.countSegment('x')).toBe(1);
      expect((await servers[0]!.purgeExpired({ limit: 4 })).removed).toBe(0);
    } finally {
      for (const s of servers) await s.close();
    }
  });
});

describeMembershipStoreConformance('postgresMembershipStore', {
  create: async ({ now }) =>
    postgresMembershipStore(await postgresSubjectStore({ pool: testDb.pool, schema: testDb.schema(), now })),
  counts: true,
});
