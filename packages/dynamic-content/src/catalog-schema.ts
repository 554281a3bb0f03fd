import { LocalizedTextSchema, TaxonomyIdSchema } from '@tactful/core';
import { z } from 'zod';
import { RENDER_CONTEXTS } from './template.js';

const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'use letters, digits and . _ : - only, e.g. "home.hero"');

const LocaleTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'use a BCP 47 language tag such as "vi" or "en-US"');

const Instant = z.iso.datetime({
  offset: true,
  error: 'use an ISO 8601 date-time with a zone, e.g. "2026-02-01T00:00:00+07:00"',
});

const Content = z.unknown().refine((v) => v !== undefined, 'content is required (any JSON value)');

/** When a variant may be shown: from `start` (inclusive) until `end` (exclusive), ISO 8601. */
export const ScheduleSchema = z.strictObject({ start: Instant.optional(), end: Instant.optional() });

/** One version of a slot's content and when it applies. */
export const VariantSchema = z.strictObject({
  /** Stable id, unique in its slot (reported in decisions and explanations). */
  id: Id,
  /**
   * Condition (the condition language) over the facts `segments` (segment names), `context`
   * (the contextual signal), `interests` (session interest scores), `locale`, and `data.<category>`.
   */
  when: z.record(z.string(), z.unknown()).optional(),
  /** Higher wins among the variants that apply (default 0). */
  priority: z.number().int().min(-1000).max(1000).default(0),
  /** Share in a weighted split among the applicable variants of the highest priority. */
  weight: z.number().positive().max(1_000_000).optional(),
  schedule: ScheduleSchema.optional(),
  content: Content,
  /** Content per locale (`vi`, `en-US` ...), replacing `content` when the decision's locale matches. */
  locales: z.record(LocaleTag, Content).optional(),
  /** Topics the content is about (a declared "not interested" in one removes it, P4). */
  topics: z.array(z.string().min(1).max(64)).max(20).optional(),
  /**
   * The purpose under which the variant reads `data.*` categories (default: the catalog's
   * `purpose`, else `personalization.profile`). The variant applies only when it is granted.
   */
  purpose: TaxonomyIdSchema.optional(),
  /** "Why am I seeing this?" text; a sentence is generated from what the condition reads when absent. */
  reason: LocalizedTextSchema.optional(),
});

/** The content a slot falls back to. */
export const SlotDefaultSchema = z.strictObject(
  { content: Content, locales: z.record(LocaleTag, Content).optional() },
  {
    error: (issue) =>
      issue.input === undefined ? 'every slot needs a default: add "default": { "content": ... }' : undefined,
  },
);

/** A weighted split: which stable key buckets people, and the bucket version (bump it to re-bucket). */
export const ExperimentSchema = z.strictObject({
  /** Experiment id in the hash (default: the slot id). */
  id: Id.optional(),
  /** Bucket version: changing it re-buckets everyone; nothing else does. */
  version: z.number().int().min(1).default(1),
  /**
   * `session` (default): the anonymous session id. `subject`: the person's pseudonymous id, used only
   * when its consent is granted; otherwise the split falls back to the session.
   */
  bucketBy: z.enum(['session', 'subject']).default('session'),
});

/** A place on a page or in an email, with its variants and its default. */
export const SlotSchema = z.strictObject({
  id: Id,
  description: z.string().max(500).optional(),
  /** Render context for templates in this slot's content that don't say `as` (default `text`). */
  format: z.enum(RENDER_CONTEXTS).default('text'),
  default: SlotDefaultSchema,
  variants: z.array(VariantSchema).max(64).default([]),
  experiment: ExperimentSchema.optional(),
});

/** A content catalog, as JSON integrators write it or as code. */
export const CatalogSchema = z.strictObject({
  version: z.literal(1).default(1),
  /** Default purpose of variants' `data.*` reads (default `personalization.profile`). */
  purpose: TaxonomyIdSchema.optional(),
  slots: z.array(SlotSchema).min(1, 'a catalog needs at least one slot').max(500),
});

/** A content catalog as written. */
export type CatalogInput = z.input<typeof CatalogSchema>;
/** A variant as written. */
export type VariantInput = z.input<typeof VariantSchema>;
/** A slot as written. */
export type SlotInput = z.input<typeof SlotSchema>;
