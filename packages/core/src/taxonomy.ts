import { type Check, arr, bool, checkOrThrow, num, obj, oneOf, optional, withDefault } from './check.js';
import { TactfulError } from './errors.js';
import { localizedText, taxonomyId } from './name-checks.js';
import type {
  CategoryDefinition,
  CategoryDefinitionInput,
  PurposeDefinition,
  PurposeDefinitionInput,
} from './taxonomy-schema.js';

// The origins live in a module of their own (exported from the index), so the decision path's
// output check needs none of the tables here.
import { DATA_ORIGINS } from './data-origins.js';
import { CATEGORY_FLAGS, PURPOSE_FLAGS } from './taxonomy-builtins.js';
import { CATEGORY_TEXT, PURPOSE_TEXT } from './taxonomy-text.js';

/** A data category, checked without zod (same as `CategoryDefinitionSchema`; see `taxonomy-check.test.ts`). */
export const categoryDefinition: Check<CategoryDefinition> = /* @__PURE__ */ obj({
  id: taxonomyId,
  label: localizedText,
  description: /* @__PURE__ */ optional(localizedText),
  sensitive: /* @__PURE__ */ withDefault(bool, () => false),
  origin: /* @__PURE__ */ oneOf(DATA_ORIGINS),
  personal: /* @__PURE__ */ withDefault(bool, () => true),
}) as Check<CategoryDefinition>;

/** A purpose, checked without zod (same as `PurposeDefinitionSchema`; see `taxonomy-check.test.ts`). */
export const purposeDefinition: Check<PurposeDefinition> = /* @__PURE__ */ obj({
  id: taxonomyId,
  label: localizedText,
  description: /* @__PURE__ */ optional(localizedText),
  requiresConsent: /* @__PURE__ */ withDefault(bool, () => true),
  explicitConsentFor: /* @__PURE__ */ withDefault(/* @__PURE__ */ arr(taxonomyId), () => []),
  tcfPurposes: /* @__PURE__ */ withDefault(
    /* @__PURE__ */ arr(/* @__PURE__ */ num({ int: true, gte: 1, lte: 11 })),
    () => [],
  ),
  tcfSpecialFeatures: /* @__PURE__ */ withDefault(
    /* @__PURE__ */ arr(/* @__PURE__ */ num({ int: true, gte: 1, lte: 2 })),
    () => [],
  ),
}) as Check<PurposeDefinition>;

/** The sensitive categories of DESIGN.md P3. */
export const SENSITIVE_CATEGORIES = [
  'health',
  'finances',
  'location.precise',
  'children',
  'ethnicity',
  'religion',
  'politics',
  'sexual-life',
  'biometrics',
  'communications',
] as const;

// The built-ins are written as their flags (`taxonomy-builtins.ts`, which page code reads alone)
// joined with their text (`taxonomy-text.ts`), with the keys in the order the checks above give
// them and every default written out (`taxonomy.test.ts` proves each is what the check returns).

/** The built-in purposes. Vendors add their own through {@link createTaxonomy}. */
export const BUILTIN_PURPOSES: readonly PurposeDefinition[] = /* @__PURE__ */ Object.freeze(
  /* @__PURE__ */ PURPOSE_FLAGS.map(
    ([id, requiresConsent, explicitConsentFor, tcfPurposes, tcfSpecialFeatures], i): PurposeDefinition => {
      const [label, description] = PURPOSE_TEXT[i]!;
      return Object.freeze({
        id,
        label,
        description,
        requiresConsent,
        explicitConsentFor: explicitConsentFor as string[],
        tcfPurposes: tcfPurposes as number[],
        tcfSpecialFeatures: tcfSpecialFeatures as number[],
      });
    },
  ),
);
/** The built-in data categories. Vendors add their own through {@link createTaxonomy}. */
export const BUILTIN_CATEGORIES: readonly CategoryDefinition[] = /* @__PURE__ */ Object.freeze(
  /* @__PURE__ */ CATEGORY_FLAGS.map(
    ([id, origin, sensitive, personal], i): CategoryDefinition =>
      Object.freeze({ id, label: CATEGORY_TEXT[i]!, sensitive, origin, personal }),
  ),
);

/** Built-in purpose ids. */
export type BuiltinPurposeId =
  | 'necessary'
  | 'personalization.contextual'
  | 'personalization.profile'
  | 'personalization.session'
  | 'personalization.precise-location'
  | 'measurement'
  | 'marketing.email';

/** A lookup of purposes and categories: the built-ins plus any a configuration or plugin added. */
export interface Taxonomy {
  readonly purposes: ReadonlyMap<string, PurposeDefinition>;
  readonly categories: ReadonlyMap<string, CategoryDefinition>;
  /** The purpose, or a `UNKNOWN_PURPOSE` error naming `where`. */
  purpose(id: string, where?: string): PurposeDefinition;
  /** The category, or an `UNKNOWN_CATEGORY` error naming `where`. */
  category(id: string, where?: string): CategoryDefinition;
  /** True when `purpose` explicitly covers sensitive `category` (P3); true for non-sensitive ones. */
  permitsCategory(purpose: string, category: string): boolean;
}

/** Extra purposes and categories to add to the built-in taxonomy. */
export interface TaxonomyExtension {
  purposes?: PurposeDefinitionInput[];
  categories?: CategoryDefinitionInput[];
}

/**
 * Builds a taxonomy from the built-ins plus extensions (a configuration's, or those that plugins
 * declare in their manifests). Redefining an id differently is an error; an identical redefinition
 * is accepted, so two plugins may ship the same vendor category.
 *
 * @example
 * ```ts
 * const taxonomy = createTaxonomy([{ categories: [{ id: 'loyalty.tier', label: { en: 'Loyalty tier' }, origin: 'observed' }] }]);
 * taxonomy.category('loyalty.tier').origin; // 'observed'
 * ```
 */
export function createTaxonomy(extensions: ReadonlyArray<TaxonomyExtension> = []): Taxonomy {
  const purposeMap = new Map<string, PurposeDefinition>(BUILTIN_PURPOSES.map((p) => [p.id, p]));
  const categoryMap = new Map<string, CategoryDefinition>(BUILTIN_CATEGORIES.map((c) => [c.id, c]));
  for (const ext of extensions) {
    for (const [i, raw] of (ext.purposes ?? []).entries()) {
      const p = checkOrThrow(purposeDefinition, raw, {
        code: 'INVALID_CONFIG',
        what: 'taxonomy',
        path: ['purposes', i],
      });
      addUnique(purposeMap, p, 'purpose');
    }
    for (const [i, raw] of (ext.categories ?? []).entries()) {
      const c = checkOrThrow(categoryDefinition, raw, {
        code: 'INVALID_CONFIG',
        what: 'taxonomy',
        path: ['categories', i],
      });
      addUnique(categoryMap, c, 'category');
    }
  }
  for (const p of purposeMap.values()) {
    for (const c of p.explicitConsentFor) {
      const cat = categoryMap.get(c);
      if (!cat) {
        throw new TactfulError(
          'UNKNOWN_CATEGORY',
          `purpose "${p.id}" lists unknown category "${c}" in explicitConsentFor`,
          {
            path: ['purposes', p.id, 'explicitConsentFor'],
          },
        );
      }
    }
  }
  const taxonomy: Taxonomy = {
    purposes: purposeMap,
    categories: categoryMap,
    purpose(id, where) {
      const p = purposeMap.get(id);
      if (p) return p;
      throw new TactfulError(
        'UNKNOWN_PURPOSE',
        `${where ? `${where}: ` : ''}unknown purpose "${id}"; known purposes: ${[...purposeMap.keys()].join(', ')}`,
      );
    },
    category(id, where) {
      const c = categoryMap.get(id);
      if (c) return c;
      throw new TactfulError(
        'UNKNOWN_CATEGORY',
        `${where ? `${where}: ` : ''}unknown data category "${id}"; declare it in a taxonomy extension or use one of: ${[...categoryMap.keys()].join(', ')}`,
      );
    },
    permitsCategory(purpose, category) {
      const c = categoryMap.get(category);
      if (!c) return false;
      if (!c.sensitive) return true;
      return purposeMap.get(purpose)?.explicitConsentFor.includes(category) ?? false;
    },
  };
  return Object.freeze(taxonomy);
}

function addUnique<T extends { id: string }>(map: Map<string, T>, value: T, kind: string): void {
  const existing = map.get(value.id);
  if (existing && JSON.stringify(existing) !== JSON.stringify(value)) {
    throw new TactfulError(
      'INVALID_CONFIG',
      `${kind} "${value.id}" is defined twice with different definitions`,
      {
        path: [`${kind === 'purpose' ? 'purposes' : 'categories'}`, value.id],
      },
    );
  }
  map.set(value.id, Object.freeze(value));
}

/** The taxonomy of built-ins only. */
export const defaultTaxonomy: Taxonomy = /* @__PURE__ */ createTaxonomy();
