import { LocalizedTextSchema, SlotRequestSchema, TaxonomyIdSchema } from '@tactful/core';
import * as z from 'zod/mini';

/** A segment name: lowercase words joined by dashes (`loyal-customer`). */
export const SegmentNameSchema = z
  .string()
  .check(
    z.regex(/^[a-z][a-z0-9-]{0,63}$/, 'use lowercase letters, digits and dashes, e.g. "loyal-customer"'),
  );

/** A topic: lowercase words joined by dashes (`kids`, `running-shoes`). */
export const TopicSchema = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'use lowercase letters, digits and dashes, e.g. "kids"'));

/** Content a segment proposes for one slot. */
export const SegmentProposalSchema = z.object({
  slot: SlotRequestSchema.shape.id,
  content: z.unknown().check(z.refine((v) => v !== undefined, 'give the content to serve for this segment')),
  variant: z.optional(z.string().check(z.maxLength(128))),
  score: z.optional(z.number().check(z.gte(0), z.lte(1))),
  /** Why, for "Why am I seeing this?"; defaults to a sentence built from the segment's description. */
  reason: z.optional(LocalizedTextSchema),
});

/**
 * A segment: a named group defined by a condition over the data categories it reads (condition
 * language of `@tactful/core`), bound to the purpose it serves. Plain JSON.
 *
 * @example
 * ```json
 * {
 *   "name": "big-spender",
 *   "description": { "en": "Customers who spent over 5,000,000 VND in one order", "vi": "Khách hàng có đơn hàng trên 5.000.000 VND" },
 *   "condition": { "behavior.purchases": { "$elemMatch": { "amount": { "$gt": 5000000 }, "currency": "VND" } } },
 *   "proposals": [{ "slot": "home.hero", "content": { "banner": "vip" } }]
 * }
 * ```
 */
export const SegmentDefinitionSchema = z.object({
  name: SegmentNameSchema,
  /** Human description, shown in explanations ("Why am I seeing this?"). */
  description: LocalizedTextSchema,
  /** The condition over facts: categories (`behavior.purchases`), `stats.*` and `segments.memberships`. */
  condition: z.record(z.string(), z.unknown()),
  /** The purpose this segment serves (defaults to the strategy's purpose). */
  purpose: z.optional(TaxonomyIdSchema),
  /** What the segment is about: a declared "not interested" in one of them keeps the person out. */
  topics: z.optional(z.array(TopicSchema).check(z.maxLength(20))),
  /** Among segments proposing for the same slot, the highest priority wins (ties: the first written). */
  priority: z._default(z.number().check(z.int(), z.gte(-1000), z.lte(1000)), 0),
  /** Content this segment proposes per slot. */
  proposals: z.optional(z.array(SegmentProposalSchema).check(z.maxLength(100))),
});
/** A segment definition, as written. */
export type SegmentDefinitionInput = z.input<typeof SegmentDefinitionSchema>;
/** A segment definition, with defaults applied. */
export type SegmentDefinition = z.output<typeof SegmentDefinitionSchema>;
