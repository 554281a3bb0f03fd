import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, sqliteConsentStore, sqliteSubjectStore } from '@tactful/store-sqlite';
import { consentGrant } from '@tactful/testing';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PG_URL, writeFleetConfig } from './fleet-helpers.js';
import { tactful, tempDir } from './run-cli.js';

const admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
const schemas: string[] = [];
let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ dir, remove } = await tempDir('tactful-migrate-'));
});
afterEach(() => remove());
afterAll(async () => {
  for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  await admin.end();
});

describe('tactful migrate', () => {
  it('applies the migrations once (idempotent) and says so as JSON', async () => {
    const { schema } = writeFleetConfig(dir);
    schemas.push(schema);
    const first = await tactful(['migrate', '--json'], dir, { DATABASE_URL: PG_URL });
    expect(first.code).toBe(0);
    const body = JSON.parse(first.stdout) as { migrations: Array<{ component: string; applied: number[] }> };
    expect(body.migrations.map((m) => [m.component, m.applied])).toEqual([
      ['consent', [1]],
      ['subject', [1]],
      ['audit', [1]],
      ['fleet', [1]],
    ]);
    const again = await tactful(['migrate', '--json'], dir, { DATABASE_URL: PG_URL });
    expect((JSON.parse(again.stdout) as typeof body).migrations.every((m) => m.applied.length === 0)).toBe(
      true,
    );
  });

  it('--from sqlite copies a SQLite data folder, and refuses to copy twice', async () => {
    const { schema } = writeFleetConfig(dir);
    schemas.push(schema);
    mkdirSync(join(dir, '.tactful-data'));
    const db = openDatabase(join(dir, '.tactful-data', 'tactful.sqlite'));
    const consent = sqliteConsentStore({ db });
    await consent.append(consentGrant({ subject: 'v-alice' }));
    await consent.append(consentGrant({ subject: 'v-alice', purpose: 'measurement' }));
    await sqliteSubjectStore({ db }).declarePreferences('v-alice', { interests: ['garden'] });
    db.close();

    const run = await tactful(['migrate', '--from', 'sqlite', '--json'], dir, { DATABASE_URL: PG_URL });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).imported).toMatchObject({ consent_records: 2, subject_profiles: 1 });
    const { rows } = await admin.query(`SELECT subject, seq FROM "${schema}".consent_records ORDER BY seq`);
    expect(rows).toEqual([
      { subject: 'v-alice', seq: 1 },
      { subject: 'v-alice', seq: 2 },
    ]);
    const twice = await tactful(['migrate', '--from', 'sqlite'], dir, { DATABASE_URL: PG_URL });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already holds data/);
  });

  it('exits 1 with a hint for a configuration that is not on PostgreSQL, and 1 when the URL variable is unset', async () => {
    const { file } = writeFleetConfig(dir);
    const unset = await tactful(['migrate'], dir, { DATABASE_URL: '' });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toMatch(/DATABASE_URL is not set/);
    const config = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...config, storage: { driver: 'memory' } }));
    const memory = await tactful(['migrate'], dir);
    expect(memory.code).toBe(1);
    expect(memory.stderr).toMatch(/migrate works on PostgreSQL/);
  });
});
