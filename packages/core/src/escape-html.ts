// The one HTML escaper of every package (dynamic-content's templates and the notice's HTML): text
// for element content and quoted attribute values. Context-aware escaping
// (URLs, CSS, script) stays with the template engine of @tactful/dynamic-content, which knows the
// context each placeholder is in.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NEEDS_HTML_ESCAPE = /[&<>"'`=\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

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
