import { IsoDateTimeSchema } from '@tactful/core';
import { z } from 'zod';
import { RightsRequestSchema } from './export-document.js';

/** What one store or source erased. */
export const ErasedHolderSchema = z.strictObject({
  name: z.string(),
  kind: z.enum(['subject', 'consent', 'audit', 'store', 'source']),
  /** How many items it erased (0 when it held nothing, e.g. on a repeated erasure). */
  erased: z.number().int().nonnegative(),
});

/**
 * The receipt of an erasure: proof of what was erased where, which keeps no personal data (the
 * subject appears only as a keyed hash).
 */
export const ErasureReceiptSchema = z.strictObject({
  /** The receipt id (also the request id). */
  id: z.string(),
  /** HMAC-SHA-256 of the subject id under the service's key: lets the controller match a later query without keeping the id. */
  subjectHash: z.string().regex(/^[0-9a-f]{64}$/),
  request: RightsRequestSchema,
  completedAt: IsoDateTimeSchema,
  /** Per store and source, how many items went. */
  holders: z.array(ErasedHolderSchema),
  /** Total items erased by this call. */
  erased: z.number().int().nonnegative(),
  /** True when nothing was held any more (an earlier erasure ran, or nothing was ever held): erasure is idempotent. */
  alreadyErased: z.boolean(),
  /** Holders registered as unable to erase, kept with the reason given at registration. */
  retained: z.array(z.strictObject({ name: z.string(), reason: z.string() })),
});
/** The receipt of an erasure. */
export type ErasureReceipt = z.infer<typeof ErasureReceiptSchema>;

/** The receipt of a rectification. */
export const RectificationReceiptSchema = z.strictObject({
  id: z.string(),
  subjectHash: z.string().regex(/^[0-9a-f]{64}$/),
  request: RightsRequestSchema,
  completedAt: IsoDateTimeSchema,
  /** Per corrected category, the stores and sources that applied it. */
  changes: z.array(z.strictObject({ category: z.string(), holders: z.array(z.string()) })),
});
/** The receipt of a rectification. */
export type RectificationReceipt = z.infer<typeof RectificationReceiptSchema>;
