/**
 * `@tactful/consent`: consent providers for Tactful. Explicit opt-in records with proof, Global
 * Privacy Control and Do-Not-Track, and IAB TCF v2.2. Runs in Node, browsers and edge runtimes.
 *
 * @packageDocumentation
 */
export * from './memory-store.js';
