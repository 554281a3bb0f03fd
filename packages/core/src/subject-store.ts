import type { Awaitable } from './awaitable.js';
import * as z from 'zod/mini';
import { assertSafeObject } from './consent-record.js';
import { SubjectSchema } from './context-schema.js';
import { TactfulError, formatPath } from './errors.js';
import { parseOrThrow } from './validation.js';
import { hmacSha256Hex } from './sha256.js';

/** Size caps on what a person's data may hold; bigger writes fail with `PAYLOAD_TOO_LARGE` or `INVALID_INPUT`. */
export const SUBJECT_LIMITS = Object.freeze({
  /** Largest JSON size of one write (a preference update, a batch of events, a cart), in bytes. */
  maxWriteBytes: 64 * 1024,
  /** Most entries in `interests`, `notInterested`, and in a segment list. */
  maxTopics: 200,
  /** Most survey/quiz answers and most profile attributes. */
  maxEntries: 200,
  /** Most events in one `recordEvents` call. */
  maxEventsPerWrite: 500,
  /** Most items in a cart. */
  maxCartItems: 200,
  /** Longest string value. */
  maxString: 2048,
});

/** A pseudonymous subject id (the same rule as a decision request's `subject.id`). */
export const SubjectIdSchema = SubjectSchema.shape.id;

const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

const Str = z.string().check(z.maxLength(SUBJECT_LIMITS.maxString));
const Key = z.string().check(
  z.minLength(1),
  z.maxLength(128),
  z.refine((k) => !FORBIDDEN_KEYS.includes(k), 'this key is reserved; choose another name'),
);
/** A topic: `kids`, `running-shoes`. Lowercase words. */
export const TopicSchema = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(
      /^[\p{Ll}\p{Lo}\p{N}][\p{Ll}\p{Lo}\p{N}\p{M} ._-]*$/u,
      'use a lowercase topic such as "kids" or "running-shoes"',
    ),
  );
const Topics = z.array(TopicSchema).check(z.maxLength(SUBJECT_LIMITS.maxTopics));
/** An ISO 8601 date-time with an offset (`2026-03-01T09:30:00Z`). */
export const IsoDateTimeSchema = z.iso.datetime({ offset: true });

/** One survey or quiz answer. */
export const AnswerValueSchema = z.union([
  Str,
  z.number(),
  z.boolean(),
  z.array(Str).check(z.maxLength(100)),
]);
const maxEntries = (r: Record<string, unknown>) => Object.keys(r).length <= SUBJECT_LIMITS.maxEntries;

/** Zero-party data (category `profile.preferences`): what the person declared. */
export const ProfilePreferencesSchema = z.strictObject({
  /** Topics the person said they like. */
  interests: Topics,
  /** Topics the person said they do NOT want; inference must never override these (P4). */
  notInterested: Topics,
  /** Preference-center, quiz and survey answers, by question id. */
  answers: z
    .record(Key, AnswerValueSchema)
    .check(z.refine(maxEntries, `at most ${SUBJECT_LIMITS.maxEntries} answers`)),
});
/** Zero-party data: what the person declared. */
export type ProfilePreferences = z.infer<typeof ProfilePreferencesSchema>;

/** A change to the declared preferences: lists given replace the stored ones; an answer set to `null` is removed. */
export const PreferencesPatchSchema = z.strictObject({
  interests: z.optional(Topics),
  notInterested: z.optional(Topics),
  answers: z.optional(
    z
      .record(Key, z.nullable(AnswerValueSchema))
      .check(z.refine(maxEntries, `at most ${SUBJECT_LIMITS.maxEntries} answers`)),
  ),
});
/** A change to the declared preferences. */
export type PreferencesPatch = z.infer<typeof PreferencesPatchSchema>;

/** Declared profile details (category `profile.attributes`). */
export const ProfileAttributesSchema = z
  .record(Key, z.union([Str, z.number(), z.boolean(), z.null()]))
  .check(z.refine(maxEntries, `at most ${SUBJECT_LIMITS.maxEntries} attributes`));
/** Declared profile details. */
export type ProfileAttributes = z.infer<typeof ProfileAttributesSchema>;

/** One purchase (category `behavior.purchases`). */
export const PurchaseSchema = z.strictObject({
  at: IsoDateTimeSchema,
  orderId: z.optional(Str),
  productId: z.optional(Str),
  amount: z.optional(z.number().check(z.nonnegative())),
  currency: z.optional(z.string().check(z.regex(/^[A-Z]{3}$/, 'use an ISO 4217 code such as "VND"'))),
  topics: z.optional(z.array(TopicSchema).check(z.maxLength(20))),
});
/** One purchase. */
export type Purchase = z.infer<typeof PurchaseSchema>;

/** One page or product view, with time on page (category `behavior.pageviews`). */
export const PageviewSchema = z.strictObject({
  at: IsoDateTimeSchema,
  url: z.optional(Str),
  productId: z.optional(Str),
  topics: z.optional(z.array(TopicSchema).check(z.maxLength(20))),
  durationMs: z.optional(z.number().check(z.int(), z.nonnegative(), z.lte(86_400_000))),
});
/** One page or product view. */
export type Pageview = z.infer<typeof PageviewSchema>;

/** The shopping cart (category `behavior.cart`). */
export const CartSchema = z.strictObject({
  items: z
    .array(
      z.strictObject({
        productId: Str,
        topics: z.optional(z.array(TopicSchema).check(z.maxLength(20))),
        addedAt: IsoDateTimeSchema,
      }),
    )
    .check(z.maxLength(SUBJECT_LIMITS.maxCartItems)),
  updatedAt: IsoDateTimeSchema,
});
/** The shopping cart. */
export type Cart = z.infer<typeof CartSchema>;

/** Segment memberships (category `derived.segments`). */
export const SegmentNamesSchema = z
  .array(z.string().check(z.minLength(1), z.maxLength(128)))
  .check(z.maxLength(SUBJECT_LIMITS.maxTopics));

/** Categories whose first-party data arrives as events. */
export const EVENT_CATEGORIES = ['behavior.purchases', 'behavior.pageviews'] as const;
/** A category whose data arrives as events. */
export type EventCategory = (typeof EVENT_CATEGORIES)[number];
/** The event shape of each event category. */
export interface EventDataByCategory {
  'behavior.purchases': Purchase;
  'behavior.pageviews': Pageview;
}

/** A first-party event to record. `id` makes recording idempotent: an id seen before is ignored. */
export const SubjectEventInputSchema = z.discriminatedUnion('category', [
  z.strictObject({
    id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    category: z.literal('behavior.purchases'),
    data: PurchaseSchema,
  }),
  z.strictObject({
    id: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    category: z.literal('behavior.pageviews'),
    data: PageviewSchema,
  }),
]);
/** A first-party event to record. */
export type SubjectEventInput = z.infer<typeof SubjectEventInputSchema>;

/** A stored event, as listed and exported. */
export interface StoredEvent<C extends EventCategory = EventCategory> {
  id: string;
  category: C;
  /** When the store received it (ISO 8601). */
  receivedAt: string;
  data: EventDataByCategory[C];
}

/** Categories kept with a retention period, and their defaults in days. */
export const DEFAULT_SUBJECT_RETENTION = Object.freeze({
  'behavior.purchases': 730,
  'behavior.pageviews': 90,
  'behavior.cart': 30,
  'derived.segments': 30,
});
/** Retention in days per category; data older than this is neither returned nor kept. */
export type SubjectRetention = { -readonly [K in keyof typeof DEFAULT_SUBJECT_RETENTION]: number };
/** Retention settings, validated. */
export const SubjectRetentionSchema = z.strictObject({
  'behavior.purchases': z.optional(z.number().check(z.int(), z.positive(), z.lte(36_500))),
  'behavior.pageviews': z.optional(z.number().check(z.int(), z.positive(), z.lte(36_500))),
  'behavior.cart': z.optional(z.number().check(z.int(), z.positive(), z.lte(36_500))),
  'derived.segments': z.optional(z.number().check(z.int(), z.positive(), z.lte(36_500))),
});

/** The retention of every category: the defaults, overridden by `overrides` where given. */
export function resolveRetention(
  overrides: Partial<Record<keyof SubjectRetention, number | undefined>> = {},
): Readonly<SubjectRetention> {
  const out: SubjectRetention = { ...DEFAULT_SUBJECT_RETENTION };
  for (const k of Object.keys(out) as Array<keyof SubjectRetention>) {
    const v = overrides[k];
    if (v !== undefined) out[k] = v;
  }
  return Object.freeze(out);
}

/** What `recordEvents` did with a batch. */
export interface IngestResult {
  accepted: number;
  /** Events whose `id` was already stored (a replay): ignored. */
  duplicates: number;
  /** Events already past their category's retention: not stored. */
  expired: number;
  /** Events for an erased subject (a tombstone exists): dropped. */
  droppedErased: number;
}

/** Everything one subject store holds about a person, as exported. */
export const SubjectDataExportSchema = z.strictObject({
  preferences: z.nullable(ProfilePreferencesSchema),
  attributes: z.nullable(ProfileAttributesSchema),
  purchases: z.array(
    z.strictObject({
      id: z.string(),
      receivedAt: IsoDateTimeSchema,
      category: z.literal('behavior.purchases'),
      data: PurchaseSchema,
    }),
  ),
  pageviews: z.array(
    z.strictObject({
      id: z.string(),
      receivedAt: IsoDateTimeSchema,
      category: z.literal('behavior.pageviews'),
      data: PageviewSchema,
    }),
  ),
  cart: z.nullable(CartSchema),
  segments: z.nullable(z.strictObject({ names: SegmentNamesSchema, updatedAt: IsoDateTimeSchema })),
});
/** Everything one subject store holds about a person. */
export type SubjectDataExport = z.infer<typeof SubjectDataExportSchema>;

/** Options of reads and writes that depend on the time (retention). */
export interface AtTime {
  /** The present, epoch milliseconds (default: the store's clock). */
  now?: number;
}

/**
 * Options of `purgeExpired`: the present, and the most items one call deletes (`limit`, a positive
 * integer up to 1,000,000), so a scheduled purge works in bounded batches that never hold the
 * database (or the event loop) for long. Without `limit`, everything past retention goes at once.
 */
export interface PurgeOptions extends AtTime {
  /** The most items deleted by this call; when it deletes exactly this many, more may be left. */
  limit?: number;
}

/**
 * Anything that holds data about a person and takes part in their rights (P6): an audit log, a CRM
 * mirror, a subject store. The rights service exports from every registered holder and erases from
 * each; a holder without `erase` must be explicitly allowed to retain data at registration.
 */
export interface SubjectDataHolder {
  /** A unique name, shown in exports and receipts. */
  readonly name: string;
  /** What kind of data it holds, for the export document (default `store`). */
  readonly kind?: 'subject' | 'audit' | 'store';
  /** Everything held about the subject, as JSON. */
  exportSubject?(subjectId: string): Promise<unknown>;
  /** Erases everything held about the subject; returns how many items went. Idempotent. */
  erase?(subjectId: string): Promise<{ erased: number }>;
}

/**
 * The contract of a store of a person's zero-party and first-party data. Every implementation
 * (in-memory, SQLite ...) passes `describeSubjectStoreConformance` from `@tactful/testing`.
 *
 * Every method validates its input and throws a `TactfulError` naming the field (`INVALID_INPUT`,
 * `UNKNOWN_CATEGORY`, `PAYLOAD_TOO_LARGE`) before anything is written; a failed write changes nothing.
 * After `erase`, a keyed-hash tombstone remains: observed and derived writes for that subject
 * (events, cart, segments) are dropped, so replayed pipelines cannot bring the data back.
 */
export interface SubjectStore extends SubjectDataHolder {
  readonly kind: 'subject';
  /** Retention in days per category. */
  readonly retention: Readonly<SubjectRetention>;
  /**
   * The declared preferences. Like every read of this contract, it may answer with the value
   * itself when the store holds it without waiting (the in-memory store, a current read cache);
   * callers await it either way. Bad input rejects (never throws synchronously).
   */
  getPreferences(subjectId: string): Awaitable<ProfilePreferences | undefined>;
  /** Applies a declared change; a topic declared in one list leaves the other. Returns the result. */
  declarePreferences(subjectId: string, patch: PreferencesPatch): Promise<ProfilePreferences>;
  getAttributes(subjectId: string): Awaitable<ProfileAttributes | undefined>;
  /** Merges attributes (or replaces them all with `replace: true`). Returns the result. */
  setAttributes(
    subjectId: string,
    attributes: ProfileAttributes,
    options?: { replace?: boolean },
  ): Promise<ProfileAttributes>;
  /** Records first-party events, all or nothing. */
  recordEvents(
    subjectId: string,
    events: ReadonlyArray<SubjectEventInput>,
    options?: AtTime,
  ): Promise<IngestResult>;
  /** Events of a category still within retention, oldest first. */
  listEvents<C extends EventCategory>(
    subjectId: string,
    category: C,
    options?: AtTime,
  ): Awaitable<StoredEvent<C>[]>;
  /** Replaces all events of a category (rectification). Returns how many are stored now. */
  replaceEvents<C extends EventCategory>(
    subjectId: string,
    category: C,
    events: ReadonlyArray<EventDataByCategory[C]>,
    options?: AtTime,
  ): Promise<number>;
  /** The cart, unless older than retention. */
  getCart(subjectId: string, options?: AtTime): Awaitable<Cart | undefined>;
  /** Stores (or with `null` clears) the cart; false when dropped because the subject was erased. */
  setCart(subjectId: string, cart: Cart | null): Promise<boolean>;
  /** Stored segment memberships, unless older than retention. */
  getSegments(subjectId: string, options?: AtTime): Awaitable<string[] | undefined>;
  /** Stores segment memberships; false when dropped because the subject was erased. */
  setSegments(subjectId: string, names: ReadonlyArray<string>, options?: AtTime): Promise<boolean>;
  /**
   * Deletes what is past retention, for every subject: everything, or at most `limit` items
   * (oldest categories first is not promised; call again while `removed === limit`). Returns how
   * many items went. Idempotent and safe to run from several processes at once: an item already
   * deleted by another purge is simply not counted. A bad `limit` rejects with `INVALID_INPUT`.
   */
  purgeExpired(options?: PurgeOptions): Promise<{ removed: number }>;
  exportSubject(subjectId: string): Promise<SubjectDataExport>;
  erase(subjectId: string): Promise<{ erased: number }>;
  /** True when the subject was erased (a tombstone exists). */
  isErased(subjectId: string): Promise<boolean>;
}

/** An empty export (nothing held). */
export function emptySubjectData(): SubjectDataExport {
  return { preferences: null, attributes: null, purchases: [], pageviews: [], cart: null, segments: null };
}

/** True when a subject export holds nothing. */
export function isSubjectDataEmpty(data: SubjectDataExport): boolean {
  return (
    data.preferences === null &&
    data.attributes === null &&
    data.purchases.length === 0 &&
    data.pageviews.length === 0 &&
    data.cart === null &&
    data.segments === null
  );
}

/**
 * Validates untrusted input for a subject store: a safe-keys check (`__proto__`, `constructor`,
 * `prototype` are refused: a parser may silently drop them, hiding the attempt), a size cap, then the schema.
 * Throws `INVALID_INPUT` (or `PAYLOAD_TOO_LARGE`) naming the field, before anything is written.
 */
export function parseSubjectInput<S extends z.core.$ZodType>(
  schema: S,
  value: unknown,
  path: ReadonlyArray<string | number>,
): z.output<S> {
  assertSafeObject(value, formatPath(path), [...path]);
  let size = 0;
  try {
    size = new TextEncoder().encode(JSON.stringify(value) ?? '').length;
  } catch (cause) {
    throw new TactfulError('INVALID_INPUT', `${formatPath(path)}: must be plain JSON data`, { path, cause });
  }
  if (size > SUBJECT_LIMITS.maxWriteBytes) {
    throw new TactfulError(
      'PAYLOAD_TOO_LARGE',
      `${formatPath(path)}: ${size} bytes is over the limit of ${SUBJECT_LIMITS.maxWriteBytes}; send smaller batches`,
      { path },
    );
  }
  return parseOrThrow(schema, value, { code: 'INVALID_INPUT', what: formatPath(path), path });
}

/**
 * Validates a batch of events for `recordEvents`: an unknown category throws `UNKNOWN_CATEGORY`
 * naming `events[i].category`; everything else as {@link parseSubjectInput}.
 */
export function parseSubjectEvents(events: unknown): SubjectEventInput[] {
  if (Array.isArray(events)) {
    events.forEach((e, i) => {
      const category =
        e !== null && typeof e === 'object' ? (e as { category?: unknown }).category : undefined;
      parseEventCategory(category, ['events', i, 'category']);
    });
  }
  return parseSubjectInput(
    z.array(SubjectEventInputSchema).check(z.maxLength(SUBJECT_LIMITS.maxEventsPerWrite)),
    events,
    ['events'],
  );
}

/** Validates a subject id, throwing `INVALID_INPUT` naming the `subjectId` field. */
export function parseSubjectId(subjectId: unknown): string {
  return parseOrThrow(SubjectIdSchema, subjectId, {
    code: 'INVALID_INPUT',
    what: 'subjectId',
    path: ['subjectId'],
  });
}

/** Validates an event category, throwing `UNKNOWN_CATEGORY` naming the field. */
export function parseEventCategory(
  category: unknown,
  path: ReadonlyArray<string | number> = ['category'],
): EventCategory {
  if (typeof category === 'string' && (EVENT_CATEGORIES as readonly string[]).includes(category))
    return category as EventCategory;
  throw new TactfulError(
    'UNKNOWN_CATEGORY',
    `${formatPath(path)}: "${String(category)}" is not an event category; use one of ${EVENT_CATEGORIES.join(', ')}`,
    { path },
  );
}

/**
 * Applies a preferences patch: given lists replace the stored ones; a topic declared in one list is
 * removed from the other (the latest declaration wins); answers set to `null` are removed. A topic
 * in both lists of one patch is contradictory and throws `INVALID_INPUT`.
 */
export function applyPreferencesPatch(
  current: ProfilePreferences | undefined,
  patch: PreferencesPatch,
): ProfilePreferences {
  const both = (patch.interests ?? []).filter((t) => patch.notInterested?.includes(t));
  if (both.length > 0) {
    throw new TactfulError(
      'INVALID_INPUT',
      `preferences: "${both[0]}" is in both interests and notInterested; keep it in one`,
      {
        path: ['preferences', 'notInterested'],
      },
    );
  }
  const base = current ?? { interests: [], notInterested: [], answers: {} };
  let interests = patch.interests ? [...new Set(patch.interests)] : [...base.interests];
  let notInterested = patch.notInterested ? [...new Set(patch.notInterested)] : [...base.notInterested];
  if (patch.notInterested) interests = interests.filter((t) => !notInterested.includes(t));
  if (patch.interests) notInterested = notInterested.filter((t) => !interests.includes(t));
  const answers: Record<string, z.infer<typeof AnswerValueSchema>> = Object.create(null);
  for (const [k, v] of Object.entries(base.answers)) answers[k] = v;
  for (const [k, v] of Object.entries(patch.answers ?? {})) {
    if (v === null) delete answers[k];
    else answers[k] = v;
  }
  if (Object.keys(answers).length > SUBJECT_LIMITS.maxEntries) {
    throw new TactfulError(
      'INVALID_INPUT',
      `preferences.answers: at most ${SUBJECT_LIMITS.maxEntries} answers`,
      {
        path: ['preferences', 'answers'],
      },
    );
  }
  return { interests, notInterested, answers: { ...answers } };
}

/** The cut-off instant (epoch ms) before which data of a category with `days` of retention has expired. */
export function retentionCutoff(now: number, days: number): number {
  return now - days * 86_400_000;
}

/**
 * The keyed hash (HMAC-SHA-256, hex) of a subject id: what a tombstone or a receipt keeps instead
 * of the id. A string key is taken as its UTF-8 bytes. {@link hmacSha256Hex}, so it runs in Node,
 * browsers and edge runtimes and gives the same digest as every store's tombstones.
 */
export async function subjectHash(key: string | Uint8Array, subjectId: string): Promise<string> {
  return hmacSha256Hex(key, subjectId);
}

/** A random 32-byte key, hex encoded, for {@link subjectHash}. */
export function randomHashKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
