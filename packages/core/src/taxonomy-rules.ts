import { type Check, arr, bool, checkOrThrow, num, obj, oneOf, optional, withDefault } from './check.js';
// The origins live in a module of their own (exported from the index), so the decision path's
// output check needs none of the tables here.
import { DATA_ORIGINS } from './data-origins.js';
import { TactfulError } from './errors.js';
import { localizedText, taxonomyId } from './name-checks.js';
import { CATEGORY_FLAGS, PURPOSE_FLAGS } from './taxonomy-builtins.js';
import type { CategoryDefinition, PurposeDefinition } from './taxonomy-schema.js';
import type { TaxonomyExtension } from './taxonomy.js';

/**
 * The taxonomy's rules without the built-ins' text: what page code (a catalog's checks, a consent
 * provider) needs to know which purposes and categories exist, which are sensitive and which
 * purpose covers them, without loading the labels and descriptions that only a notice or an
 * explanation shows (those come with `createTaxonomy` in `taxonomy.ts`).
 */

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

/** A purpose as {@link TaxonomyRules} holds it: a built-in one has no text, a vendor's keeps its own. */
export type PurposeRule = Omit<PurposeDefinition, 'label' | 'description'> &
  Partial<Pick<PurposeDefinition, 'label' | 'description'>>;
/** A data category as {@link TaxonomyRules} holds it: a built-in one has no text, a vendor's keeps its own. */
export type CategoryRule = Omit<CategoryDefinition, 'label' | 'description'> &
  Partial<Pick<CategoryDefinition, 'label' | 'description'>>;

/**
 * The lookups of a taxonomy without the built-ins' text. Every `Taxonomy` is one, so code that
 * only asks which ids exist and what they allow can take either.
 */
export interface TaxonomyRules {
  readonly purposes: ReadonlyMap<string, PurposeRule>;
  readonly categories: ReadonlyMap<string, CategoryRule>;
  /** The purpose, or an `UNKNOWN_PURPOSE` error naming `where`. */
  purpose(id: string, where?: string): PurposeRule;
  /** The category, or an `UNKNOWN_CATEGORY` error naming `where`. */
  category(id: string, where?: string): CategoryRule;
  /** True when `purpose` explicitly covers sensitive `category` (P3); true for non-sensitive ones. */
  permitsCategory(purpose: string, category: string): boolean;
}

/**
 * {@link createTaxonomy} without the built-ins' labels and descriptions: the same ids, flags,
 * checks of the extensions and errors, for page code that must not carry the text. One difference:
 * an extension that redefines a built-in id is compared with the built-in's flags only (its text
 * is not here), so a redefinition that changes only a built-in's text is refused by
 * `createTaxonomy` (on the server, at registration) and not by this.
 *
 * @example
 * ```ts
 * const rules = createTaxonomyRules([{ categories: [{ id: 'loyalty.tier', label: { en: 'Loyalty tier' }, origin: 'observed' }] }]);
 * rules.permitsCategory('personalization.profile', 'health'); // false
 * ```
 */
export function createTaxonomyRules(extensions: ReadonlyArray<TaxonomyExtension> = []): TaxonomyRules {
  const purposes = PURPOSE_FLAGS.map(
    ([id, requiresConsent, explicitConsentFor, tcfPurposes, tcfSpecialFeatures]): PurposeRule =>
      Object.freeze({
        id,
        requiresConsent,
        explicitConsentFor: explicitConsentFor as string[],
        tcfPurposes: tcfPurposes as number[],
        tcfSpecialFeatures: tcfSpecialFeatures as number[],
      }),
  );
  const categories = CATEGORY_FLAGS.map(
    ([id, origin, sensitive, personal]): CategoryRule => Object.freeze({ id, sensitive, origin, personal }),
  );
  const builtins = new Set<unknown>([...purposes, ...categories]);
  return buildTaxonomy(purposes, categories, extensions, (existing, value) =>
    builtins.has(existing)
      ? flagsOf(existing) === flagsOf(value)
      : JSON.stringify(existing) === JSON.stringify(value),
  );
}

/** The flags of a rule, in a fixed order (what a text-free built-in can be compared on). */
function flagsOf(value: PurposeRule | CategoryRule): string {
  const { label: _label, description: _description, ...flags } = value;
  return JSON.stringify(
    Object.keys(flags)
      .sort()
      .map((k) => [k, (flags as Record<string, unknown>)[k]]),
  );
}

/** @internal The built-ins plus checked extensions, shared by `createTaxonomy` and {@link createTaxonomyRules}. */
export function buildTaxonomy(
  builtinPurposes: readonly PurposeRule[],
  builtinCategories: readonly CategoryRule[],
  extensions: ReadonlyArray<TaxonomyExtension>,
  isSame: (existing: PurposeRule | CategoryRule, value: PurposeRule | CategoryRule) => boolean = (a, b) =>
    JSON.stringify(a) === JSON.stringify(b),
): TaxonomyRules {
  const purposeMap = new Map<string, PurposeRule>(builtinPurposes.map((p) => [p.id, p]));
  const categoryMap = new Map<string, CategoryRule>(builtinCategories.map((c) => [c.id, c]));
  for (const ext of extensions) {
    for (const [i, raw] of (ext.purposes ?? []).entries()) {
      const p = checkOrThrow(purposeDefinition, raw, {
        code: 'INVALID_CONFIG',
        what: 'taxonomy',
        path: ['purposes', i],
      });
      addUnique(purposeMap, p, 'purpose', isSame);
    }
    for (const [i, raw] of (ext.categories ?? []).entries()) {
      const c = checkOrThrow(categoryDefinition, raw, {
        code: 'INVALID_CONFIG',
        what: 'taxonomy',
        path: ['categories', i],
      });
      addUnique(categoryMap, c, 'category', isSame);
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
  const taxonomy: TaxonomyRules = {
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

function addUnique<T extends PurposeRule | CategoryRule>(
  map: Map<string, T>,
  value: T,
  kind: string,
  isSame: (existing: T, value: T) => boolean,
): void {
  const existing = map.get(value.id);
  if (existing && !isSame(existing, value)) {
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
