import { randomBytes } from 'node:crypto';
import { TactfulConfigSchema, createTactful } from '@tactful/config';
import { openPostgresStores } from '@tactful/store-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from '../src/index.js';

// Readiness on PostgreSQL: `/readyz` says whether the database accepts the stores' writes, for the
// configured driver and for stores given in code. Writes are made to fail the ways an operator
// meets: privileges revoked, and a database switched to read-only transactions.
const PG_URL = process.env.TACTFUL_TEST_PG_URL ?? 'postgres://tactful:tactful@127.0.0.1:5432/tactful_test';
const SECRET = 'readiness-postgres-test-secret-0123456789';
const admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
const schemas: string[] = [];
const databases: string[] = [];
afterAll(async () => {
  for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  for (const d of databases) await admin.query(`DROP DATABASE IF EXISTS "${d}" WITH (FORCE)`);
  await admin.end();
});

const config = (storage: Record<string, unknown>) =>
  TactfulConfigSchema.parse({
    controller: { name: 'Shop', contact: 'privacy@shop.example' },
    storage,
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
  });

type App = { request(path: string, init?: RequestInit): Response | Promise<Response> };

/** Polls `/readyz` until it answers `status` (the server reuses one probe for 1.5 s). */
async function readyzBecomes(app: App, status: number): Promise<{ status: number; body: unknown }> {
  const end = Date.now() + 15_000;
  for (;;) {
    const r = await app.request('/readyz');
    const body = await r.json();
    if (r.status === status) return { status: r.status, body };
    if (Date.now() > end) throw new Error(`/readyz stayed ${r.status}: ${JSON.stringify(body)}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

describe('/readyz on PostgreSQL', () => {
  it('turns 503 when the role loses INSERT on the stores (stores given in code, with their probe)', async () => {
    const schema = `t_ready_${randomBytes(4).toString('hex')}`;
    schemas.push(schema);
    const stores = await openPostgresStores({ url: PG_URL, schema, poolSize: 3 });
    const tactful = await createTactful(config({ driver: 'memory' }), {
      stores: {
        consent: stores.consent,
        subject: stores.subject,
        audit: stores.audit,
        checkWritable: () => stores.checkWritable(),
      },
    });
    const server = await createServer(tactful, { log: false, secret: SECRET });
    try {
      expect((await readyzBecomes(server.app, 200)).body).toEqual({ status: 'ready' });
      await admin.query(`REVOKE INSERT ON ALL TABLES IN SCHEMA "${schema}" FROM CURRENT_USER`);
      const down = await readyzBecomes(server.app, 503);
      expect(down.body).toMatchObject({ error: { code: 'STORE_FAILED' } });
      expect(JSON.stringify(down.body)).toMatch(/may not INSERT into/);
      // It says what is true: a write fails now.
      await expect(
        stores.consent.append({
          subject: 'u-1',
          purpose: 'personalization.profile',
          status: 'granted',
          method: 'banner',
          notice: { version: '1', hash: 'a'.repeat(64) },
          source: 'web:/privacy',
          locale: 'en',
          jurisdiction: 'VN',
        }),
      ).rejects.toMatchObject({ code: 'STORE_FAILED' });
      await admin.query(`GRANT INSERT ON ALL TABLES IN SCHEMA "${schema}" TO CURRENT_USER`);
      await readyzBecomes(server.app, 200);
    } finally {
      await server.close();
      await tactful.close();
      await stores.close();
    }
  });

  it('turns 503 when the database is switched to read-only transactions (storage.driver postgres)', async () => {
    const database = `tactful_ro_${randomBytes(4).toString('hex')}`;
    databases.push(database);
    await admin.query(`CREATE DATABASE "${database}"`);
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    process.env.TACTFUL_TEST_READONLY_URL = url.toString();
    const tactful = await createTactful(
      config({ driver: 'postgres', url: '${env:TACTFUL_TEST_READONLY_URL}', schema: 'tactful' }),
      { secret: SECRET },
    );
    const server = await createServer(tactful, { log: false, secret: SECRET });
    try {
      await readyzBecomes(server.app, 200);
      await admin.query(`ALTER DATABASE "${database}" SET default_transaction_read_only = on`);
      // The setting reaches new sessions: end the server's, as a failover or restart would.
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database],
      );
      const down = await readyzBecomes(server.app, 503);
      expect(down.body).toMatchObject({ error: { code: 'STORE_FAILED' } });
      // Once the pool has reconnected, the reason is the read-only setting itself.
      await expect
        .poll(async () => JSON.stringify((await (await server.app.request('/readyz')).json()) as unknown), {
          timeout: 15_000,
          interval: 300,
        })
        .toMatch(/read-only/);
      await admin.query(`ALTER DATABASE "${database}" RESET default_transaction_read_only`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database],
      );
      await readyzBecomes(server.app, 200);
    } finally {
      await server.close();
      await tactful.close();
      delete process.env.TACTFUL_TEST_READONLY_URL;
    }
  });
});
