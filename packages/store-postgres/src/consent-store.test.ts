import { consentGrant, describeConsentStoreConformance } from '@tactful/testing';
import { verifyConsentChain } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { postgresConsentStore } from './consent-store.js';
import { TEST_PG_URL, useTestDatabase } from './test-db.js';

const testDb = useTestDatabase('consent');

describeConsentStoreConformance({
  name: 'postgresConsentStore',
  create: ({ clock }) => postgresConsentStore({ pool: testDb.pool, schema: testDb.schema(), clock }),
});

describe('postgresConsentStore', () => {
  it('refuses an UPDATE of a stored record (append-only)', async () => {
    const s = await postgresConsentStore({ pool: testDb.pool, schema: testDb.schema() });
    await s.append(consentGrant());
    await expect(
      testDb.pool.query(`UPDATE "${s.schema}".consent_records SET status = 'denied'`),
    ).rejects.toThrow(/append-only/);
  });

  it('keeps one unbroken chain per subject with concurrent writers on several pools (several servers)', async () => {
    const name = testDb.schema();
    // Four "servers", each with its own pool of connections.
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => postgresConsentStore({ url: TEST_PG_URL, schema: name })),
    );
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              server: fc.integer({ min: 0, max: 3 }),
              subject: fc.constantFrom('s-a', 's-b', 's-c'),
              purpose: fc.constantFrom('personalization.profile', 'measurement', 'marketing.email'),
              status: fc.constantFrom('granted', 'withdrawn'),
              batch: fc.boolean(),
            }),
            { minLength: 1, maxLength: 40 },
          ),
          async (acts) => {
            const before = new Map<string, number>();
            for (const subject of ['s-a', 's-b', 's-c'])
              before.set(subject, (await stores[0]!.history(subject)).length);
            await Promise.all(
              acts.map((act) => {
                const input = consentGrant({
                  subject: act.subject,
                  purpose: act.purpose,
                  ...(act.status === 'withdrawn'
                    ? { status: 'withdrawn' as const, method: 'api' as const, notice: undefined }
                    : {}),
                });
                const store = stores[act.server]!;
                return act.batch ? store.appendAll([input, input]) : store.append(input);
              }),
            );
            for (const subject of ['s-a', 's-b', 's-c']) {
              const history = await stores[1]!.history(subject);
              const written = acts
                .filter((a) => a.subject === subject)
                .reduce((n, a) => n + (a.batch ? 2 : 1), 0);
              expect(history.length - (before.get(subject) ?? 0)).toBe(written);
              expect(history.map((r) => r.seq)).toEqual(history.map((_, i) => i + 1));
              expect(await verifyConsentChain(history)).toMatchObject({ ok: true });
            }
          },
        ),
        { numRuns: 15 },
      );
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('migrates once when several servers start at the same time', async () => {
    const name = testDb.schema();
    const stores = await Promise.all(
      Array.from({ length: 5 }, () => postgresConsentStore({ url: TEST_PG_URL, schema: name })),
    );
    const { rows } = await testDb.pool.query(`SELECT component, version FROM "${name}".tactful_migrations`);
    expect(rows).toEqual([{ component: 'consent', version: 1 }]);
    for (const s of stores) await s.close();
  });

  it('fails with STORE_FAILED (never a guess) when the database cannot be reached', async () => {
    const s = await postgresConsentStore({ pool: testDb.pool, schema: testDb.schema() });
    const dead = await postgresConsentStore({
      url: 'postgres://tactful:tactful@127.0.0.1:1/none',
      schema: 'x',
    }).catch((e: unknown) => e);
    expect(dead).toMatchObject({ code: 'STORE_FAILED' });
    expect(s.schema).toMatch(/^t_consent_/);
  });

  it('refuses a bad schema name and a missing connection with INVALID_OPTIONS', async () => {
    await expect(postgresConsentStore({ pool: testDb.pool, schema: 'Robert"; DROP' })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      path: ['schema'],
    });
    await expect(postgresConsentStore({} as never)).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});
