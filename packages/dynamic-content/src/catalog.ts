import {
  type CategoryRead,
  type CompiledCondition,
  compileCondition,
  createTaxonomyRules,
  formatPath,
  isTactfulError,
  type LocalizedText,
  assertSafeValue,
  checkOrThrow,
  TactfulError,
  type TactfulErrorCode,
  type TactfulIssue,
  type Taxonomy,
  type TaxonomyExtension,
  type TaxonomyRules,
  type RegexEngine,
} from '@tactful/core';
import { checkCatalog } from './catalog-check.js';
import type { CatalogInput } from './catalog-schema.js';
import { type CompiledContent, compileContent } from './content.js';
import { FACT_NAMESPACES, type FactNamespace } from './facts.js';
import type { RenderContext } from './template.js';

/** Content ready to render: compiled from a catalog, or loaded from a prebuilt one. */
export interface RenderableContent {
  /** True when some part of the content is a template. */
  readonly dynamic: boolean;
  /** The content with every template rendered with `values`. Static content is returned as is. */
  render(values: unknown): unknown;
}

/** A compiled variant. */
export interface CatalogVariant<C extends RenderableContent = CompiledContent> {
  readonly id: string;
  readonly priority: number;
  readonly weight: number | undefined;
  /** Schedule bounds, epoch milliseconds. */
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly condition: CompiledCondition | undefined;
  readonly content: C;
  /** Content per lower-cased locale tag. */
  readonly locales: ReadonlyMap<string, C>;
  readonly topics: readonly string[];
  /** The purpose its `data.*` reads serve; it applies only when granted (set when it reads data). */
  readonly purpose: string | undefined;
  readonly reason: LocalizedText | undefined;
  /** Fact paths read by its condition and templates (`segments`, `context.daypart`, `data.health.x` ...). */
  readonly paths: readonly string[];
  readonly namespaces: ReadonlySet<FactNamespace>;
  /** Data categories it reads. */
  readonly categories: readonly string[];
}

/** A compiled slot. */
export interface CatalogSlot<C extends RenderableContent = CompiledContent> {
  readonly id: string;
  readonly description: string | undefined;
  readonly format: RenderContext;
  readonly defaultContent: C;
  readonly defaultLocales: ReadonlyMap<string, C>;
  readonly variants: readonly CatalogVariant<C>[];
  /** Set when the slot splits traffic (it has an experiment, or weighted variants). */
  readonly experiment:
    | { readonly id: string; readonly version: number; readonly bucketBy: 'session' | 'subject' }
    | undefined;
}

/**
 * What the strategy reads of a catalog: a compiled {@link Catalog}, or one loaded from a prebuilt
 * catalog (`@tactful/dynamic-content/prebuilt`).
 */
export interface CatalogView<C extends RenderableContent = RenderableContent> {
  readonly slots: ReadonlyMap<string, CatalogSlot<C>>;
  /** Fact namespaces some variant reads (decides the signals the strategy declares it reads). */
  readonly namespaces: ReadonlySet<FactNamespace>;
  /** Data category reads, each with its purpose (becomes the strategy manifest's `reads`). */
  readonly reads: readonly CategoryRead[];
  /** Every category some variant reads. */
  readonly categories: readonly string[];
  /** True when some slot or variant has locale versions (the strategy then reads `context.locale`). */
  readonly localized: boolean;
  /** The slot's default content rendered for `locale` (for request defaults and non-personalized email). */
  defaultContent(slotId: string, locale?: string): unknown;
}

/** A content catalog, validated and compiled once: conditions and templates are ready to run. */
export interface Catalog extends CatalogView<CompiledContent> {
  /** The taxonomy's rules the catalog was checked against (ids, flags, `permitsCategory`); a taxonomy passed in as `options.taxonomy` is kept as given. */
  readonly taxonomy: TaxonomyRules;
}

/** Options of {@link parseCatalog} and {@link defineCatalog}. */
export interface CatalogOptions {
  /** Purposes and categories beyond the built-ins (or a taxonomy already built). */
  taxonomy?: TaxonomyExtension | Taxonomy;
  /** The engine of `$regex` patterns, needed when a rule has one: `plainRegex` from `@tactful/core` (plain texts, anchored bounded patterns) or `re2Regex` from `@tactful/core/regex` (any RE2 pattern). */
  regex?: RegexEngine;
}

const BRAND = Symbol.for('tactful.dynamic-content.catalog');
const CODE_ORDER: TactfulErrorCode[] = [
  'SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT',
  'UNKNOWN_CATEGORY',
  'UNKNOWN_PURPOSE',
  'INVALID_CONDITION',
  'INVALID_CONFIG',
];

/** True for a catalog made by {@link parseCatalog} or {@link defineCatalog}. */
export function isCatalog(value: unknown): value is Catalog {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * Parses a content catalog from JSON (a string or an already-parsed value): validates it, compiles
 * every condition and template once, derives the signals and categories it reads, and rejects a
 * variant that uses a sensitive category without a purpose giving explicit consent for it (P3).
 * Every problem is reported at once, each with its path.
 *
 * @throws TactfulError `INVALID_CONFIG`, `INVALID_CONDITION`, `UNKNOWN_CATEGORY`, `UNKNOWN_PURPOSE` or
 *   `SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT`, with `issues` listing every problem
 * @example
 * ```ts
 * const catalog = parseCatalog(await readFile('catalog.json', 'utf8'));
 * ```
 */
export function parseCatalog(json: unknown, options: CatalogOptions = {}): Catalog {
  let input = json;
  if (typeof json === 'string') {
    try {
      input = JSON.parse(json);
    } catch (error) {
      throw new TactfulError('INVALID_CONFIG', `catalog is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return compileCatalog(input, options);
}

/**
 * Defines a content catalog in code (typed), with the same checks as {@link parseCatalog}.
 *
 * @example
 * ```ts
 * const catalog = defineCatalog({
 *   slots: [{
 *     id: 'home.hero',
 *     default: { content: { title: 'New this week' } },
 *     variants: [
 *       { id: 'kids', when: { 'interests.kids': { $gte: 0.5 } }, content: { title: 'For little explorers' } },
 *       { id: 'evening', when: { 'context.daypart': 'evening' }, content: { title: 'Tonight only' }, locales: { vi: { title: 'Chỉ tối nay' } } },
 *     ],
 *   }],
 * });
 * ```
 */
export function defineCatalog(input: CatalogInput, options: CatalogOptions = {}): Catalog {
  return compileCatalog(input, options);
}

function isTaxonomy(value: unknown): value is Taxonomy {
  return (
    typeof value === 'object' && value !== null && typeof (value as Taxonomy).permitsCategory === 'function'
  );
}

function compileCatalog(input: unknown, options: CatalogOptions): Catalog {
  // Before zod, which would turn a "__proto__" key into a prototype and drop it (a variant `when`
  // of `{}` matches everyone).
  assertSafeValue(input, { code: 'INVALID_CONFIG', what: 'catalog' });
  const parsed = checkOrThrow(checkCatalog, input, { code: 'INVALID_CONFIG', what: 'catalog' });
  const taxonomy = isTaxonomy(options.taxonomy)
    ? options.taxonomy
    : createTaxonomyRules(options.taxonomy ? [options.taxonomy] : []);
  const categoryIds = [...taxonomy.categories.keys()].map((id) => `data.${id}`);
  const issues: Array<TactfulIssue & { code: TactfulErrorCode }> = [];
  const add = (code: TactfulErrorCode, path: ReadonlyArray<string | number>, message: string) =>
    issues.push({ code, path, message });
  const catalogPurpose = parsed.purpose ?? 'personalization.profile';
  if (parsed.purpose !== undefined && !taxonomy.purposes.has(parsed.purpose)) {
    add('UNKNOWN_PURPOSE', ['purpose'], `unknown purpose "${parsed.purpose}"`);
  }
  const slots = new Map<string, CatalogSlot>();
  const namespaces = new Set<FactNamespace>();
  const reads = new Map<string, CategoryRead>();
  parsed.slots.forEach((slot, s) => {
    const slotPath = ['slots', s];
    if (slots.has(slot.id))
      add('INVALID_CONFIG', [...slotPath, 'id'], `duplicate slot id "${slot.id}": slot ids must be unique`);
    const contentIssues: TactfulIssue[] = [];
    const defaultContent = compileContent(
      slot.default.content,
      slot.format,
      [...slotPath, 'default', 'content'],
      contentIssues,
    );
    const defaultLocales = new Map<string, CompiledContent>();
    for (const [tag, value] of Object.entries(slot.default.locales ?? {})) {
      defaultLocales.set(
        tag.toLowerCase(),
        compileContent(value, slot.format, [...slotPath, 'default', 'locales', tag], contentIssues),
      );
    }
    for (const c of [defaultContent, ...defaultLocales.values()]) {
      for (const t of c.templates) {
        for (const p of t.paths) {
          if (!p.startsWith('locale')) {
            add(
              'INVALID_CONFIG',
              [...slotPath, 'default'],
              `slot "${slot.id}": default content is never personalized, so its templates may read only "locale", not "${p}"`,
            );
          }
        }
      }
    }
    const variantIds = new Set<string>();
    const variants: CatalogVariant[] = [];
    slot.variants.forEach((variant, v) => {
      const vPath = [...slotPath, 'variants', v];
      const label = `slot "${slot.id}" variant "${variant.id}"`;
      if (variantIds.has(variant.id))
        add('INVALID_CONFIG', [...vPath, 'id'], `${label}: duplicate variant id in this slot`);
      variantIds.add(variant.id);
      const start = variant.schedule?.start === undefined ? undefined : Date.parse(variant.schedule.start);
      const end = variant.schedule?.end === undefined ? undefined : Date.parse(variant.schedule.end);
      if (start !== undefined && end !== undefined && end <= start) {
        add(
          'INVALID_CONFIG',
          [...vPath, 'schedule', 'end'],
          `${label}: schedule ends (${variant.schedule?.end}) before it starts (${variant.schedule?.start})`,
        );
      }
      let condition: CompiledCondition | undefined;
      const paths: string[] = [];
      if (variant.when !== undefined) {
        try {
          condition = compileCondition(variant.when, {
            categories: categoryIds,
            path: [...vPath, 'when'],
            ...(options.regex === undefined ? {} : { regex: options.regex }),
          });
          paths.push(...condition.paths);
          // The decision's locale is a language code ("vi"): a region or capitals never match.
          for (const [at, tag] of localeLiterals(variant.when, [...vPath, 'when']))
            if (tag !== tag.split(/[-_]/)[0]!.toLowerCase())
              add(
                'INVALID_CONDITION',
                at,
                `${label}: "${tag}" can never match: conditions see the locale as a lowercase language code; write "${tag.split(/[-_]/)[0]!.toLowerCase()}"`,
              );
        } catch (error) {
          if (!isTactfulError(error)) throw error;
          add('INVALID_CONDITION', error.path ?? [...vPath, 'when'], `${label}: ${error.message}`);
        }
      }
      const content = compileContent(variant.content, slot.format, [...vPath, 'content'], contentIssues);
      const locales = new Map<string, CompiledContent>();
      for (const [tag, value] of Object.entries(variant.locales ?? {})) {
        locales.set(
          tag.toLowerCase(),
          compileContent(value, slot.format, [...vPath, 'locales', tag], contentIssues),
        );
      }
      for (const c of [content, ...locales.values()])
        for (const t of c.templates) paths.push(...t.paths.map(templatePathToDotted));
      const variantNamespaces = new Set<FactNamespace>();
      const categories = new Set<string>();
      for (const p of new Set(paths)) {
        const head = p.split('.')[0] as FactNamespace;
        if (!FACT_NAMESPACES.includes(head)) {
          add(
            'INVALID_CONFIG',
            vPath,
            `${label} reads "${p}": paths start with ${FACT_NAMESPACES.join(', ')} (data.<category>)`,
          );
          continue;
        }
        variantNamespaces.add(head);
        if (head === 'data') {
          const category = longestCategory(p, categoryIds);
          if (category === undefined) {
            add(
              'UNKNOWN_CATEGORY',
              vPath,
              `${label} reads "${p}", which is in no known data category; declare the category in the taxonomy`,
            );
          } else categories.add(category.slice('data.'.length));
        }
      }
      const purpose = categories.size > 0 ? (variant.purpose ?? catalogPurpose) : undefined;
      if (purpose !== undefined && !taxonomy.purposes.has(purpose)) {
        add('UNKNOWN_PURPOSE', [...vPath, 'purpose'], `${label}: unknown purpose "${purpose}"`);
      } else if (purpose !== undefined) {
        for (const category of categories) {
          const definition = taxonomy.categories.get(category);
          if (definition?.sensitive && !taxonomy.permitsCategory(purpose, category)) {
            add(
              'SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT',
              vPath,
              `${label} uses sensitive category "${category}" without explicit consent: purpose "${purpose}" does not list it in explicitConsentFor; set the variant's "purpose" to one that does, or remove the condition`,
            );
          }
          reads.set(`${category}\u0000${purpose}`, { category, purpose });
        }
      }
      for (const n of variantNamespaces) namespaces.add(n);
      variants.push(
        Object.freeze({
          id: variant.id,
          priority: variant.priority,
          weight: variant.weight,
          start,
          end,
          condition,
          content,
          locales,
          topics: Object.freeze([...(variant.topics ?? [])]),
          purpose,
          reason: variant.reason,
          paths: Object.freeze([...new Set(paths)]),
          namespaces: variantNamespaces,
          categories: Object.freeze([...categories].sort()),
        }),
      );
    });
    for (const issue of contentIssues)
      add('INVALID_CONFIG', issue.path, `slot "${slot.id}": ${issue.message}`);
    const weighted = variants.some((v) => v.weight !== undefined);
    const experiment =
      slot.experiment !== undefined || weighted
        ? Object.freeze({
            id: slot.experiment?.id ?? slot.id,
            version: slot.experiment?.version ?? 1,
            bucketBy: slot.experiment?.bucketBy ?? ('session' as const),
          })
        : undefined;
    if (!slots.has(slot.id)) {
      slots.set(
        slot.id,
        Object.freeze({
          id: slot.id,
          description: slot.description,
          format: slot.format,
          defaultContent,
          defaultLocales,
          variants: Object.freeze(variants),
          experiment,
        }),
      );
    }
  });
  if (issues.length > 0) {
    const code = CODE_ORDER.find((c) => issues.some((i) => i.code === c)) ?? 'INVALID_CONFIG';
    const list = issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
    throw new TactfulError(code, `invalid catalog: ${list}`, {
      issues: issues.map(({ path, message }) => ({ path, message })),
      ...(issues[0] ? { path: issues[0].path } : {}),
    });
  }
  const localized = [...slots.values()].some(
    (sl) => sl.defaultLocales.size > 0 || sl.variants.some((v) => v.locales.size > 0),
  );
  const allCategories = [...new Set([...reads.values()].map((r) => r.category))].sort();
  const catalog: Catalog = {
    slots,
    namespaces,
    reads: Object.freeze([...reads.values()].map((r) => Object.freeze(r))),
    categories: Object.freeze(allCategories),
    localized,
    taxonomy,
    defaultContent(slotId, locale) {
      const slot = slots.get(slotId);
      if (slot === undefined) return undefined;
      const localized = pickLocale(slot.defaultLocales, locale) ?? slot.defaultContent;
      return localized.render(locale === undefined ? {} : { locale });
    },
  };
  Object.defineProperty(catalog, BRAND, { value: true });
  return Object.freeze(catalog);
}

/** `slots["email.hero"].title` → `slots.email.hero.title` (for namespace and category matching). */
function templatePathToDotted(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1').replace(/\["((?:[^"\\]|\\.)*)"\]/g, (_, s: string) => `.${s}`);
}

function longestCategory(path: string, categories: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const c of categories) {
    if ((path === c || path.startsWith(`${c}.`)) && (best === undefined || c.length > best.length)) best = c;
  }
  return best;
}

/** The content for `locale`: an exact tag, else its language (`vi-VN` → `vi`). */
export function pickLocale<C extends RenderableContent>(
  locales: ReadonlyMap<string, C>,
  locale: string | undefined,
): C | undefined {
  if (locale === undefined || locales.size === 0) return undefined;
  const tag = locale.toLowerCase();
  return locales.get(tag) ?? locales.get(tag.split('-')[0]!);
}

/** The strings a condition compares `locale` with, and where they are. */
function localeLiterals(
  when: unknown,
  path: ReadonlyArray<string | number>,
): Array<[Array<string | number>, string]> {
  const found: Array<[Array<string | number>, string]> = [];
  const strings = (value: unknown, at: Array<string | number>): void => {
    if (typeof value === 'string') found.push([at, value]);
    else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) strings(value[i], [...at, i]);
    else if (typeof value === 'object' && value !== null)
      for (const [op, v] of Object.entries(value)) if (op !== '$regex') strings(v, [...at, op]);
  };
  const walk = (node: unknown, at: Array<string | number>): void => {
    if (Array.isArray(node)) for (let i = 0; i < node.length; i++) walk(node[i], [...at, i]);
    else if (typeof node === 'object' && node !== null)
      for (const [key, value] of Object.entries(node)) {
        if (key === 'locale') strings(value, [...at, key]);
        else if (key.startsWith('$')) walk(value, [...at, key]);
      }
  };
  walk(when, [...path]);
  return found;
}
