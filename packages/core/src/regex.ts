/**
 * `@tactful/core/regex`: the RE2 engine for `$regex` patterns beyond plain text and the bounded
 * subset, kept out of the main entry point so pages that don't need it don't load it.
 *
 * @packageDocumentation
 */
export { re2Regex } from './condition/re2.js';
