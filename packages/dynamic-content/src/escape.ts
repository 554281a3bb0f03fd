const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '=': '&#61;',
};
const HTML_SPECIAL = /[&<>"'`=]/g;
// C0 controls except tab, line feed and carriage return; DEL; lone surrogates are left to the encoder.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * Escapes text for HTML element content and quoted attribute values: `& < > " ' \` =` become
 * character references, and control characters are removed.
 *
 * @example
 * ```ts
 * escapeHtml('<img src=x onerror=alert(1)>'); // '&lt;img src&#61;x onerror&#61;alert(1)&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(CONTROL, '').replace(HTML_SPECIAL, (c) => HTML_ESCAPES[c]!);
}

/** Removes control characters (except tab, line feed, carriage return) from plain text. */
export function cleanText(text: string): string {
  return text.replace(CONTROL, '');
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
