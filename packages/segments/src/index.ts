/**
 * `@tactful/segments`: groups, not individuals. Rule-based customer segments over the data a
 * person's consent allows, with built-ins, zero-party vetoes, the creepy line enforced at load and
 * a k-anonymity floor.
 *
 * @packageDocumentation
 */
export * from './builtins.js';
export * from './compile.js';
export * from './definition.js';
export * from './population.js';
export * from './segments.js';
export {
  STATS,
  computeStats,
  parseStatPath,
  type StatMetric,
  type StatRef,
  type StatsPlan,
} from './stats.js';
export * from './store.js';
export { VERSION } from './version.js';
