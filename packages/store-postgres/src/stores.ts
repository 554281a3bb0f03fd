import { TactfulError } from '@tactful/core';
import {
  type PostgresAuditStore,
  POSTGRES_AUDIT_MIGRATIONS,
  postgresAuditStore,
  AUDIT_COMPONENT,
} from './audit-store.js';
import {
  CONSENT_COMPONENT,
  POSTGRES_CONSENT_MIGRATIONS,
  type PostgresConsentStore,
  postgresConsentStore,
} from './consent-store.js';
import { type PostgresPool, createPool } from './database.js';
import { FLEET_COMPONENT, POSTGRES_FLEET_MIGRATIONS } from './fleet.js';
import { type PostgresMembershipStore, postgresMembershipStore } from './membership-store.js';
import { type PostgresMigrationResult, migratePostgres } from './migrate.js';
import { type PostgresWritability, checkPostgresWritable } from './writable.js';
import {
  POSTGRES_SUBJECT_MIGRATIONS,
  type PostgresSubjectStore,
  type PostgresSubjectStoreOptions,
  SUBJECT_COMPONENT,
  postgresSubjectStore,
} from './subject-store.js';

/** Every component's migrations, in the order `migrateAll` applies them. */
export const POSTGRES_COMPONENTS = Object.freeze([
  { component: CONSENT_COMPONENT, migrations: POSTGRES_CONSENT_MIGRATIONS },
  { component: SUBJECT_COMPONENT, migrations: POSTGRES_SUBJECT_MIGRATIONS },
  { component: AUDIT_COMPONENT, migrations: POSTGRES_AUDIT_MIGRATIONS },
  { component: FLEET_COMPONENT, migrations: POSTGRES_FLEET_MIGRATIONS },
]);

/** Applies every pending migration of every component in `schema` (what `tactful migrate` runs). Idempotent. */
export async function migrateAll(pool: PostgresPool, schema = 'tactful'): Promise<PostgresMigrationResult[]> {
  const out: PostgresMigrationResult[] = [];
  for (const { component, migrations } of POSTGRES_COMPONENTS)
    out.push(await migratePostgres(pool, schema, component, migrations));
  return out;
}

/** Options of {@link openPostgresStores}. */
export interface OpenPostgresStoresOptions {
  /** The connection URL (or give `pool`). */
  url?: string;
  /** A pool to share; not closed by `close()`. */
  pool?: PostgresPool;
  schema?: string;
  /** Apply pending migrations at start (default true). */
  migrate?: boolean;
  /** Connections in the pool opened from `url`. Default 10. */
  poolSize?: number;
  /** Options of the subject store (retention, tombstone key, clock). */
  subject?: Omit<PostgresSubjectStoreOptions, 'pool' | 'url' | 'schema' | 'migrate'>;
  /** The consent store's clock. */
  clock?: () => number;
}

/** Every PostgreSQL store on one pool. */
export interface PostgresStores {
  readonly pool: PostgresPool;
  readonly schema: string;
  readonly consent: PostgresConsentStore;
  readonly subject: PostgresSubjectStore;
  readonly audit: PostgresAuditStore;
  readonly memberships: PostgresMembershipStore;
  /**
   * Whether the database accepts the stores' writes now (see {@link checkPostgresWritable}): what
   * the server's `/readyz` reports.
   */
  checkWritable(): Promise<PostgresWritability>;
  /** Closes the pool when it was opened from `url`. */
  close(): Promise<void>;
}

/**
 * Opens the consent, subject, audit and membership stores on one pool (what `@tactful/config` does
 * for `storage.driver: "postgres"`).
 *
 * @example
 * ```ts
 * const stores = await openPostgresStores({ url: process.env.DATABASE_URL });
 * const tactful = await createTactful(config, { stores });
 * ```
 */
export async function openPostgresStores(options: OpenPostgresStoresOptions): Promise<PostgresStores> {
  if ((options.pool === undefined) === (options.url === undefined)) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      'openPostgresStores: give exactly one of "pool" (a pg.Pool) or "url" (postgres://user@host:5432/db)',
      { path: ['url'] },
    );
  }
  const owned = options.pool === undefined;
  const pool = options.pool ?? createPool(options.url as string, { max: options.poolSize ?? 10 });
  const schema = options.schema ?? 'tactful';
  const common = { pool, schema, migrate: options.migrate !== false };
  try {
    const consent = await postgresConsentStore({
      ...common,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    const subject = await postgresSubjectStore({ ...common, ...options.subject });
    const audit = await postgresAuditStore(common);
    return {
      pool,
      schema,
      consent,
      subject,
      audit,
      memberships: postgresMembershipStore(subject),
      checkWritable: () => checkPostgresWritable(pool, schema),
      close: async () => {
        if (owned) await pool.end();
      },
    };
  } catch (error) {
    if (owned) await pool.end().catch(() => {});
    throw error;
  }
}
