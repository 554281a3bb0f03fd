// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NEEDS_HTML_ESCAPE = /[&<>"'`=\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

function isControl(c: number): boolean {
  return (c <= 0x08 || c === 0x0b || c === 0x0c || (c >= 0x0e && c <= 0x1f) || c === 0x7f) && c !== 0x09;
}

/**
 * Escapes text for HTML element content and quoted attribute values: `& < > " ' \` =` become
 * character references, and control characters (except tab, line feed, carriage return) are removed.
 *
 * @example
 * ```ts
 * escapeHtml('<img src=x onerror=alert(1)>'); // '&lt;img src&#61;x onerror&#61;alert(1)&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  if (!NEEDS_HTML_ESCAPE.test(text)) return text;
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let replacement: string | undefined;
    switch (c) {
      case 38:
        replacement = '&amp;';
        break;
      case 60:
        replacement = '&lt;';
        break;
      case 62:
        replacement = '&gt;';
        break;
      case 34:
        replacement = '&quot;';
        break;
      case 39:
        replacement = '&#39;';
        break;
      case 96:
        replacement = '&#96;';
        break;
      case 61:
        replacement = '&#61;';
        break;
      default:
        if (c < 0x20 || c === 0x7f) replacement = isControl(c) ? '' : undefined;
    }
    if (replacement !== undefined) {
      out += text.slice(last, i) + replacement;
      last = i + 1;
    }
  }
  return out + text.slice(last);
}

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
