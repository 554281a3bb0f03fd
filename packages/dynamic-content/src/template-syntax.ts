import { FORBIDDEN_SEGMENTS } from './resolve-value.js';

export { FORBIDDEN_SEGMENTS, resolveValue } from './resolve-value.js';

/** A problem in a template, with the character offset where it was found. */
export class TemplateSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'TemplateSyntaxError';
    this.offset = offset;
  }
}

/** Caps on one template. */
export const TEMPLATE_LIMITS = Object.freeze({
  /** Longest template source, in characters. */
  maxLength: 100_000,
  /** Most placeholders in one template. */
  maxPlaceholders: 1_000,
  /** Most segments in one placeholder path. */
  maxSegments: 12,
});

/** A placeholder: `{{ path }}` or `{{ path ?? "fallback" }}`. */
export interface Placeholder {
  /** The path segments (own property names and array indexes). */
  readonly segments: ReadonlyArray<string | number>;
  /** The path as written, normalised (`slots["email.hero"].title`). */
  readonly path: string;
  /** Used when the path holds no string, number or boolean. */
  readonly fallback: string | undefined;
  /** Offset of `{{` in the source. */
  readonly offset: number;
}

/** A template split into static text and placeholders, alternating: text, placeholder, text, ... */
export interface ParsedTemplate {
  /** Static texts; always one more than placeholders. */
  readonly texts: readonly string[];
  /** Offset in the source where each static text starts. */
  readonly textOffsets: readonly number[];
  readonly placeholders: readonly Placeholder[];
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*/;

/**
 * Splits a template source into static texts and placeholders, validating every placeholder.
 * @throws TemplateSyntaxError naming the offset
 */
export function parseTemplate(source: string): ParsedTemplate {
  if (source.length > TEMPLATE_LIMITS.maxLength) {
    throw new TemplateSyntaxError(`template is longer than ${TEMPLATE_LIMITS.maxLength} characters`, 0);
  }
  const texts: string[] = [];
  const textOffsets: number[] = [];
  const placeholders: Placeholder[] = [];
  let pos = 0;
  for (;;) {
    const open = source.indexOf('{{', pos);
    textOffsets.push(pos);
    if (open === -1) {
      texts.push(source.slice(pos));
      break;
    }
    const close = source.indexOf('}}', open + 2);
    if (close === -1)
      throw new TemplateSyntaxError(`unclosed placeholder "{{" at offset ${open}: add "}}"`, open);
    texts.push(source.slice(pos, open));
    placeholders.push(parsePlaceholder(source.slice(open + 2, close), open));
    if (placeholders.length > TEMPLATE_LIMITS.maxPlaceholders) {
      throw new TemplateSyntaxError(`more than ${TEMPLATE_LIMITS.maxPlaceholders} placeholders`, open);
    }
    pos = close + 2;
  }
  return { texts, textOffsets, placeholders };
}

function parsePlaceholder(inner: string, offset: number): Placeholder {
  const where = `placeholder "{{${inner}}}" at offset ${offset}`;
  let rest = inner.trim();
  if (rest === '')
    throw new TemplateSyntaxError(`${where} is empty: write a value name such as {{ firstName }}`, offset);
  const segments: Array<string | number> = [];
  const first = IDENT.exec(rest);
  if (!first)
    throw new TemplateSyntaxError(`${where}: a path must start with a name (letters, digits, _ - $)`, offset);
  segments.push(first[0]);
  rest = rest.slice(first[0].length);
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith('.')) {
      const m = IDENT.exec(rest.slice(1));
      if (!m) throw new TemplateSyntaxError(`${where}: expected a name after "."`, offset);
      segments.push(m[0]);
      rest = rest.slice(1 + m[0].length);
    } else if (rest.startsWith('[')) {
      const m = /^\[\s*(?:(\d{1,9})|"([^"\\]*)"|'([^'\\]*)')\s*\]/.exec(rest);
      if (!m) throw new TemplateSyntaxError(`${where}: use [0] or ["name"] inside brackets`, offset);
      segments.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3] ?? ''));
      rest = rest.slice(m[0].length);
    } else break;
  }
  let fallback: string | undefined;
  if (rest.startsWith('??')) {
    const m = /^\?\?\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*$/.exec(rest);
    if (!m)
      throw new TemplateSyntaxError(
        `${where}: a fallback is a quoted text, e.g. {{ name ?? "there" }}`,
        offset,
      );
    fallback = m[1] ?? m[2] ?? '';
    rest = '';
  }
  if (rest.trim() !== '') {
    throw new TemplateSyntaxError(
      `${where}: only value paths are allowed (no calls, operators or filters), e.g. {{ user.firstName ?? "there" }}`,
      offset,
    );
  }
  for (const s of segments) {
    if (typeof s === 'string' && FORBIDDEN_SEGMENTS.has(s)) {
      throw new TemplateSyntaxError(`${where}: "${s}" can never be read by a template`, offset);
    }
  }
  if (segments.length > TEMPLATE_LIMITS.maxSegments) {
    throw new TemplateSyntaxError(`${where}: more than ${TEMPLATE_LIMITS.maxSegments} path segments`, offset);
  }
  return Object.freeze({
    segments: Object.freeze(segments),
    path: formatSegments(segments),
    fallback,
    offset,
  });
}

/** Formats segments as `a.b[0]["c.d"]`. */
export function formatSegments(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}
