import * as z from 'zod/mini';
import {
  type EventCategory,
  type EventDataByCategory,
  PageviewSchema,
  type ProfileAttributes,
  ProfileAttributesSchema,
  type ProfilePreferences,
  type PurgeOptions,
  PurchaseSchema,
  SUBJECT_LIMITS,
  type StoredEvent,
  type Cart,
  type SubjectDataExport,
  SubjectRetentionSchema,
  parseEventCategory,
  parseSubjectInput,
} from './subject-store.js';

/**
 * The options every subject store takes, whatever it stores in: its name in exports and receipts,
 * retention per category, the secret key of tombstone hashes (16+ characters) and the clock. A
 * store spreads these into its own options schema next to its connection options.
 */
export const SubjectStoreOptionsShape = {
  /** The store's name in exports and receipts. */
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  /** Retention in days per category (defaults: purchases 730, page views 90, cart 30, segments 30). */
  retention: z.optional(SubjectRetentionSchema),
  /** The secret key of tombstone hashes (at least 16 characters). */
  tombstoneKey: z.optional(z.union([z.string().check(z.minLength(16)), z.instanceof(Uint8Array)])),
  /** The clock, epoch milliseconds. Default `Date.now`. */
  now: z.optional(
    z.custom<() => number>((v) => typeof v === 'function', 'must be a function returning epoch milliseconds'),
  ),
};

const PurgeOptionsSchema = z.strictObject({
  now: z.optional(z.number().check(z.int(), z.nonnegative())),
  limit: z.optional(z.number().check(z.int(), z.positive(), z.lte(1_000_000))),
});

/**
 * Validates the options of `purgeExpired` (`INVALID_INPUT` naming `now` or `limit`), returning the
 * present (the store's clock when not given) and the batch limit (`Infinity` when not given).
 */
export function parsePurgeOptions(
  options: PurgeOptions | undefined,
  clock: () => number,
): { now: number; limit: number } {
  const parsed = parseSubjectInput(PurgeOptionsSchema, options ?? {}, ['options']);
  return { now: parsed.now ?? clock(), limit: parsed.limit ?? Number.POSITIVE_INFINITY };
}

const eventSchemas = { 'behavior.purchases': PurchaseSchema, 'behavior.pageviews': PageviewSchema } as const;

/**
 * Validates the arguments of `replaceEvents`: the category (`UNKNOWN_CATEGORY` naming `category`)
 * and the list of event data of that category (`INVALID_INPUT` or `PAYLOAD_TOO_LARGE` naming
 * `events`, at most {@link SUBJECT_LIMITS}`.maxEventsPerWrite`), before anything is written.
 */
export function parseReplacementEvents<C extends EventCategory>(
  category: C,
  events: ReadonlyArray<EventDataByCategory[C]>,
): { category: C; events: EventDataByCategory[C][] } {
  const c = parseEventCategory(category) as C;
  const schema = z
    .array(eventSchemas[c] as unknown as z.core.$ZodType<EventDataByCategory[C]>)
    .check(z.maxLength(SUBJECT_LIMITS.maxEventsPerWrite));
  return { category: c, events: parseSubjectInput(schema, events, ['events']) };
}

/**
 * The attributes after `setAttributes`: `patch` alone when `replace`, else merged over `current`;
 * the result is validated again (the merge may pass the entry limit), throwing `INVALID_INPUT`
 * naming `attributes` before anything is written.
 */
export function mergeAttributes(
  current: ProfileAttributes | undefined,
  patch: ProfileAttributes,
  replace: boolean,
): ProfileAttributes {
  const next = replace ? patch : { ...(current ?? {}), ...patch };
  parseSubjectInput(ProfileAttributesSchema, next, ['attributes']);
  return next;
}

/** A stored profile as the SQL stores keep it: preferences and attributes as JSON text, or null. */
export interface StoredProfileRow {
  preferences: string | null;
  attributes: string | null;
}

/** Reads a {@link StoredProfileRow} (absent: nothing stored). */
export function decodeProfileRow(row: StoredProfileRow | undefined): {
  preferences: ProfilePreferences | undefined;
  attributes: ProfileAttributes | undefined;
} {
  return {
    preferences: row?.preferences ? (JSON.parse(row.preferences) as ProfilePreferences) : undefined,
    attributes: row?.attributes ? (JSON.parse(row.attributes) as ProfileAttributes) : undefined,
  };
}

/** How many entries a {@link StoredProfileRow} holds (preferences and attributes count one each), as `erase` reports them. */
export function profileRowEntries(row: StoredProfileRow | undefined): number {
  return (row?.preferences ? 1 : 0) + (row?.attributes ? 1 : 0);
}

/** What one store read of a person gives, for {@link subjectExport}; absent parts are `undefined`. */
export interface SubjectExportParts {
  profile: StoredProfileRow | undefined;
  purchases: StoredEvent<'behavior.purchases'>[];
  pageviews: StoredEvent<'behavior.pageviews'>[];
  /** The cart as JSON text, or absent (none, or past retention). */
  cart: string | undefined;
  /** The segments, or absent (none, or past retention). */
  segments: { names: string[]; updatedAt: string } | undefined;
}

/** The export document of a SQL store's read of a person (one snapshot). */
export function subjectExport(parts: SubjectExportParts): SubjectDataExport {
  const { preferences, attributes } = decodeProfileRow(parts.profile);
  return {
    preferences: preferences ?? null,
    attributes: attributes ?? null,
    purchases: parts.purchases,
    pageviews: parts.pageviews,
    cart: parts.cart === undefined ? null : (JSON.parse(parts.cart) as Cart),
    segments: parts.segments
      ? { names: [...parts.segments.names], updatedAt: parts.segments.updatedAt }
      : null,
  };
}
