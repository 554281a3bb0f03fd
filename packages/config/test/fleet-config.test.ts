import { randomBytes } from 'node:crypto';
import { memoryAuditStore } from '@tactful/audit';
import { memoryConsentStore } from '@tactful/consent';
import { memorySubjectStore } from '@tactful/subject';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TactfulConfigSchema, createTactful, resolveEnvReferences, validateConfig } from '../src/index.js';

const PG_URL = process.env.TACTFUL_TEST_PG_URL ?? 'postgres://tactful:tactful@127.0.0.1:5432/tactful_test';
const REDIS_URL = process.env.TACTFUL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'fleet-config-test-secret-0123456789abcdef';
const schemas: string[] = [];
const admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
afterAll(async () => {
  for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await admin.end();
});

function fleetConfig(schema: string, extra: Record<string, unknown> = {}) {
  schemas.push(schema);
  return TactfulConfigSchema.parse({
    controller: { name: 'Shop', contact: 'privacy@shop.example' },
    storage: { driver: 'postgres', url: '${env:TACTFUL_TEST_DATABASE_URL}', schema },
    cache: { driver: 'redis', url: '${env:TACTFUL_TEST_CACHE_URL}', keyPrefix: `test:${schema}:` },
    strategies: {
      contextual: {
        rules: [
          {
            id: 'evening',
            slot: 'home.hero',
            when: { daypart: 'evening' },
            content: { hero: 'evening' },
            reason: { en: 'Evening.', vi: 'Buổi tối.' },
          },
        ],
      },
    },
    ...extra,
  });
}
const withEnv = async <T>(env: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> => {
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(before))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
};
const fleetEnv = { TACTFUL_TEST_DATABASE_URL: PG_URL, TACTFUL_TEST_CACHE_URL: REDIS_URL };
const schemaName = () => `t_cfg_${randomBytes(4).toString('hex')}`;

describe('storage and cache configuration', () => {
  it('refuses a literal password in a connection URL, with a hint, and accepts env references', async () => {
    const base = { controller: { name: 'Shop', contact: 'privacy@shop.example' } };
    const literal = await validateConfig(
      { ...base, storage: { driver: 'postgres', url: 'postgres://tactful:hunter2@db:5432/tactful' } },
      { deep: false },
    );
    expect(literal.ok).toBe(false);
    const problem = literal.problems.find((p) => p.path.join('.') === 'storage.url');
    expect(problem?.message).toMatch(/literal password.*\$\{env:DATABASE_URL\}/);
    const redis = await validateConfig(
      { ...base, cache: { driver: 'redis', url: 'redis://:s3cret@cache:6379' } },
      { deep: false },
    );
    expect(redis.problems.map((p) => p.path.join('.'))).toContain('cache.url');
    const query = await validateConfig(
      { ...base, storage: { driver: 'postgres', url: 'postgres://db/tactful?password=x' } },
      { deep: false },
    );
    expect(query.ok).toBe(false);
    for (const url of [
      '${env:DATABASE_URL}',
      'postgres://tactful:${env:PGPASSWORD}@db:5432/tactful',
      'postgres://tactful@db/t',
    ]) {
      const ok = await validateConfig({ ...base, storage: { driver: 'postgres', url } }, { deep: false });
      expect(ok.problems).toEqual([]);
    }
  });

  it('names the field and the variable when an env reference is not set', () => {
    expect(() => resolveEnvReferences('${env:NOPE_NOT_SET}', ['storage', 'url'], {})).toThrow(
      /storage\.url: the environment variable NOPE_NOT_SET is not set/,
    );
    expect(resolveEnvReferences('postgres://u:${env:P}@h/d', ['storage', 'url'], { P: 'x' })).toBe(
      'postgres://u:x@h/d',
    );
  });

  it('refuses to start on shared stores without TACTFUL_SECRET (a per-process secret would split the fleet)', async () => {
    const config = fleetConfig(schemaName());
    await withEnv({ ...fleetEnv, TACTFUL_SECRET: undefined }, async () => {
      await expect(createTactful(config)).rejects.toMatchObject({
        code: 'INVALID_CONFIG',
        message: expect.stringMatching(/TACTFUL_SECRET/),
      });
    });
  });

  it('runs on PostgreSQL and Redis from the configuration, and refuses a second server with another secret', async () => {
    const config = fleetConfig(schemaName());
    await withEnv({ ...fleetEnv, TACTFUL_SECRET: undefined }, async () => {
      const a = await createTactful(config, { secret: SECRET });
      expect(a.storage).toBe('postgres');
      expect(a.shared).toBe(true);
      expect((await a.consentStore.latest('u-1')).size).toBe(0);
      const sessions = a.ephemeral?.sessionStore({ ttlMs: 60_000 });
      const opened = await sessions?.open();
      expect(opened?.created).toBe(true);
      const b = await createTactful(config, { secret: SECRET });
      expect(await b.ephemeral?.sessionStore({ ttlMs: 60_000 }).open(opened?.id)).toEqual({
        id: opened?.id,
        created: false,
      });
      await expect(createTactful(config, { secret: `${SECRET}-other` })).rejects.toMatchObject({
        code: 'INVALID_CONFIG',
        message: expect.stringMatching(/differs from the secret the other servers/),
      });
      await a.close();
      await b.close();
    });
  });

  it('with migrate "manual", refuses to start on a database that was not migrated', async () => {
    const config = fleetConfig(schemaName(), {});
    const manual = { ...config, storage: { ...config.storage, migrate: 'manual' as const } };
    await withEnv(fleetEnv, async () => {
      await expect(createTactful(manual, { secret: SECRET })).rejects.toMatchObject({
        code: 'STORE_FAILED',
        message: expect.stringMatching(/tactful migrate/),
      });
    });
  });

  it('uses stores given in code instead of opening the configured ones', async () => {
    const consent = memoryConsentStore();
    const subject = memorySubjectStore();
    const { cache: _cache, ...config } = fleetConfig(schemaName());
    const t = await createTactful(
      { ...config, cache: { driver: 'memory' } },
      {
        secret: SECRET,
        stores: { consent, subject, audit: memoryAuditStore() },
      },
    );
    expect(t.storage).toBe('given');
    expect(t.consentStore).toBe(consent);
    expect(t.subjects).toBe(subject);
    await t.close();
  });
});
