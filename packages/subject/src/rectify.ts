import {
  CartSchema,
  PageviewSchema,
  PreferencesPatchSchema,
  ProfileAttributesSchema,
  PurchaseSchema,
  SUBJECT_LIMITS,
  SegmentNamesSchema,
  type SubjectStore,
  TactfulError,
  parseSubjectInput,
} from '@tactful/core';
import { z } from 'zod';

/**
 * The categories a subject store holds, and the shape a rectification of each takes:
 * `profile.preferences` a preferences patch; `profile.attributes` the full new attributes;
 * `behavior.purchases` / `behavior.pageviews` the full corrected list; `behavior.cart` the cart (or
 * `null` to clear it); `derived.segments` the corrected list of segment names.
 */
export const SUBJECT_CATEGORIES = [
  'profile.preferences',
  'profile.attributes',
  'behavior.purchases',
  'behavior.pageviews',
  'behavior.cart',
  'derived.segments',
] as const;
/** A category a subject store holds. */
export type SubjectCategory = (typeof SUBJECT_CATEGORIES)[number];

/** The schema of a rectification value, per category. */
export const RECTIFICATION_SCHEMAS = {
  'profile.preferences': PreferencesPatchSchema,
  'profile.attributes': ProfileAttributesSchema,
  'behavior.purchases': z.array(PurchaseSchema).max(SUBJECT_LIMITS.maxEventsPerWrite),
  'behavior.pageviews': z.array(PageviewSchema).max(SUBJECT_LIMITS.maxEventsPerWrite),
  'behavior.cart': z.nullable(CartSchema),
  'derived.segments': SegmentNamesSchema,
} as const;

/** True when `category` is one a subject store holds. */
export function isSubjectCategory(category: unknown): category is SubjectCategory {
  return typeof category === 'string' && (SUBJECT_CATEGORIES as readonly string[]).includes(category);
}

/**
 * Validates a rectification value for a category held by subject stores, naming `path` in errors
 * (`UNKNOWN_CATEGORY`, `INVALID_INPUT`, `PAYLOAD_TOO_LARGE`).
 */
export function parseRectification(
  category: unknown,
  value: unknown,
  path: ReadonlyArray<string | number>,
): { category: SubjectCategory; value: unknown } {
  if (!isSubjectCategory(category)) {
    throw new TactfulError(
      'UNKNOWN_CATEGORY',
      `${[...path, 'category'].join('.')}: "${String(category)}" cannot be rectified here; use one of ${SUBJECT_CATEGORIES.join(', ')}`,
      { path: [...path, 'category'] },
    );
  }
  return { category, value: parseSubjectInput(RECTIFICATION_SCHEMAS[category], value, [...path, 'value']) };
}

/** Applies one validated rectification to a subject store; the next read (and decision) sees it. */
export async function rectifySubjectStore(
  store: SubjectStore,
  subjectId: string,
  category: SubjectCategory,
  value: unknown,
  now?: number,
): Promise<void> {
  const at = now === undefined ? {} : { now };
  switch (category) {
    case 'profile.preferences':
      await store.declarePreferences(subjectId, value as z.infer<typeof PreferencesPatchSchema>);
      return;
    case 'profile.attributes':
      await store.setAttributes(subjectId, value as z.infer<typeof ProfileAttributesSchema>, {
        replace: true,
      });
      return;
    case 'behavior.purchases':
      await store.replaceEvents(
        subjectId,
        'behavior.purchases',
        value as z.infer<typeof PurchaseSchema>[],
        at,
      );
      return;
    case 'behavior.pageviews':
      await store.replaceEvents(
        subjectId,
        'behavior.pageviews',
        value as z.infer<typeof PageviewSchema>[],
        at,
      );
      return;
    case 'behavior.cart':
      await store.setCart(subjectId, value as z.infer<typeof CartSchema> | null);
      return;
    case 'derived.segments':
      await store.setSegments(subjectId, value as string[], at);
      return;
  }
}
