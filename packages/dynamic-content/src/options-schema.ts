import { PluginNameSchema, RegexEngineSchema, TaxonomyIdSchema } from '@tactful/core';
import * as z from 'zod/mini';

/** Options of `dynamicContent`. */
export const DynamicContentOptionsSchema = z.strictObject({
  /** The engine of `$regex` patterns, needed when a rule has one: `plainRegex` from `@tactful/core` (plain texts, anchored bounded patterns) or `re2Regex` from `@tactful/core/regex` (any RE2 pattern). */
  regex: z.optional(RegexEngineSchema),
  /** A catalog from `parseCatalog`/`defineCatalog`, or catalog JSON (parsed here). */
  catalog: z
    .unknown()
    .check(
      z.refine(
        (v) => v !== undefined && v !== null,
        'a catalog is required: pass defineCatalog(...) or catalog JSON',
      ),
    ),
  /** Plugin name; give each instance its own (default `@tactful/dynamic-content`). */
  name: z._default(PluginNameSchema, '@tactful/dynamic-content'),
  /**
   * `web` (default) runs under `personalization.contextual`; `email` under `marketing.email`, so it
   * runs only for recipients who agreed to personalized email.
   */
  channel: z._default(z.enum(['web', 'email']), 'web'),
  /** Purposes that must all be granted for the strategy to run (overrides the channel's). */
  purposes: z.optional(z.array(TaxonomyIdSchema).check(z.minLength(1))),
  /** The purpose that must be granted to split by the person's pseudonymous id (default `measurement`). */
  subjectKeyPurpose: z._default(z.enum(['measurement', 'personalization.profile']), 'measurement'),
  /** Merge priority under the priority policy (default 0). */
  priority: z._default(z.number().check(z.int(), z.gte(-1000), z.lte(1000)), 0),
  /** `none` (default): no proposal when no variant applies; `default`: propose the slot's default with score 0. */
  fallback: z._default(z.enum(['none', 'default']), 'none'),
  timeoutMs: z.optional(z.number().check(z.int(), z.positive(), z.lte(60_000))),
});

/** Options of `dynamicContent`, as written. */
export type DynamicContentOptions = z.input<typeof DynamicContentOptionsSchema>;
