// Rendering a template from its parts: the static texts and, per placeholder, its path, fallback and
// the escaping its place needs (decided once, when the template is compiled). Compiled templates and
// prebuilt catalogs render through partsRenderer, so both escape exactly alike.
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

type Piece = (values: unknown) => string;

/** The renderer of one placeholder, chosen once (a closure per placeholder, no switch per render). */
function pieceOf(segments: ReadonlyArray<string | number>, fallback: string | null, how: number): Piece {
  const read = (values: unknown): string => resolveValue(values, segments) ?? fallback ?? '';
  switch (how) {
    case 0:
      return (v) => cleanText(read(v));
    case 1:
      return (v) => escapeHtml(read(v));
    case 2:
      return (v) => escapeHtml(encodeUrlComponent(read(v)));
    case 3:
      return (v) => encodeUrlComponent(read(v));
    default: {
      // 4, 5 (a URL attribute's start) and 6 (a `url` template's start).
      const policy = how === 5 ? 'absolute' : 'relative';
      const clean = how === 6 ? cleanText : escapeHtml;
      return (v) => {
        const value = read(v);
        return clean(value === '' ? UNSAFE_URL_REPLACEMENT : sanitizeUrl(value, policy));
      };
    }
  }
}

/** The renderer of template parts: values are read through own data properties only. Never throws. */
export function partsRenderer(template: TemplateParts): (values: unknown) => string {
  const texts = template.texts;
  const pieces = template.parts.map(([segments, fallback, how]) => pieceOf(segments, fallback, how));
  return (values) => {
    let out = texts[0] ?? '';
    for (let i = 0; i < pieces.length; i++) out += pieces[i]!(values) + texts[i + 1]!;
    return out;
  };
}

/**
 * The node of a content object with a template somewhere inside: each entry rendered by its own
 * node, or kept as its value.
 */
export function objectNode(
  entries: ReadonlyArray<
    readonly [string, { readonly node?: ((values: unknown) => unknown) | undefined; readonly value: unknown }]
  >,
): (values: unknown) => unknown {
  return (values) => {
    const out: Record<string, unknown> = {};
    for (const [k, p] of entries) out[k] = p.node ? p.node(values) : p.value;
    return out;
  };
}
