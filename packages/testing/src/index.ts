/**
 * `@tactful/testing`: the conformance kit for Tactful plugins. Vitest suites that prove a
 * strategy, data source, consent provider or store keeps the contract of `@tactful/core`, the
 * recording projection and input builders they are made of, and in-memory reference plugins.
 *
 * @packageDocumentation
 */
export * from './strategy-conformance.js';
export * from './data-source-conformance.js';
export * from './consent-provider-conformance.js';
export * from './recording-projection.js';
export * from './builders.js';
export * from './arbitraries.js';
export * from './output-checks.js';
export * from './manifest-checks.js';
export * from './settle.js';
export * from './check-equivalence.js';
export * from './reference/reference-strategy.js';
export * from './reference/reference-data-source.js';
export * from './reference/reference-consent-provider.js';
export * from './store-conformance.js';
export * from './subject-store-conformance.js';
export * from './membership-store-conformance.js';
export type { PluginConformanceBaseOptions } from './plugin-suite.js';
