// Rendering a template from its parts: the static texts and, per placeholder, its path, fallback and
// the escaping its place needs (decided once, when the template is compiled). Compiled templates and
// prebuilt catalogs render through this one function, so both escape exactly alike.
import { cleanText, encodeUrlComponent, escapeHtml } from './escape.js';
import { resolveValue } from './resolve-value.js';
import { sanitizeUrl, UNSAFE_URL_REPLACEMENT } from './url.js';

/**
 * How a placeholder's value is escaped, by where it sits:
 * 0 plain text (control characters removed); 1 HTML text or quoted attribute; 2 inside a URL
 * attribute after its start (percent-encoded, then HTML-escaped); 3 inside a `url` template after its
 * start (percent-encoded); 4 and 5 the start of a URL attribute, relative URLs allowed (4) or not (5),
 * then HTML-escaped; 6 the start of a `url` template.
 */
export type Escape = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** The escapes a placeholder may have in each render context (a loaded template is held to them). */
export const ESCAPES_OF: Readonly<Record<string, readonly number[]>> = {
  text: [0],
  attribute: [1],
  url: [3, 6],
  html: [1, 2, 4],
  'email-html': [1, 2, 5],
};

/** One placeholder: its path segments, its fallback text (or null) and its {@link Escape}. */
export type TemplatePart = readonly [
  segments: ReadonlyArray<string | number>,
  fallback: string | null,
  escape: Escape,
];

/** A template as data: `texts` has one more entry than `parts`, alternating text, placeholder, text. */
export interface TemplateParts {
  /** The render context it was compiled for (`html`, `email-html`, `attribute`, `url` or `text`). */
  readonly context: string;
  readonly texts: readonly string[];
  readonly parts: readonly TemplatePart[];
}

function escapeValue(value: string, how: number): string {
  switch (how) {
    case 0:
      return cleanText(value);
    case 1:
      return escapeHtml(value);
    case 2:
      return escapeHtml(encodeUrlComponent(value));
    case 3:
      return encodeUrlComponent(value);
    case 6:
      return cleanText(value === '' ? UNSAFE_URL_REPLACEMENT : sanitizeUrl(value, 'relative'));
    default:
      return escapeHtml(
        value === '' ? UNSAFE_URL_REPLACEMENT : sanitizeUrl(value, how === 5 ? 'absolute' : 'relative'),
      );
  }
}

/** Renders template parts with `values` (own data properties only). Never throws. */
export function renderParts(template: TemplateParts, values: unknown): string {
  const { texts, parts } = template;
  let out = texts[0] ?? '';
  for (let i = 0; i < parts.length; i++) {
    const [segments, fallback, how] = parts[i]!;
    out += escapeValue(resolveValue(values, segments) ?? fallback ?? '', how) + texts[i + 1]!;
  }
  return out;
}
