import * as z from 'zod/mini';
import { ConsentStoreOptionSchema, ProviderNameSchema, TaxonomyOptionSchema } from './options.js';

/** Options of {@link gpcConsent}. */
export const GpcConsentOptionsSchema = z.strictObject({
  /**
   * The purposes a signal denies. Default: every purpose of the taxonomy that requires consent
   * (everything except `necessary`).
   */
  purposes: z.optional(z.array(z.string())),
  /** The purposes known; default the built-in taxonomy. */
  taxonomy: z.optional(TaxonomyOptionSchema),
  /** Also honour Do-Not-Track (`DNT: 1`) as an opt-out. Default true. */
  honorDnt: z._default(z.boolean(), true),
  /**
   * When given, the opt-out of an identified person is also written to this store as `denied`
   * records with method `gpc`/`dnt` (once per change), so the history shows it. A failure to write
   * never weakens the denial.
   */
  store: z.optional(ConsentStoreOptionSchema),
  /** The plugin name. Default `gpc-consent`. */
  name: z._default(ProviderNameSchema, 'gpc-consent'),
});
/** Options of {@link gpcConsent}. */
export type GpcConsentOptions = z.input<typeof GpcConsentOptionsSchema>;
