import * as z from 'zod/mini';
import {
  CONSENT_STATUSES,
  COUNTRY_RULE,
  REQUEST_LIMITS,
  SESSION_EVENT_TYPES,
  SESSION_ID_RULE,
  SLOT_ID_RULE,
  SUBJECT_ID_RULE,
  TRACE_ID,
} from './context.js';
import { DATA_ORIGINS } from './data-origins.js';
import { LocalizedTextSchema, TaxonomyIdSchema } from './taxonomy-schema.js';

const Str = z.string().check(z.maxLength(REQUEST_LIMITS.maxString));
const JsonPrimitive = z.union([
  z.string().check(z.maxLength(REQUEST_LIMITS.maxString)),
  z.number(),
  z.boolean(),
  z.null(),
]);

/**
 * The person a decision is about, by a pseudonymous id (never an email or a name). Absent for
 * anonymous visitors.
 */
export const SubjectSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(128), z.regex(...SUBJECT_ID_RULE)),
});
/** The person a decision is about. */
export type Subject = z.infer<typeof SubjectSchema>;

/** Coarse location, as set by a trusted edge proxy. */
export const CoarseLocationSchema = z.object({
  country: z.optional(z.string().check(z.regex(...COUNTRY_RULE))),
  region: z.optional(Str),
  city: z.optional(Str),
});

/** Precise location: a sensitive category, used only with explicit consent. */
export const PreciseLocationSchema = z.object({
  latitude: z.number().check(z.gte(-90), z.lte(90)),
  longitude: z.number().check(z.gte(-180), z.lte(180)),
  accuracyMeters: z.optional(z.number().check(z.nonnegative())),
});

/**
 * What the request itself says about the moment: the input of contextual personalization.
 * Every field is optional; absent fields simply yield no signal.
 */
export const RequestContextSchema = z.object({
  /** The moment of the request (ISO 8601). Defaults to the time the decision is made. */
  now: z.optional(z.iso.datetime({ offset: true })),
  /** IANA time zone of the visitor, e.g. `Asia/Ho_Chi_Minh`. */
  timeZone: z.optional(z.string().check(z.maxLength(64))),
  userAgent: z.optional(Str),
  /** User-Agent client hints (`Sec-CH-UA-*` headers), lower-cased names. */
  clientHints: z.optional(z.record(z.string().check(z.maxLength(64)), Str)),
  /** Raw `Accept-Language` header. */
  acceptLanguage: z.optional(z.string().check(z.maxLength(512))),
  /** An explicit locale chosen by the person (BCP 47), which wins over Accept-Language. */
  locale: z.optional(z.string().check(z.maxLength(35))),
  /** Coarse location: only ever filled from a trusted proxy's headers. */
  geo: z.optional(CoarseLocationSchema),
  /** Precise location (sensitive: needs explicit consent for `location.precise`). */
  preciseLocation: z.optional(PreciseLocationSchema),
  url: z.optional(Str),
  referrer: z.optional(Str),
  /** Global Privacy Control signal (`Sec-GPC: 1` or `navigator.globalPrivacyControl`). */
  gpc: z.optional(z.boolean()),
  /** Do-Not-Track signal (`DNT: 1`). */
  dnt: z.optional(z.boolean()),
  /** IAB TCF v2.2 TC string. */
  tcString: z.optional(z.string().check(z.maxLength(8192))),
  /** Free-form contextual attributes (campaign, page type ...). Not personal data. */
  attributes: z.optional(
    z
      .record(z.string().check(z.maxLength(128)), JsonPrimitive)
      .check(
        z.refine(
          (r) => Object.keys(r).length <= REQUEST_LIMITS.maxAttributes,
          `at most ${REQUEST_LIMITS.maxAttributes} attributes`,
        ),
      ),
  ),
});
/** What the request itself says about the moment. */
export type RequestContext = z.infer<typeof RequestContextSchema>;

/** One thing that happened in the current (anonymous) session. */
export const SessionEventSchema = z.object({
  type: z.enum(SESSION_EVENT_TYPES),
  /** When it happened (ISO 8601). */
  at: z.iso.datetime({ offset: true }),
  /** The page, product or category id, or the search query. */
  target: z.optional(Str),
  /** Topics the target belongs to, e.g. `["kids", "toys"]`. */
  topics: z.optional(z.array(z.string().check(z.maxLength(64))).check(z.maxLength(20))),
  /** Dwell time in milliseconds (for `dwell`). */
  durationMs: z.optional(z.number().check(z.int(), z.nonnegative(), z.lte(86_400_000))),
});
/** One thing that happened in the current session. */
export type SessionEvent = z.infer<typeof SessionEventSchema>;

/** The anonymous session: a random id that expires with the session (P7), and its events. */
export const SessionSchema = z.object({
  id: z.string().check(z.minLength(16), z.maxLength(128), z.regex(...SESSION_ID_RULE)),
  events: z._default(z.array(SessionEventSchema).check(z.maxLength(REQUEST_LIMITS.maxSessionEvents)), []),
});
/** The anonymous session. */
export type Session = z.infer<typeof SessionSchema>;

/** A slot to fill: a place on a page or in an email, with its default content. */
export const SlotRequestSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(128), z.regex(...SLOT_ID_RULE)),
  /** Content served when no strategy may or does fill the slot (P8). */
  default: z.optional(z.unknown()),
});
/** A slot to fill. */
export type SlotRequest = z.infer<typeof SlotRequestSchema>;

/** A request for one decision. Validated at the boundary; everything in it is untrusted. */
export const DecisionRequestSchema = z.object({
  subject: z.optional(SubjectSchema),
  context: z._default(RequestContextSchema, {}),
  session: z.optional(SessionSchema),
  slots: z.array(SlotRequestSchema).check(z.minLength(1), z.maxLength(REQUEST_LIMITS.maxSlots)),
  /** A caller-provided trace id (else one is generated). */
  traceId: z.optional(z.string().check(z.regex(TRACE_ID))),
});
/** A request for one decision, after validation. */
export type DecisionRequest = z.output<typeof DecisionRequestSchema>;
/** A request for one decision, as a caller writes it. */
export type DecisionRequestInput = z.input<typeof DecisionRequestSchema>;

/** The consent for one purpose, with what proves it. */
export const PurposeConsentSchema = z.object({
  status: z.enum(CONSENT_STATUSES),
  /** The consent provider that said so. */
  provider: z.string(),
  /** The consent record that proves it, when there is one. */
  recordId: z.optional(z.string()),
  /** Why (e.g. "withdrawn", "expired", "gpc", "no record"). */
  reason: z.optional(z.string()),
  /** The version (hash) of the notice the person saw. */
  noticeVersion: z.optional(z.string()),
  expiresAt: z.optional(z.string()),
});
/** The consent for one purpose. */
export type PurposeConsent = z.infer<typeof PurposeConsentSchema>;

/** Consent per purpose: what one provider says, or what the combination of providers says. */
export const ConsentStateSchema = z.object({
  purposes: z.record(z.string(), PurposeConsentSchema),
});
/** Consent per purpose. A purpose absent from `purposes` is denied. */
export type ConsentState = z.infer<typeof ConsentStateSchema>;

/** The explanation of one slot's content, fit to show a person ("Why am I seeing this?"). */
export const ExplanationSchema = z.object({
  /** The strategy that chose the content, or `default`. */
  strategy: z.string(),
  /** A plain-language sentence. */
  summary: LocalizedTextSchema,
  /** Signals that led to it (segment names, contextual signals, interests ...). */
  signals: z.array(z.string()),
  purposes: z.array(z.string()),
  categories: z.array(z.string()),
});
/** The explanation of one slot's content. */
export type Explanation = z.infer<typeof ExplanationSchema>;

/** What was decided for one slot. */
export const SlotDecisionSchema = z.object({
  slot: z.string(),
  content: z.unknown(),
  variant: z.optional(z.string()),
  strategy: z.string(),
  score: z.optional(z.number()),
  /** True when the slot's default content was served. */
  isDefault: z.boolean(),
  explanation: ExplanationSchema,
});
/** What was decided for one slot. */
export type SlotDecision = z.infer<typeof SlotDecisionSchema>;

/** A plugin left out of a decision, and why. */
export const DroppedPluginSchema = z.object({
  plugin: z.string(),
  kind: z.enum(['strategy', 'source', 'consent']),
  /** `skipped` = not permitted to run (consent); `failed` = it ran and failed (P8). */
  outcome: z.enum(['skipped', 'failed']),
  code: z.string(),
  reason: z.string(),
});
/** A plugin left out of a decision, and why. */
export type DroppedPlugin = z.infer<typeof DroppedPluginSchema>;

/** The result of `decide()`. */
export const DecisionSchema = z.object({
  traceId: z.string(),
  /** When the decision was made (ISO 8601). */
  decidedAt: z.string(),
  slots: z.array(SlotDecisionSchema),
  /** Purposes whose consent this decision relied on. */
  purposesUsed: z.array(z.string()),
  /** Data categories this decision read. */
  categoriesUsed: z.array(z.string()),
  dropped: z.array(DroppedPluginSchema),
  /** The consent that authorised it. */
  consent: ConsentStateSchema,
});
/** The result of `decide()`. */
export type Decision = z.infer<typeof DecisionSchema>;

/** Re-exported for schemas that mention origins. */
export const DataOriginSchema = z.enum(DATA_ORIGINS);
export { TaxonomyIdSchema };
