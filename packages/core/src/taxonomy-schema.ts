import * as z from 'zod/mini';
import { TAXONOMY_ID_RULE } from './name-checks.js';
import { DATA_ORIGINS } from './data-origins.js';

/** Text a person reads, in English and (optionally) Vietnamese. */
export const LocalizedTextSchema = z.object({
  en: z.string().check(z.minLength(1)),
  vi: z.optional(z.string().check(z.minLength(1))),
});
/** Text a person reads, in English and (optionally) Vietnamese. */
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** A purpose or category id: lowercase, dot-separated words (`personalization.profile`). */
export const TaxonomyIdSchema = z.string().check(z.regex(...TAXONOMY_ID_RULE));

/** A data category: a kind of data a plugin may read. */
export const CategoryDefinitionSchema = z.object({
  id: TaxonomyIdSchema,
  label: LocalizedTextSchema,
  description: z.optional(LocalizedTextSchema),
  /** Sensitive categories sit past the "creepy line" (P3): they need explicit consent for themselves. */
  sensitive: z._default(z.boolean(), false),
  origin: z.enum(DATA_ORIGINS),
  /** Whether the category identifies or describes a person (false for e.g. the weather). */
  personal: z._default(z.boolean(), true),
});
/** A data category: a kind of data a plugin may read. */
export type CategoryDefinition = z.output<typeof CategoryDefinitionSchema>;
/** A data category as written by a vendor (defaults not yet applied). */
export type CategoryDefinitionInput = z.input<typeof CategoryDefinitionSchema>;

/** A purpose: why data is processed. Consent is given per purpose (P1). */
export const PurposeDefinitionSchema = z.object({
  id: TaxonomyIdSchema,
  label: LocalizedTextSchema,
  description: z.optional(LocalizedTextSchema),
  /** False only for `necessary`: processing the service cannot work without. Everything else is opt-in. */
  requiresConsent: z._default(z.boolean(), true),
  /**
   * Sensitive categories whose use this purpose's consent explicitly covers (P3). A rule or strategy
   * may use a sensitive category only under a purpose that lists it here.
   */
  explicitConsentFor: z._default(z.array(TaxonomyIdSchema), []),
  /** IAB TCF v2.2 purpose ids that carry this purpose. */
  tcfPurposes: z._default(z.array(z.number().check(z.int(), z.gte(1), z.lte(11))), []),
  /** IAB TCF v2.2 special feature ids (1 = precise geolocation) that carry this purpose. */
  tcfSpecialFeatures: z._default(z.array(z.number().check(z.int(), z.gte(1), z.lte(2))), []),
});
/** A purpose: why data is processed. */
export type PurposeDefinition = z.output<typeof PurposeDefinitionSchema>;
/** A purpose as written by a vendor (defaults not yet applied). */
export type PurposeDefinitionInput = z.input<typeof PurposeDefinitionSchema>;
