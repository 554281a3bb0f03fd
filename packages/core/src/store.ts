/**
 * `@tactful/core/store`: the store-neutral pieces that every store implementation shares (consent
 * chains, subject-store arguments, migration checks, store failures), kept out of the main entry
 * point so pages, which never run a store, don't load them.
 *
 * @packageDocumentation
 */
export * from './consent-chain.js';
export * from './store-failure.js';
export * from './store-migrations.js';
export * from './subject-store-helpers.js';
