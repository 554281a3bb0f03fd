/**
 * `@tactful/core/regex`: the RE2 engine for any `$regex` pattern (`plainRegex`, in the main entry
 * point, runs plain ones), kept out of the main entry point so pages that don't need it don't load it.
 *
 * @packageDocumentation
 */
export { re2Regex } from './condition/re2.js';
