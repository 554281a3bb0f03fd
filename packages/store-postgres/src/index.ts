/**
 * `@tactful/store-postgres`: PostgreSQL storage for a fleet of Tactful servers (Node only):
 * consent records, subject data, the audit trail, segment memberships and population counts, with
 * versioned migrations run under an advisory lock.
 *
 * @packageDocumentation
 */
export * from './database.js';
export * from './migrate.js';
export * from './consent-store.js';
export * from './subject-store.js';
export * from './audit-store.js';
export * from './membership-store.js';
export * from './fleet.js';
export * from './stores.js';
export * from './from-sqlite.js';
export * from './writable.js';
