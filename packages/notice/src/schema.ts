import { DATA_ORIGINS, LocalizedTextSchema, TaxonomyIdSchema } from '@tactful/core';
import { z } from 'zod';

/** The `format` tag of a notice's JSON form; bumped when the structure or the wording templates change. */
export const NOTICE_FORMAT = 'tactful-notice/1' as const;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash: 64 lowercase hex digits');

/**
 * A calendar date, `YYYY-MM-DD` (a real day: `2026-02-30` is refused). The date a version of the
 * notice takes effect, which the person-facing text shows instead of the version hash.
 */
export const NoticeDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date written YYYY-MM-DD, e.g. "2026-12-01"')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'not a day of the calendar; use a date written YYYY-MM-DD, e.g. "2026-12-01"');

/**
 * How a category's data is kept: `request` (read from the request and not kept), `session` (kept
 * for the current visit only), `stored` (kept by a data source for `retentionDays`, or until erased
 * when a source states no limit), `fetched` (looked up when needed and not kept, e.g. the weather).
 */
export const NOTICE_STORAGE = ['request', 'session', 'stored', 'fetched'] as const;

/** One data category as the notice discloses it under one purpose. */
export const NoticeCategorySchema = z.object({
  id: TaxonomyIdSchema,
  label: LocalizedTextSchema,
  description: z.optional(LocalizedTextSchema),
  /** declared (zero-party), observed (first-party), contextual, derived (inferred). */
  origin: z.enum(DATA_ORIGINS),
  sensitive: z.boolean(),
  personal: z.boolean(),
  /** Why it is used, from the strategies' `reads[].why` (deduplicated, in a stable order). */
  why: z.array(LocalizedTextSchema),
  /** Data sources that provide it (empty when the request itself carries it). */
  providedBy: z.array(z.string()),
  storage: z.enum(NOTICE_STORAGE),
  /** The longest retention any source declares, in days; `null` when not stored or not limited. */
  retentionDays: z.number().int().positive().nullable(),
});
/** One data category as the notice discloses it under one purpose. */
export type NoticeCategory = z.infer<typeof NoticeCategorySchema>;

/** A plugin named by the notice. Versions are left out on purpose: a release that changes no manifest changes no notice. */
export const NoticePluginSchema = z.object({
  name: z.string(),
  kind: z.enum(['strategy', 'source']),
  description: z.optional(LocalizedTextSchema),
});
/** A plugin named by the notice. */
export type NoticePlugin = z.infer<typeof NoticePluginSchema>;

/** Which consent a purpose needs: none (`necessary`), opt-in, or explicit (sensitive data, P3). */
export const NOTICE_CONSENT_LEVELS = ['none', 'opt-in', 'explicit'] as const;
/** Which consent a purpose needs. */
export type NoticeConsentLevel = (typeof NOTICE_CONSENT_LEVELS)[number];

/** One purpose's section of the notice. */
export const NoticePurposeSchema = z.object({
  id: TaxonomyIdSchema,
  /** SHA-256 of this section's canonical content (everything here but `hash`). Consent records carry it. */
  hash: Hex64,
  label: LocalizedTextSchema,
  description: z.optional(LocalizedTextSchema),
  consent: z.enum(NOTICE_CONSENT_LEVELS),
  /** True when the purpose reads a sensitive category. */
  sensitive: z.boolean(),
  categories: z.array(NoticeCategorySchema),
  plugins: z.array(NoticePluginSchema),
});
/** One purpose's section of the notice. */
export type NoticePurpose = z.infer<typeof NoticePurposeSchema>;

/** A consent provider named by the notice (how choices are read). */
export const NoticeConsentProviderSchema = z.object({
  name: z.string(),
  /** False for providers that can only deny, such as a Global Privacy Control signal. */
  canGrant: z.boolean(),
  description: z.optional(LocalizedTextSchema),
});
/** A consent provider named by the notice. */
export type NoticeConsentProvider = z.infer<typeof NoticeConsentProviderSchema>;

/**
 * A cookie or similar browser storage the service sets: its name, why, and how long it lasts.
 * Strictly necessary when it has no `purpose`; otherwise set only while that purpose is granted.
 */
export const NoticeStorageItemSchema = z.object({
  name: z.string().min(1).max(128),
  kind: z.enum(['cookie', 'local-storage', 'session-storage']),
  /** The purpose it serves; absent = strictly necessary (no consent needed). */
  purpose: z.optional(TaxonomyIdSchema),
  /** How long it lasts, in days; absent = until the browser session ends. */
  lifetimeDays: z.number().positive().max(36_500).optional(),
  /** What it holds and why, in words a person understands. */
  description: LocalizedTextSchema,
});
/** A cookie or similar browser storage the service sets. */
export type NoticeStorageItem = z.infer<typeof NoticeStorageItemSchema>;

/** The data controller: who is responsible, and how to reach them. */
export const ControllerSchema = z.object({
  name: z.string().trim().min(1, 'name the data controller, e.g. "Shop ABC Co., Ltd."').max(200),
  /** An email address, a URL or a phone number. */
  contact: z.string().trim().min(1, 'give an email, URL or phone number where people can reach you').max(200),
  address: z.string().trim().min(1).max(400).optional(),
});
/** The data controller. */
export type Controller = z.infer<typeof ControllerSchema>;

/** Which rights the registered data sources support, by category (P6). */
export const NoticeRightsSchema = z.object({
  /** Stored categories a person can download a copy of. */
  access: z.array(TaxonomyIdSchema),
  /** Stored categories a person can have deleted. */
  erase: z.array(TaxonomyIdSchema),
  /** Stored categories a person can correct. */
  rectify: z.array(TaxonomyIdSchema),
  /** Stored categories some source cannot delete (the notice says so instead of hiding it). */
  notErasable: z.array(TaxonomyIdSchema),
});
/** Which rights the registered data sources support. */
export type NoticeRights = z.infer<typeof NoticeRightsSchema>;

/** Jurisdictions whose law a notice names: Vietnam, the EU/EEA (GDPR), California (CCPA/CPRA). */
export const NOTICE_JURISDICTIONS = ['VN', 'EU', 'US-CA'] as const;
/** A jurisdiction whose law the notice names. */
export type NoticeJurisdiction = (typeof NOTICE_JURISDICTIONS)[number];

const HttpUrl = z
  .string()
  .max(2048)
  .refine(
    (v) => /^https?:\/\/[^\s<>"]+$/i.test(v),
    'use an absolute http(s) URL, e.g. "https://shop.example/privacy"',
  );

/**
 * The notice as data: the documented JSON form (`renderNotice(notice, { format: 'json' })`), from
 * which the Markdown and HTML forms are rendered. Validate a stored one with {@link parseNotice}.
 */
export const NoticeSchema = z.object({
  format: z.literal(NOTICE_FORMAT),
  /** SHA-256 of the canonical content of the whole notice (everything here but `version`). */
  version: Hex64,
  /**
   * The date this version takes effect (`YYYY-MM-DD`), from the configuration. Part of the content
   * `version` hashes; the Markdown and HTML for people show it instead of the hash.
   */
  date: NoticeDateSchema.optional(),
  controller: ControllerSchema,
  jurisdictions: z.array(z.enum(NOTICE_JURISDICTIONS)),
  /** Where people exercise their rights (privacy center); absent = contact the controller. */
  rightsUrl: HttpUrl.optional(),
  /** The privacy center on the service's own site (a path such as `/privacy`, or a URL). */
  privacyCenter: z.string().min(1).max(2048).optional(),
  /** Cookies and similar storage the service sets (absent when none were declared). */
  storage: z.array(NoticeStorageItemSchema).optional(),
  /** Purpose id → section, for every purpose some registered strategy uses. */
  purposes: z.record(TaxonomyIdSchema, NoticePurposeSchema),
  consentProviders: z.array(NoticeConsentProviderSchema),
  rights: NoticeRightsSchema,
  /** Retention of records the framework itself keeps, in days (consent records, decision audit). */
  retention: z.object({
    consentRecordsDays: z.number().int().positive().optional(),
    auditDays: z.number().int().positive().optional(),
  }),
});
/** The notice as data. */
export type Notice = z.infer<typeof NoticeSchema>;

export { HttpUrl as HttpUrlSchema };

/**
 * The JSON Schema (draft 2020-12) of the notice's JSON form, derived from {@link NoticeSchema}, for
 * tools outside TypeScript that read published notices.
 *
 * @example
 * ```ts
 * writeFileSync('notice.schema.json', JSON.stringify(noticeJsonSchema(), null, 2));
 * ```
 */
export function noticeJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(NoticeSchema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
}
