/**
 * `@tactful/consent/tcf`: the IAB TCF v2.2 consent provider. Its own entry point, so a page that
 * uses only GPC or opt-in records doesn't load `@iabtcf/core`.
 *
 * @packageDocumentation
 */
export * from './tcf-consent.js';
export * from './tcf-bounds.js';
