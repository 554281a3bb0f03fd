import { createHmac } from 'node:crypto';
import { TactfulError } from '@tactful/core';
import { type PostgresPool, guarded } from './database.js';
import { type PostgresMigration, migratePostgres } from './migrate.js';

/** The component name of the fleet's shared settings in `tactful_migrations`. */
export const FLEET_COMPONENT = 'fleet';

/** The migrations of the fleet table. */
export const POSTGRES_FLEET_MIGRATIONS: ReadonlyArray<PostgresMigration> = Object.freeze([
  { version: 1, up: 'CREATE TABLE {schema}.tactful_fleet (key TEXT PRIMARY KEY, value TEXT NOT NULL)' },
]);

/**
 * Checks that every server of a database uses the same secret (it signs cookies, keys pseudonyms
 * and audit signatures: a server with another one would reject every other server's cookies and
 * break the audit chain's signatures). The first server records a keyed digest of its secret (never
 * the secret); each later one compares. Throws `INVALID_CONFIG` on a mismatch, before serving anything.
 */
export async function checkFleetSecret(pool: PostgresPool, schema: string, secret: string): Promise<void> {
  await migratePostgres(pool, schema, FLEET_COMPONENT, POSTGRES_FLEET_MIGRATIONS);
  const digest = createHmac('sha256', secret).update('tactful/fleet/secret-check/v1').digest('hex');
  const stored = await guarded('fleet', 'secret check', async () => {
    await pool.query(
      `INSERT INTO "${schema}".tactful_fleet (key, value) VALUES ('secret_check', $1) ON CONFLICT (key) DO NOTHING`,
      [digest],
    );
    const { rows } = await pool.query<{ value: string }>(
      `SELECT value FROM "${schema}".tactful_fleet WHERE key = 'secret_check'`,
    );
    return rows[0]?.value;
  });
  if (stored !== digest) {
    throw new TactfulError(
      'INVALID_CONFIG',
      'TACTFUL_SECRET differs from the secret the other servers of this database use; give every server the same TACTFUL_SECRET (cookies signed by one server must be accepted by all)',
      { path: ['secret'] },
    );
  }
}
