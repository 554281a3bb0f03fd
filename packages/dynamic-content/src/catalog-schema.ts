import { LocalizedTextSchema, TaxonomyIdSchema } from '@tactful/core';
import * as z from 'zod/mini';
import { CATALOG_ID_RULE, INSTANT_MESSAGE, LOCALE_TAG_RULE, SLOT_DEFAULT_MESSAGE } from './catalog-check.js';
import { RENDER_CONTEXTS } from './template.js';

const Id = z.string().check(z.minLength(1), z.maxLength(128), z.regex(...CATALOG_ID_RULE));

const LocaleTag = z.string().check(z.regex(...LOCALE_TAG_RULE));

const Instant = z.iso.datetime({
  offset: true,
  error: INSTANT_MESSAGE,
});

const Content = z.unknown().check(z.refine((v) => v !== undefined, 'content is required (any JSON value)'));

/** When a variant may be shown: from `start` (inclusive) until `end` (exclusive), ISO 8601. */
export const ScheduleSchema = z.strictObject({ start: z.optional(Instant), end: z.optional(Instant) });

/** One version of a slot's content and when it applies. */
export const VariantSchema = z.strictObject({
  /** Stable id, unique in its slot (reported in decisions and explanations). */
  id: Id,
  /**
   * Condition (the condition language) over the facts `segments` (segment names), `context`
   * (the contextual signal), `interests` (session interest scores), `locale`, and `data.<category>`.
   */
  when: z.optional(z.record(z.string(), z.unknown())),
  /** Higher wins among the variants that apply (default 0). */
  priority: z._default(z.number().check(z.int(), z.gte(-1000), z.lte(1000)), 0),
  /** Share in a weighted split among the applicable variants of the highest priority. */
  weight: z.optional(z.number().check(z.positive(), z.lte(1_000_000))),
  schedule: z.optional(ScheduleSchema),
  content: Content,
  /** Content per locale (`vi`, `en-US` ...), replacing `content` when the decision's locale matches. */
  locales: z.optional(z.record(LocaleTag, Content)),
  /** Topics the content is about (a declared "not interested" in one removes it, P4). */
  topics: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(20))),
  /**
   * The purpose under which the variant reads `data.*` categories (default: the catalog's
   * `purpose`, else `personalization.profile`). The variant applies only when it is granted.
   */
  purpose: z.optional(TaxonomyIdSchema),
  /** "Why am I seeing this?" text; a sentence is generated from what the condition reads when absent. */
  reason: z.optional(LocalizedTextSchema),
});

/** The content a slot falls back to. */
export const SlotDefaultSchema = z.strictObject(
  { content: Content, locales: z.optional(z.record(LocaleTag, Content)) },
  {
    error: (issue) => (issue.input === undefined ? SLOT_DEFAULT_MESSAGE : undefined),
  },
);

/** A weighted split: which stable key buckets people, and the bucket version (bump it to re-bucket). */
export const ExperimentSchema = z.strictObject({
  /** Experiment id in the hash (default: the slot id). */
  id: z.optional(Id),
  /** Bucket version: changing it re-buckets everyone; nothing else does. */
  version: z._default(z.number().check(z.int(), z.gte(1)), 1),
  /**
   * `session` (default): the anonymous session id. `subject`: the person's pseudonymous id, used only
   * when its consent is granted; otherwise the split falls back to the session.
   */
  bucketBy: z._default(z.enum(['session', 'subject']), 'session'),
});

/** A place on a page or in an email, with its variants and its default. */
export const SlotSchema = z.strictObject({
  id: Id,
  description: z.optional(z.string().check(z.maxLength(500))),
  /** Render context for templates in this slot's content that don't say `as` (default `text`). */
  format: z._default(z.enum(RENDER_CONTEXTS), 'text'),
  default: SlotDefaultSchema,
  variants: z._default(z.array(VariantSchema).check(z.maxLength(64)), []),
  experiment: z.optional(ExperimentSchema),
});

/** A content catalog, as JSON integrators write it or as code. */
export const CatalogSchema = z.strictObject({
  version: z._default(z.literal(1), 1),
  /** Default purpose of variants' `data.*` reads (default `personalization.profile`). */
  purpose: z.optional(TaxonomyIdSchema),
  slots: z.array(SlotSchema).check(z.minLength(1, 'a catalog needs at least one slot'), z.maxLength(500)),
});

/** A content catalog as written. */
export type CatalogInput = z.input<typeof CatalogSchema>;
/** A variant as written. */
export type VariantInput = z.input<typeof VariantSchema>;
/** A slot as written. */
export type SlotInput = z.input<typeof SlotSchema>;
