import {
  type Check,
  anything,
  arr,
  bool,
  custom,
  num,
  obj,
  oneOf,
  optional,
  rec,
  refine,
  str,
  withDefault,
} from './check.js';
import type { DecisionRequest, SessionEvent } from './context-schema.js';
import { isoDateTime } from './name-checks.js';

/** Size caps applied to untrusted requests. */
export const REQUEST_LIMITS = Object.freeze({
  /** Longest string accepted anywhere in a request. */
  maxString: 2048,
  /** Most session events in one request (older ones should be summarised by the session store). */
  maxSessionEvents: 500,
  /** Most slots decided in one request. */
  maxSlots: 50,
  /** Most attributes in the free-form `attributes` bag. */
  maxAttributes: 100,
});

/** Kinds of session events. */
export const SESSION_EVENT_TYPES = [
  'page_view',
  'product_view',
  'category_view',
  'search',
  'add_to_cart',
  'dwell',
] as const;

/** Consent status of one purpose. Anything but `granted` means denied (P1). */
export const CONSENT_STATUSES = ['granted', 'denied'] as const;

/** The subject id rule (pattern and message shared with `SubjectSchema`). */
export const SUBJECT_ID_RULE = [
  /^[A-Za-z0-9._:@-]+$/,
  'use letters, digits and . _ : @ - only (a pseudonymous id, not personal data)',
] as const;
/** The session id rule (shared with `SessionSchema`). */
export const SESSION_ID_RULE = [/^[A-Za-z0-9_-]+$/, 'a random, URL-safe session id'] as const;
/** The slot id rule (shared with `SlotRequestSchema`). */
export const SLOT_ID_RULE = [
  /^[A-Za-z0-9._:-]+$/,
  'use letters, digits and . _ : - only, e.g. "home.hero"',
] as const;
/** The country rule of `geo.country` (shared with `CoarseLocationSchema`). */
export const COUNTRY_RULE = [/^[A-Z]{2}$/, 'use an ISO 3166-1 alpha-2 code such as "VN"'] as const;
/** The trace id pattern (shared with `DecisionRequestSchema`). */
export const TRACE_ID = /^[A-Za-z0-9_-]{8,64}$/;

const MAX = REQUEST_LIMITS.maxString;
const longStr = /* @__PURE__ */ str({ max: MAX });
const jsonPrimitive = custom<string | number | boolean | null>(
  (v) =>
    v === null ||
    typeof v === 'boolean' ||
    (typeof v === 'number' && Number.isFinite(v)) ||
    (typeof v === 'string' && v.length <= MAX),
  `Invalid input: expected a string (at most ${MAX} characters), a finite number, a boolean or null`,
);
const attributes = /* @__PURE__ */ rec(/* @__PURE__ */ str({ max: 128 }), jsonPrimitive);

/**
 * A session event, checked without zod: accepts exactly what `SessionEventSchema` accepts and names
 * the same first field (proven by `context-check.test.ts`).
 */
export const sessionEvent: Check<SessionEvent> = /* @__PURE__ */ obj({
  type: /* @__PURE__ */ oneOf(SESSION_EVENT_TYPES),
  at: /* @__PURE__ */ isoDateTime(),
  target: /* @__PURE__ */ optional(longStr),
  topics: /* @__PURE__ */ optional(/* @__PURE__ */ arr(/* @__PURE__ */ str({ max: 64 }), { max: 20 })),
  durationMs: /* @__PURE__ */ optional(/* @__PURE__ */ num({ int: true, gte: 0, lte: 86_400_000 })),
}) as Check<SessionEvent>;

/**
 * The fields of a request's `context`, in the schema's order (`RequestContextSchema`'s keys, as
 * `context-check.test.ts` proves): what adapters copy from their own context into a request.
 */
export const REQUEST_CONTEXT_KEYS = [
  'now',
  'timeZone',
  'userAgent',
  'clientHints',
  'acceptLanguage',
  'locale',
  'geo',
  'preciseLocation',
  'url',
  'referrer',
  'gpc',
  'dnt',
  'tcString',
  'attributes',
] as const;

/**
 * A decision request, checked without zod: accepts exactly what `DecisionRequestSchema` accepts,
 * returns the same value and names the same first field (proven by `context-check.test.ts`).
 */
export const decisionRequest: Check<DecisionRequest> = /* @__PURE__ */ obj({
  subject: /* @__PURE__ */ optional(
    /* @__PURE__ */ obj({ id: /* @__PURE__ */ str({ min: 1, max: 128, pattern: SUBJECT_ID_RULE }) }),
  ),
  context: /* @__PURE__ */ withDefault(
    /* @__PURE__ */ obj({
      now: /* @__PURE__ */ optional(/* @__PURE__ */ isoDateTime()),
      timeZone: /* @__PURE__ */ optional(/* @__PURE__ */ str({ max: 64 })),
      userAgent: /* @__PURE__ */ optional(longStr),
      clientHints: /* @__PURE__ */ optional(/* @__PURE__ */ rec(/* @__PURE__ */ str({ max: 64 }), longStr)),
      acceptLanguage: /* @__PURE__ */ optional(/* @__PURE__ */ str({ max: 512 })),
      locale: /* @__PURE__ */ optional(/* @__PURE__ */ str({ max: 35 })),
      geo: /* @__PURE__ */ optional(
        /* @__PURE__ */ obj({
          country: /* @__PURE__ */ optional(/* @__PURE__ */ str({ pattern: COUNTRY_RULE })),
          region: /* @__PURE__ */ optional(longStr),
          city: /* @__PURE__ */ optional(longStr),
        }),
      ),
      preciseLocation: /* @__PURE__ */ optional(
        /* @__PURE__ */ obj({
          latitude: /* @__PURE__ */ num({ gte: -90, lte: 90 }),
          longitude: /* @__PURE__ */ num({ gte: -180, lte: 180 }),
          accuracyMeters: /* @__PURE__ */ optional(/* @__PURE__ */ num({ gte: 0 })),
        }),
      ),
      url: /* @__PURE__ */ optional(longStr),
      referrer: /* @__PURE__ */ optional(longStr),
      gpc: /* @__PURE__ */ optional(bool),
      dnt: /* @__PURE__ */ optional(bool),
      tcString: /* @__PURE__ */ optional(/* @__PURE__ */ str({ max: 8192 })),
      attributes: /* @__PURE__ */ optional(
        /* @__PURE__ */ refine(
          attributes,
          (r) => Object.keys(r).length <= REQUEST_LIMITS.maxAttributes,
          `at most ${REQUEST_LIMITS.maxAttributes} attributes`,
        ),
      ),
    }),
    () => ({}),
  ),
  session: /* @__PURE__ */ optional(
    /* @__PURE__ */ obj({
      id: /* @__PURE__ */ str({ min: 16, max: 128, pattern: SESSION_ID_RULE }),
      events: /* @__PURE__ */ withDefault(
        /* @__PURE__ */ arr(sessionEvent, { max: REQUEST_LIMITS.maxSessionEvents }),
        () => [],
      ),
    }),
  ),
  slots: /* @__PURE__ */ arr(
    /* @__PURE__ */ obj({
      id: /* @__PURE__ */ str({ min: 1, max: 128, pattern: SLOT_ID_RULE }),
      default: /* @__PURE__ */ optional(anything),
    }),
    {
      min: 1,
      max: REQUEST_LIMITS.maxSlots,
    },
  ),
  traceId: /* @__PURE__ */ optional(
    /* @__PURE__ */ str({ pattern: [TRACE_ID, 'use 8 to 64 letters, digits, _ or -'] }),
  ),
}) as Check<DecisionRequest>;
