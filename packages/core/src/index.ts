/**
 * `@tactful/core`: the contracts every Tactful plugin is written against. Runs unchanged in Node,
 * browsers and edge runtimes; holds no runtime state.
 *
 * @packageDocumentation
 */
export * from './canonical-json.js';
export * from './safe-value.js';
export * from './errors.js';
export * from './validation.js';
export * from './data-origins.js';
export * from './taxonomy.js';
export * from './taxonomy-builtins.js';
export * from './taxonomy-rules.js';
export * from './taxonomy-schema.js';
export * from './context.js';
export * from './context-schema.js';
export * from './manifest.js';
export * from './manifest-schema.js';
export * from './plugin.js';
export * from './random-uuid.js';
export * from './sha256.js';
export * from './fnv.js';
export * from './escape-html.js';
export * from './version.js';
export * from './condition/index.js';
export * from './consent-record.js';
export * from './subject-store.js';
export * from './topic-labels.js';
export * from './topic-sentence.js';
export * from './slot-permission.js';
export * from './awaitable.js';
export * from './rate-limit.js';
export * from './check.js';
export * from './name-checks.js';
