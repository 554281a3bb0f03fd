// Escaping for the context-aware template engine (template.ts): plain text, URL components. The
// HTML escaper is core's `escapeHtml`, shared with the notice, re-exported here for compatibility.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

export { escapeHtml } from '@tactful/core';

/** Removes control characters (except tab, line feed, carriage return) from plain text. */
export function cleanText(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, '') : text;
}

/**
 * Percent-encodes a value placed inside a URL after its start (a path segment or query value), so it
 * cannot introduce a scheme, a new query parameter or break out of the URL.
 */
export function encodeUrlComponent(text: string): string {
  return encodeURIComponent(text.replace(CONTROL, '')).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
