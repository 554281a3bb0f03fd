import {
  AFFIRMATIVE_CONSENT_METHODS,
  DecisionSchema,
  PreferencesPatchSchema,
  ProfileAttributesSchema,
  REQUEST_LIMITS,
  RequestContextSchema,
  SESSION_EVENT_TYPES,
  SessionSchema,
  SlotRequestSchema,
} from '@tactful/core';
import { z } from 'zod';

/** Most session events one `POST /v1/session/events` may carry (400 past it). */
export const MAX_EVENTS_PER_REQUEST = 50;
/** Most purposes one consent request may name. */
export const MAX_PURPOSES_PER_REQUEST = 50;
/** Most rectifications in one `PATCH /v1/me`. */
export const MAX_CHANGES_PER_REQUEST = 10;

/** A purpose id in a path or a body (`personalization.profile`). */
export const PurposeIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'a purpose id such as "personalization.profile"');

/**
 * `POST /v1/decide`: the slots to fill and what the page knows about the moment. The person is
 * never named here: it comes from the signed cookie or the service's `Tactful-Subject` header.
 * From a browser, `userAgent`, `clientHints`, `acceptLanguage` come from the request's headers,
 * and `geo` only from a trusted proxy (a `geo` in the body is refused); `gpc`/`dnt` can only add a
 * signal, never remove the header's.
 */
export const DecideBodySchema = z.strictObject({
  slots: z.array(SlotRequestSchema).min(1).max(REQUEST_LIMITS.maxSlots),
  context: z.strictObject(RequestContextSchema.shape).optional(),
  /** Service callers only: the anonymous session they keep. Browsers' session comes from the cookie. */
  session: z.optional(SessionSchema),
  traceId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});
/** The body of `POST /v1/decide`. */
export type DecideBody = z.output<typeof DecideBodySchema>;

/** Why a decision was served without personalization though the request asked for it. */
export const DegradedSchema = z.strictObject({
  reason: z.enum(['consent-unavailable']),
  message: z.string(),
});

/** The answer of `POST /v1/decide`: the decision, and `degraded` when a store failed. */
export const DecideResponseSchema = z.object({
  ...DecisionSchema.shape,
  degraded: DegradedSchema.optional(),
});

/** One session event as a page sends it (`at` defaults to the time it arrives). */
export const SessionEventBodySchema = z.strictObject({
  type: z.enum(SESSION_EVENT_TYPES),
  at: z.iso.datetime({ offset: true }).optional(),
  target: z.string().max(REQUEST_LIMITS.maxString).optional(),
  topics: z.array(z.string().max(64)).max(20).optional(),
  durationMs: z.number().int().nonnegative().max(86_400_000).optional(),
});

/** `POST /v1/session/events`. */
export const SessionEventsBodySchema = z.strictObject({
  events: z.array(SessionEventBodySchema).min(1).max(MAX_EVENTS_PER_REQUEST),
});

/** The answer of `POST /v1/session/events`. */
export const SessionEventsResponseSchema = z.strictObject({
  /** How many events were kept (0 without consent for `personalization.session`). */
  recorded: z.number().int().nonnegative(),
  /** `active` when a session holds them; `off` when nothing was kept. */
  session: z.enum(['active', 'off']),
  /** Why nothing was kept: `no-consent`, `gpc` or `dnt`. */
  reason: z.enum(['no-consent', 'gpc', 'dnt']).optional(),
});

const ConsentMethodSchema = z.enum(AFFIRMATIVE_CONSENT_METHODS);
const ConsentLocaleSchema = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP 47 tag such as "vi-VN"');

/**
 * `POST /v1/consent`: the choices of a banner or a preference center, in one request — "reject
 * all" is as easy as "accept all". Every purpose granted is recorded against the current notice.
 */
export const ConsentChoicesBodySchema = z
  .strictObject({
    grant: z.array(PurposeIdSchema).max(MAX_PURPOSES_PER_REQUEST).default([]),
    deny: z.array(PurposeIdSchema).max(MAX_PURPOSES_PER_REQUEST).default([]),
    /** Where the choice was made. Default `banner`. */
    method: ConsentMethodSchema.default('banner'),
    locale: ConsentLocaleSchema.optional(),
    /** The notice version the person was shown; 409 when the notice has changed since. */
    noticeVersion: z.string().min(1).max(128).optional(),
  })
  .refine((b) => b.grant.length + b.deny.length > 0, {
    message: 'name at least one purpose in "grant" or "deny"',
    path: ['grant'],
  })
  .refine((b) => !b.grant.some((p) => b.deny.includes(p)), {
    message: 'a purpose cannot be both granted and denied',
    path: ['deny'],
  });

/** `POST /v1/consent/{purpose}` (grant one purpose); the body is optional. */
export const ConsentGrantBodySchema = z.strictObject({
  method: ConsentMethodSchema.default('preference-center'),
  locale: ConsentLocaleSchema.optional(),
  noticeVersion: z.string().min(1).max(128).optional(),
});

/** The consent of one purpose, as the person may see it. */
export const PurposeStatusSchema = z.strictObject({
  status: z.enum(['granted', 'denied']),
  /** `granted`, `no-record`, `denied`, `withdrawn`, `expired`, `notice-changed`, `gpc`, `dnt` ... */
  reason: z.string(),
  /** When the latest record was made. */
  recordedAt: z.string().optional(),
  expiresAt: z.string().optional(),
});

/** The answer of the consent routes: every purpose the notice covers, and the browser's signals. */
export const ConsentStateResponseSchema = z.strictObject({
  purposes: z.record(z.string(), PurposeStatusSchema),
  /** The notice version grants are recorded against. */
  noticeVersion: z.string(),
  /** Privacy signals of this request: each denies every purpose it covers, whatever is recorded. */
  signals: z.strictObject({ gpc: z.boolean(), dnt: z.boolean() }),
});

/** `PATCH /v1/me`: corrections, each a category and its corrected value. */
export const RectifyBodySchema = z.strictObject({
  changes: z
    .array(z.strictObject({ category: z.string().min(1).max(128), value: z.unknown() }))
    .min(1)
    .max(MAX_CHANGES_PER_REQUEST),
});

/** `PATCH /v1/me/preferences`: declared interests, "not interested" and answers (zero-party data). */
export const PreferencesBodySchema = PreferencesPatchSchema;
/** `PATCH /v1/me/attributes`: the person's declared attributes (replaces them). */
export const AttributesBodySchema = ProfileAttributesSchema;

/** `GET /v1/notice` query. */
export const NoticeQuerySchema = z.strictObject({
  lang: z.enum(['en', 'vi']).default('en'),
  format: z.enum(['md', 'html', 'json']).default('md'),
});

/** `/.well-known/gpc.json` (Global Privacy Control support resource). */
export const GpcSupportSchema = z.strictObject({ gpc: z.literal(true), lastUpdate: z.string() });

/** `/healthz` and `/readyz`. */
export const HealthSchema = z.strictObject({
  status: z.enum(['ok', 'ready', 'unavailable', 'draining']),
});
