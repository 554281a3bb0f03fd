// The context-aware template engine: it knows, for each placeholder, whether it sits in element
// text, an attribute, a URL or an email's plain text, and escapes for that context (core's
// escapeHtml, URL components, URL scheme policy). Kept by hand because no general HTML escaper
// knows the context; the template is analysed once, at configuration time.
import { TactfulError } from '@tactful/core';
import { analyzeHtml, type HtmlSlotContext } from './html-context.js';
import { type Escape, partsRenderer, type TemplatePart, type TemplateParts } from './render-parts.js';
import { parseTemplate, TemplateSyntaxError } from './template-syntax.js';
import { isSafeUrl, type UrlPolicy } from './url.js';

/**
 * Where a rendered template goes, which decides the escaping:
 * - `html`: an HTML fragment for a page; each placeholder is escaped for where it sits (text,
 *   quoted attribute, URL attribute), relative URLs allowed.
 * - `email-html`: like `html`, but URLs must be absolute (an email has no base address).
 * - `attribute`: the value of one quoted HTML attribute.
 * - `url`: one URL; the result is always an http, https, mailto or relative URL.
 * - `text`: plain text (an email subject, a push title); control characters removed, nothing else.
 */
export type RenderContext = 'html' | 'attribute' | 'url' | 'email-html' | 'text';

/** The render contexts. */
export const RENDER_CONTEXTS: readonly RenderContext[] = Object.freeze([
  'html',
  'attribute',
  'url',
  'email-html',
  'text',
]);

/** A template compiled once (at catalog load), rendered many times. Frozen. */
export interface CompiledTemplate {
  readonly source: string;
  readonly context: RenderContext;
  /** Every value path the template reads, e.g. `["recipient.firstName", "slots[\"email.hero\"].title"]`. */
  readonly paths: readonly string[];
  /** The path segments of every placeholder, in order. */
  readonly segments: ReadonlyArray<ReadonlyArray<string | number>>;
  /** Renders with `values`: only their own data properties are read. Never throws. */
  render(values: unknown): string;
}

const PARTS = new WeakMap<CompiledTemplate, TemplateParts>();

/** A compiled template's parts (what a prebuilt catalog stores), or undefined for another object. */
export function templateParts(template: CompiledTemplate): TemplateParts | undefined {
  return PARTS.get(template);
}

/**
 * Compiles a template for a context: placeholders are `{{ path }}` or `{{ path ?? "fallback" }}`,
 * where a path reads own properties only (`a.b`, `a[0]`, `a["x.y"]`); no calls, no filters, and
 * `__proto__`, `prototype` and `constructor` can never be read. HTML templates are checked for script
 * (see `analyzeHtml` in `html-context.ts`).
 *
 * @throws TactfulError `INVALID_CONFIG` with the offending offset in the message
 * @example
 * ```ts
 * const hello = compileTemplate('<p>Hi {{ firstName ?? "there" }}, see <a href="{{ link }}">our picks</a></p>', 'html');
 * hello.render({ firstName: '<b>An</b>', link: 'javascript:alert(1)' });
 * // '<p>Hi &lt;b&gt;An&lt;/b&gt;, see <a href="about:invalid#tactful-unsafe-url">our picks</a></p>'
 * ```
 */
export function compileTemplate(source: string, context: RenderContext): CompiledTemplate {
  if (typeof source !== 'string') {
    throw new TactfulError(
      'INVALID_CONFIG',
      `template must be a string, got ${source === null ? 'null' : typeof source}`,
    );
  }
  if (!RENDER_CONTEXTS.includes(context)) {
    throw new TactfulError(
      'INVALID_CONFIG',
      `unknown render context "${String(context)}"; use one of ${RENDER_CONTEXTS.join(', ')}`,
    );
  }
  try {
    return build(source, context);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) {
      throw new TactfulError(
        'INVALID_CONFIG',
        `invalid ${context} template: ${error.message} (${locate(source, error.offset)})`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

function locate(source: string, offset: number): string {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function build(source: string, context: RenderContext): CompiledTemplate {
  const parsed = parseTemplate(source);
  const offsets = parsed.placeholders.map((p) => p.offset);
  let slotContexts: HtmlSlotContext[] | Array<'text'>;
  let policy: UrlPolicy = 'relative';
  switch (context) {
    case 'html':
    case 'email-html':
      policy = context === 'email-html' ? 'absolute' : 'relative';
      slotContexts = analyzeHtml(parsed.texts, parsed.textOffsets, offsets, policy);
      break;
    case 'attribute':
      slotContexts = parsed.placeholders.map(() => 'attribute' as const);
      break;
    case 'url': {
      const prefix = parsed.texts[0] ?? '';
      if (parsed.placeholders.length === 0 || prefix.trim() !== '') {
        const staticPrefix = parsed.placeholders.length === 0 ? source : prefix;
        if (!isSafeUrl(staticPrefix, 'relative')) {
          throw new TemplateSyntaxError(
            `URL template starts with "${staticPrefix}", which is not an http, https, mailto or relative URL`,
            0,
          );
        }
        slotContexts = parsed.placeholders.map(() => 'url-part' as const);
      } else {
        slotContexts = parsed.placeholders.map((_, i) => (i === 0 ? 'url-start' : 'url-part'));
      }
      break;
    }
    default:
      slotContexts = parsed.placeholders.map(() => 'text' as const);
  }
  const parts: TemplatePart[] = parsed.placeholders.map(({ segments, fallback }, i) => {
    const sub = slotContexts[i] ?? 'text';
    let how: Escape;
    if (context === 'text') how = 0;
    else if (sub === 'text' || sub === 'attribute') how = 1;
    else if (sub === 'url-part') how = context === 'url' ? 3 : 2;
    else how = context === 'url' ? 6 : policy === 'absolute' ? 5 : 4;
    return Object.freeze([segments, fallback ?? null, how] as const);
  });
  const data: TemplateParts = Object.freeze({
    context,
    texts: Object.freeze(parsed.texts.slice()),
    parts: Object.freeze(parts),
  });
  const render = partsRenderer(data);
  const template: CompiledTemplate = Object.freeze({
    source,
    context,
    paths: Object.freeze([...new Set(parsed.placeholders.map((p) => p.path))]),
    segments: Object.freeze(parsed.placeholders.map((p) => p.segments)),
    render,
  });
  PARTS.set(template, data);
  return template;
}

/** Options of {@link renderTemplate}. */
export interface RenderTemplateOptions {
  /** Where the output goes; decides the escaping. */
  context: RenderContext;
}

const cache = new Map<string, CompiledTemplate>();
const CACHE_SIZE = 256;

/**
 * Renders a template (compiled, or a source string compiled and cached) with `values`, escaped for
 * `options.context`. Values are read through own data properties only: no prototype, getters or
 * methods; anything but a string, finite number or boolean renders as the fallback or nothing.
 *
 * @throws TactfulError `INVALID_CONFIG` when a source string is not a valid template
 * @example
 * ```ts
 * renderTemplate('Hi {{ name ?? "there" }}!', { name: 'Lan' }, { context: 'text' }); // 'Hi Lan!'
 * renderTemplate('<a href="{{ url }}">go</a>', { url: 'javascript:alert(1)' }, { context: 'html' });
 * // '<a href="about:invalid#tactful-unsafe-url">go</a>'
 * ```
 */
export function renderTemplate(
  template: string | CompiledTemplate,
  values: unknown,
  options: RenderTemplateOptions,
): string {
  if (typeof template !== 'string') {
    if (template.context !== options.context) {
      throw new TactfulError(
        'INVALID_CONFIG',
        `template was compiled for "${template.context}" but rendered for "${options.context}"; compile it for "${options.context}"`,
      );
    }
    return template.render(values);
  }
  const key = `${options.context}\u0000${template}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = compileTemplate(template, options.context);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, compiled);
  }
  return compiled.render(values);
}
