/**
 * `@tactful/consent`: consent providers for Tactful. Explicit opt-in records with proof, Global
 * Privacy Control and Do-Not-Track (IAB TCF v2.2 is in its own entry point, `@tactful/consent/tcf`,
 * so pages that don't use it don't load `@iabtcf/core`); the consent manager that records, exports and
 * erases consent; and the in-memory reference consent store. Runs in Node, browsers and edge runtimes.
 *
 * @packageDocumentation
 */
export * from './consent-manager.js';
export * from './evaluate.js';
export * from './gpc.js';
export * from './gpc-schema.js';
export * from './history-text.js';
export * from './memory-store.js';
export * from './opt-in.js';
export * from './options.js';
export * from './version.js';
