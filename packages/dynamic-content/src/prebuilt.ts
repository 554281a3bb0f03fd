/**
 * `@tactful/dynamic-content/prebuilt`: the dynamic-content strategy on a catalog prebuilt by
 * `compileCatalog` (`@tactful/dynamic-content/compile`). The page loads the prebuilt JSON with a
 * cheap structural check, without the catalog's parser, template analyser and checks; selection,
 * escaping and explanations are those of `dynamicContent` from `@tactful/dynamic-content`.
 *
 * @packageDocumentation
 */
import {
  type CategoryRead,
  type CompiledCondition,
  checkOrThrow,
  compileCondition,
  FORBIDDEN_KEYS,
  formatPath,
  type LocalizedText,
  type RegexEngine,
  type Strategy,
  TactfulError,
} from '@tactful/core';
import type { CatalogSlot, CatalogVariant, CatalogView, RenderableContent } from './catalog.js';
import { FACT_NAMESPACES, type FactNamespace } from './facts.js';
import { checkDynamicContentOptions } from './options-check.js';
import type { DynamicContentOptions } from './options-schema.js';
import { PREBUILT_CATALOG_FORMAT, type PrebuiltCatalog, prebuiltStamp } from './prebuilt-format.js';
import { ESCAPES_OF, objectNode, partsRenderer, type TemplateParts } from './render-parts.js';
import { contentStrategy } from './strategy-core.js';

export { PREBUILT_CATALOG_FORMAT } from './prebuilt-format.js';
export type { PrebuiltCatalog } from './prebuilt-format.js';

/** A catalog loaded from a prebuilt one: what the strategy reads, plus the taxonomy's purposes. */
export interface LoadedCatalog extends CatalogView<RenderableContent> {
  /** The purposes of the taxonomy the catalog was checked against at build time. */
  readonly purposes: ReadonlySet<string>;
}

/** Options of the prebuilt `dynamicContent`: those of `@tactful/dynamic-content`, `catalog` prebuilt. */
export type PrebuiltDynamicContentOptions = Omit<DynamicContentOptions, 'catalog'> & {
  /** What `compileCatalog` wrote (parsed JSON, or an imported module's value). */
  catalog: PrebuiltCatalog | unknown;
};

/** The dynamic-content strategy on a prebuilt catalog. */
export type PrebuiltDynamicContentStrategy = Strategy & { readonly catalog: LoadedCatalog };

type Path = Array<string | number>;
type Data = Record<string, unknown>;

const CONTEXTS = ['html', 'attribute', 'url', 'email-html', 'text'];
const MAX_DEPTH = 64;
const isArray = Array.isArray;

function fail(path: Path, message: string): never {
  throw new TactfulError('INVALID_CONFIG', `invalid prebuilt catalog: ${formatPath(path)}: ${message}`, {
    path,
  });
}

function record(v: unknown, at: Path): Data {
  if (typeof v !== 'object' || v === null || isArray(v)) fail(at, 'expected an object');
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) fail(at, 'expected a plain object');
  for (const key of Object.keys(v)) if (FORBIDDEN_KEYS.has(key)) fail([...at, key], 'key not allowed');
  return v as Data;
}

function list(v: unknown, at: Path): unknown[] {
  if (!isArray(v)) fail(at, 'expected an array');
  return v;
}

function text(v: unknown, at: Path): string {
  if (typeof v !== 'string') fail(at, 'expected a string');
  return v;
}

function texts(v: unknown, at: Path): string[] {
  const items = list(v, at);
  for (let i = 0; i < items.length; i++) text(items[i], [...at, i]);
  // A copy: what the page loaded does not change with the JSON object it came from.
  return Object.freeze(items.slice()) as string[];
}

function number(v: unknown, at: Path, integer = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v)))
    fail(at, integer ? 'expected an integer' : 'expected a finite number');
  return v;
}

function optional<T>(data: Data, key: string, at: Path, read: (v: unknown, at: Path) => T): T | undefined {
  return data[key] === undefined ? undefined : read(data[key], [...at, key]);
}

function template(v: unknown, at: Path): TemplateParts {
  const t = record(v, at);
  const context = text(t['context'], [...at, 'context']);
  const allowed = ESCAPES_OF[context];
  if (!CONTEXTS.includes(context) || allowed === undefined)
    fail([...at, 'context'], 'unknown render context');
  const statics = texts(t['texts'], [...at, 'texts']);
  const parts = list(t['parts'], [...at, 'parts']).slice();
  if (statics.length !== parts.length + 1) fail([...at, 'texts'], 'expected one more text than parts');
  for (let i = 0; i < parts.length; i++) {
    const pAt = [...at, 'parts', i];
    const part = list(parts[i], pAt);
    if (part.length !== 3) fail(pAt, 'expected [segments, fallback, escape]');
    const segments = list(part[0], [...pAt, 0]);
    if (segments.length === 0) fail([...pAt, 0], 'expected a path');
    for (let s = 0; s < segments.length; s++) {
      const segment = segments[s];
      if (typeof segment === 'string' ? FORBIDDEN_KEYS.has(segment) : !Number.isInteger(segment))
        fail([...pAt, 0, s], 'expected a property name or an array index');
    }
    if (part[1] !== null) text(part[1], [...pAt, 1]);
    if (!allowed.includes(part[2] as number)) fail([...pAt, 2], `not an escape of a ${context} template`);
    parts[i] = Object.freeze([Object.freeze(segments.slice()), part[1], part[2]]);
  }
  return Object.freeze({ context, texts: statics, parts: Object.freeze(parts) }) as TemplateParts;
}

type Node = (values: unknown) => unknown;

function content(v: unknown, at: Path): RenderableContent {
  const c = record(v, at);
  const templates = list(c['templates'], [...at, 'templates']).map((t, i) =>
    partsRenderer(template(t, [...at, 'templates', i])),
  );
  const walk = (value: unknown, vAt: Path, depth: number): { node?: Node; value: unknown } => {
    if (depth > MAX_DEPTH) fail(vAt, 'content is nested too deep');
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return { value };
    if (typeof value === 'number') return { value: number(value, vAt) };
    if (isArray(value)) {
      const items = value.map((item, i) => walk(item, [...vAt, i], depth + 1));
      if (items.every((p) => p.node === undefined))
        return { value: Object.freeze(items.map((p) => p.value)) };
      const renderers = items.map((p) => p.node ?? (() => p.value));
      return { node: (values) => renderers.map((r) => r(values)), value: undefined };
    }
    const object = record(value, vAt);
    const keys = Object.keys(object);
    if (Object.hasOwn(object, '$template')) {
      const index = object['$template'];
      const render = typeof index === 'number' ? templates[index] : undefined;
      if (keys.length !== 1 || render === undefined) fail([...vAt, '$template'], 'expected a template index');
      return { node: render, value: undefined };
    }
    const entries = keys.map((k) => [k, walk(object[k], [...vAt, k], depth + 1)] as const);
    if (entries.every(([, p]) => p.node === undefined))
      return { value: Object.freeze(Object.fromEntries(entries.map(([k, p]) => [k, p.value]))) };
    return {
      node: objectNode(entries),
      value: undefined,
    };
  };
  const root = walk(c['value'], [...at, 'value'], 0);
  const node = root.node;
  const staticValue = root.value;
  return Object.freeze({ dynamic: node !== undefined, render: node ?? (() => staticValue) });
}

function locales(v: unknown, at: Path): Map<string, RenderableContent> {
  const out = new Map<string, RenderableContent>();
  const data = record(v, at);
  for (const tag of Object.keys(data)) {
    if (tag !== tag.toLowerCase()) fail([...at, tag], 'expected a lower-cased locale tag');
    out.set(tag, content(data[tag], [...at, tag]));
  }
  return out;
}

function localizedText(v: unknown, at: Path): LocalizedText {
  const data = record(v, at);
  for (const key of Object.keys(data)) text(data[key], [...at, key]);
  return Object.freeze(data) as LocalizedText;
}

function variant(v: unknown, at: Path, regex: RegexEngine | undefined): CatalogVariant<RenderableContent> {
  const d = record(v, at);
  const when = optional(d, 'when', at, record);
  let condition: CompiledCondition | undefined;
  if (when !== undefined)
    condition = compileCondition(when, { path: [...at, 'when'], ...(regex === undefined ? {} : { regex }) });
  const weight = optional(d, 'weight', at, number);
  if (weight !== undefined && !(weight > 0)) fail([...at, 'weight'], 'expected a positive weight');
  const paths = texts(d['paths'], [...at, 'paths']);
  const namespaces = new Set<FactNamespace>();
  for (let i = 0; i < paths.length; i++) {
    const head = paths[i]!.split('.')[0] as FactNamespace;
    if (!FACT_NAMESPACES.includes(head)) fail([...at, 'paths', i], 'not a fact path');
    namespaces.add(head);
  }
  return Object.freeze({
    id: text(d['id'], [...at, 'id']),
    priority: number(d['priority'], [...at, 'priority'], true),
    weight,
    start: optional(d, 'start', at, number),
    end: optional(d, 'end', at, number),
    condition,
    content: content(d['content'], [...at, 'content']),
    locales: locales(d['locales'], [...at, 'locales']),
    topics: texts(d['topics'], [...at, 'topics']),
    purpose: optional(d, 'purpose', at, text),
    reason: optional(d, 'reason', at, localizedText),
    paths,
    namespaces,
    categories: texts(d['categories'], [...at, 'categories']),
  });
}

function slot(v: unknown, at: Path, regex: RegexEngine | undefined): CatalogSlot<RenderableContent> {
  const d = record(v, at);
  const format = text(d['format'], [...at, 'format']);
  if (!CONTEXTS.includes(format)) fail([...at, 'format'], 'unknown render context');
  const e = optional(d, 'experiment', at, record);
  let experiment: CatalogSlot['experiment'];
  if (e !== undefined) {
    const eAt = [...at, 'experiment'];
    const bucketBy = e['bucketBy'];
    if (bucketBy !== 'session' && bucketBy !== 'subject')
      fail([...eAt, 'bucketBy'], 'expected session or subject');
    const version = number(e['version'], [...eAt, 'version'], true);
    if (version < 1) fail([...eAt, 'version'], 'expected a version of 1 or more');
    experiment = Object.freeze({ id: text(e['id'], [...eAt, 'id']), version, bucketBy });
  }
  const variants = list(d['variants'], [...at, 'variants']).map((x, i) =>
    variant(x, [...at, 'variants', i], regex),
  );
  const ids = new Set(variants.map((x) => x.id));
  if (ids.size !== variants.length) fail([...at, 'variants'], 'duplicate variant id');
  return Object.freeze({
    id: text(d['id'], [...at, 'id']),
    description: optional(d, 'description', at, text),
    format: format as CatalogSlot['format'],
    defaultContent: content(d['default'], [...at, 'default']),
    defaultLocales: locales(d['locales'], [...at, 'locales']),
    variants: Object.freeze(variants),
    experiment,
  });
}

/**
 * Loads a catalog prebuilt by `compileCatalog`: checks its format, its stamp (it was not edited
 * after the build) and its shape, and compiles its conditions.
 *
 * @throws TactfulError `INVALID_CONFIG` naming the field (`path`) of a catalog that is not one, or
 *   `INVALID_CONDITION` for a condition that does not compile (a `$regex` without `regex`, say)
 */
export function loadCatalog(prebuilt: unknown, options: { regex?: RegexEngine } = {}): LoadedCatalog {
  const top = record(prebuilt, ['catalog']);
  if (top['format'] !== PREBUILT_CATALOG_FORMAT)
    fail(['catalog', 'format'], `not a prebuilt catalog of format ${PREBUILT_CATALOG_FORMAT}`);
  const body = record(top['body'], ['catalog', 'body']);
  let stamp: string;
  try {
    stamp = prebuiltStamp(body as never);
  } catch {
    fail(['catalog', 'body'], 'not plain JSON');
  }
  if (top['stamp'] !== stamp)
    fail(['catalog', 'stamp'], 'does not match the body: the catalog was edited after compileCatalog');
  const purposes = new Set(texts(body['purposes'], ['catalog', 'body', 'purposes']));
  const reads = list(body['reads'], ['catalog', 'body', 'reads']).map((r, i) => {
    const at = ['catalog', 'body', 'reads', i];
    const d = record(r, at);
    return Object.freeze({
      category: text(d['category'], [...at, 'category']),
      purpose: text(d['purpose'], [...at, 'purpose']),
    }) as CategoryRead;
  });
  const slotList = list(body['slots'], ['catalog', 'body', 'slots']);
  if (slotList.length === 0) fail(['catalog', 'body', 'slots'], 'a catalog needs at least one slot');
  const slots = new Map<string, CatalogSlot<RenderableContent>>();
  const namespaces = new Set<FactNamespace>();
  let localized = false;
  for (let s = 0; s < slotList.length; s++) {
    const loaded = slot(slotList[s], ['catalog', 'body', 'slots', s], options.regex);
    if (slots.has(loaded.id)) fail(['catalog', 'body', 'slots', s, 'id'], `duplicate slot id "${loaded.id}"`);
    slots.set(loaded.id, loaded);
    if (loaded.defaultLocales.size > 0) localized = true;
    for (const v of loaded.variants) {
      if (v.locales.size > 0) localized = true;
      for (const n of v.namespaces) namespaces.add(n);
    }
  }
  const pick = (map: ReadonlyMap<string, RenderableContent>, locale: string | undefined) => {
    if (locale === undefined || map.size === 0) return undefined;
    const tag = locale.toLowerCase();
    return map.get(tag) ?? map.get(tag.split('-')[0]!);
  };
  return Object.freeze({
    slots,
    namespaces,
    reads: Object.freeze(reads),
    categories: Object.freeze([...new Set(reads.map((r) => r.category))].sort()),
    localized,
    purposes,
    defaultContent(slotId: string, locale?: string) {
      const found = slots.get(slotId);
      if (found === undefined) return undefined;
      return (pick(found.defaultLocales, locale) ?? found.defaultContent).render(
        locale === undefined ? {} : { locale },
      );
    },
  });
}

/**
 * The dynamic-content strategy on a prebuilt catalog: the same options, selection, rendering,
 * manifest and explanations as `dynamicContent` from `@tactful/dynamic-content`, without the
 * catalog's parser and checks in the page (they ran in `compileCatalog`, at build time).
 *
 * @throws TactfulError `INVALID_OPTIONS` for bad options; `INVALID_CONFIG` for a catalog that is
 *   not a prebuilt one, or was edited after the build (see {@link loadCatalog})
 * @example
 * ```ts
 * import { dynamicContent } from '@tactful/dynamic-content/prebuilt';
 * import catalog from './catalog.prebuilt.json';
 * const content = dynamicContent({ catalog });
 * ```
 */
export function dynamicContent(options: PrebuiltDynamicContentOptions): PrebuiltDynamicContentStrategy {
  const o = checkOrThrow(checkDynamicContentOptions, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: '@tactful/dynamic-content',
  });
  const catalog = loadCatalog(o.catalog, o.regex === undefined ? {} : { regex: o.regex });
  return contentStrategy(o, catalog, (p) => catalog.purposes.has(p));
}
