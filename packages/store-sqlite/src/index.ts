/**
 * `@tactful/store-sqlite`: durable SQLite storage for Tactful (Node only). `openDatabase` and
 * `migrate` are the shared foundation; each store (consent, subject data, audit) lives in its own file.
 *
 * @packageDocumentation
 */
export * from './database.js';
export * from './migrate.js';
export * from './consent-store.js';
export * from './subject-sqlite-store.js';
export * from './audit-sqlite-store.js';
export * from './audit-thread-store.js';
export * from './sqlite-stores.js';
export { THREAD_CHANNEL } from './db-thread.js';
export type { RestartPolicy } from './thread-supervisor.js';
