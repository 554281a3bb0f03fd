import { type ConsentStore, PLUGIN_NAME_RULE, type Taxonomy, TaxonomyIdSchema } from '@tactful/core';
import * as z from 'zod/mini';

const STORE_METHODS = ['append', 'appendAll', 'latest', 'history', 'eraseSubject', 'erasure'] as const;

/** A `ConsentStore` option: an object with every method of the contract. */
export const ConsentStoreOptionSchema = z.custom<ConsentStore>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    STORE_METHODS.every((m) => typeof (value as unknown as Record<string, unknown>)[m] === 'function'),
  {
    message: `pass a ConsentStore (memoryConsentStore(), sqliteConsentStore(...)) with ${STORE_METHODS.join(', ')}`,
  },
);

/** A `Taxonomy` option (from `createTaxonomy`). */
export const TaxonomyOptionSchema = z.custom<Taxonomy>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    (value as Taxonomy).purposes instanceof Map &&
    typeof (value as Taxonomy).purpose === 'function',
  { message: 'pass a taxonomy made by createTaxonomy() from @tactful/core' },
);

/**
 * The current notice: its version and, per purpose, the hash of that purpose's section (the shape
 * `noticeVersions(notice)` of `@tactful/notice` returns).
 */
export const CurrentNoticeSchema = z.object({
  version: z.string().check(z.minLength(1), z.maxLength(64)),
  purposes: z.record(TaxonomyIdSchema, z.string().check(z.minLength(8), z.maxLength(128))),
});

/** A plugin name override, npm-style (core's plugin-name rule). */
export const ProviderNameSchema = z.string().check(z.regex(...PLUGIN_NAME_RULE));
