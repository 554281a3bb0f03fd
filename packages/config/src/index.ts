/**
 * `@tactful/config`: the JSON configuration format integrators write from the docs, its
 * validation (every problem at once, with paths and line numbers), and the assembly of a running
 * Tactful from it. Node only.
 *
 * @packageDocumentation
 */
export * from './schema.js';
export * from './env.js';
export * from './problems.js';
export * from './load.js';
export * from './assemble.js';
export { buildPlugins, configTaxonomy, type BuiltPlugins, type PluginStores } from './build.js';
export * from './cookies.js';
