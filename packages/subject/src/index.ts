/**
 * `@tactful/subject`: the person's data in Tactful. Zero-party data (declared preferences, interests,
 * "not interested", survey answers) and first-party data (purchases, page views, cart) with
 * retention per category; a data source over them for the orchestrator; and the person's rights
 * (export validated by a published schema, rectification, erasure with receipts and tombstones),
 * with due dates from a jurisdiction table. Runs in Node, browsers and edge runtimes.
 *
 * @packageDocumentation
 */
export * from './memory-subject-store.js';
export * from './subject-source.js';
export * from './rectify.js';
export * from './jurisdictions.js';
export * from './export-document.js';
export * from './receipts.js';
export * from './rights-service.js';
export * from './not-interested.js';
export * from './rights-options.js';
export * from './retention-purge.js';
