import { type Check, type ConsentStore, PLUGIN_NAME_RULE, type Taxonomy, custom, str } from '@tactful/core';

/**
 * The zod-free checks of the option pieces in `options.ts`, for the providers that run in a page
 * (each accepts exactly what its schema accepts; see `option-checks.test.ts`).
 */

const STORE_METHODS = ['append', 'appendAll', 'latest', 'history', 'eraseSubject', 'erasure'] as const;

/** Same as `ConsentStoreOptionSchema`. */
export const consentStoreOption: Check<ConsentStore> = /* @__PURE__ */ custom(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    STORE_METHODS.every((m) => typeof (value as unknown as Record<string, unknown>)[m] === 'function'),
  `pass a ConsentStore (memoryConsentStore(), sqliteConsentStore(...)) with ${STORE_METHODS.join(', ')}`,
);

/** Same as `TaxonomyOptionSchema`. */
export const taxonomyOption: Check<Taxonomy> = /* @__PURE__ */ custom(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    (value as Taxonomy).purposes instanceof Map &&
    typeof (value as Taxonomy).purpose === 'function',
  'pass a taxonomy made by createTaxonomy() from @tactful/core',
);

/** Same as `ProviderNameSchema`. */
export const providerName: Check<string> = /* @__PURE__ */ str({ pattern: PLUGIN_NAME_RULE });
