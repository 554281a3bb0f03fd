import type {
  CategoryDefinition,
  CategoryDefinitionInput,
  PurposeDefinition,
  PurposeDefinitionInput,
} from './taxonomy-schema.js';

import { CATEGORY_FLAGS, PURPOSE_FLAGS } from './taxonomy-builtins.js';
import { buildTaxonomy } from './taxonomy-rules.js';
import { CATEGORY_TEXT, PURPOSE_TEXT } from './taxonomy-text.js';

export { categoryDefinition, purposeDefinition } from './taxonomy-rules.js';

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
  return buildTaxonomy(BUILTIN_PURPOSES, BUILTIN_CATEGORIES, extensions) as Taxonomy;
}

/** The taxonomy of built-ins only. */
export const defaultTaxonomy: Taxonomy = /* @__PURE__ */ createTaxonomy();
