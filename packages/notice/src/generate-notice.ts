import {
  type Taxonomy,
  type TaxonomyExtension,
  TactfulError,
  canonicalJson,
  deepFreeze,
  parseOrThrow,
} from '@tactful/core';
import { z } from 'zod';
import { type ManifestLike, type NoticePlugins, collectManifests, collectPurposes } from './collect.js';
import {
  ControllerSchema,
  HttpUrlSchema,
  NoticeDateSchema,
  NoticeStorageItemSchema,
  NOTICE_FORMAT,
  NOTICE_JURISDICTIONS,
  type Notice,
  type NoticeConsentProvider,
  NoticeSchema,
} from './schema.js';
import { sha256Hex } from './sha256.js';

/** The options of {@link generateNotice} that are plain data, validated with zod. */
export const NoticeOptionsSchema = z.object({
  /** The data controller: name, contact (email, URL or phone), optional postal address. */
  controller: ControllerSchema,
  /**
   * The date this version of the notice takes effect, `YYYY-MM-DD`. The text for people says
   * "This version of the notice: 1 December 2026" (without it, the version line is left out of the
   * Markdown and HTML; the JSON form always carries the full `version` hash consent records bind to).
   */
  date: NoticeDateSchema.optional(),
  /** Jurisdictions whose law the notice names. Default `['VN']`. */
  jurisdictions: z.array(z.enum(NOTICE_JURISDICTIONS)).default(['VN']),
  /** Where people withdraw consent and exercise their rights (a privacy center). */
  rightsUrl: HttpUrlSchema.optional(),
  /**
   * The privacy center on the service's own site, where people withdraw consent and see, download
   * or delete their data: a path (`/privacy`) or an absolute URL.
   */
  privacyCenter: z
    .string()
    .max(2048)
    .refine(
      (v) => /^(\/(?!\/)[^\s<>"]*|https?:\/\/[^\s<>"]+)$/i.test(v),
      'use a path such as "/privacy" or an http(s) URL',
    )
    .optional(),
  /** Cookies and similar storage the service sets (from the code that sets them). */
  storage: z.array(NoticeStorageItemSchema).max(100).default([]),
  /** Retention of the framework's own records, in days. */
  retention: z
    .object({
      /** How long consent records are kept (as configured on the consent store). */
      consentRecordsDays: z.number().int().positive().max(36_500).optional(),
      /** How long decision audit entries are kept (the audit trail's `retentionDays`). */
      auditDays: z.number().int().positive().max(36_500).optional(),
    })
    .default({}),
});
/** The plain-data options of {@link generateNotice}, as written. */
export type NoticeOptionsInput = z.input<typeof NoticeOptionsSchema>;

/** Options of {@link generateNotice}. */
export interface GenerateNoticeOptions extends NoticeOptionsInput {
  /** The orchestrator's registered plugins (`engine.plugins`). Or give the arrays below. */
  plugins?: NoticePlugins;
  /** Strategies (plugins or bare manifests), when `plugins` is not given. */
  strategies?: ReadonlyArray<ManifestLike<unknown>>;
  /** Data sources (plugins or bare manifests), when `plugins` is not given. */
  sources?: ReadonlyArray<ManifestLike<unknown>>;
  /** Consent providers (plugins or bare manifests), when `plugins` is not given. */
  consent?: ReadonlyArray<ManifestLike<unknown>>;
  /**
   * The orchestrator's taxonomy (`engine.taxonomy`), or the same taxonomy extension the
   * orchestrator was given (the plugins' own `manifest.taxonomy` is then added, as it does).
   */
  taxonomy?: Taxonomy | TaxonomyExtension;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Generates the privacy notice of a configuration from the same registered manifests the
 * orchestrator enforces (P5): for each purpose, the data categories it reads (origin, sensitivity,
 * why, retention), the plugins that do it, the consent it needs, and how to withdraw; plus the
 * rights the data sources support. The result is data (the documented JSON form); render it with
 * {@link renderNotice}. `version` and each purpose's `hash` are SHA-256 hashes of the canonical
 * content, so the same configuration in any registration order gives the same notice.
 *
 * @throws TactfulError `INVALID_OPTIONS` (bad options, naming the field), `INVALID_MANIFEST`,
 * `DUPLICATE_PLUGIN`, `UNKNOWN_PURPOSE`, `UNKNOWN_CATEGORY`, `MISSING_CATEGORY_PROVIDER`.
 *
 * @example
 * ```ts
 * import { generateNotice, renderNotice, noticeVersions } from '@tactful/notice';
 *
 * const notice = generateNotice({
 *   plugins: engine.plugins,
 *   taxonomy: engine.taxonomy,
 *   controller: { name: 'Shop ABC', contact: 'privacy@shop.example' },
 *   rightsUrl: 'https://shop.example/privacy-center',
 * });
 * console.log(renderNotice(notice, { lang: 'vi' }));
 * const consent = optInConsent({ store, notice: noticeVersions(notice) });
 * ```
 */
export function generateNotice(options: GenerateNoticeOptions): Notice {
  if (typeof options !== 'object' || options === null) {
    throw new TactfulError('INVALID_OPTIONS', 'notice: options must be an object with at least "controller"');
  }
  const parsed = parseOrThrow(NoticeOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'notice options',
  });
  const hasArrays =
    options.strategies !== undefined || options.sources !== undefined || options.consent !== undefined;
  if (options.plugins !== undefined && hasArrays) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      'notice: give either "plugins" (the orchestrator\'s engine.plugins) or "strategies"/"sources"/"consent", not both',
      { path: ['plugins'] },
    );
  }
  const plugins: NoticePlugins = options.plugins ?? {
    ...(options.strategies ? { strategies: options.strategies } : {}),
    ...(options.sources ? { sources: options.sources } : {}),
    ...(options.consent ? { consent: options.consent } : {}),
  };
  const manifests = collectManifests(plugins, options.taxonomy);
  const { purposes, rights } = collectPurposes(manifests);
  parsed.storage.forEach((item, i) => {
    if (item.purpose !== undefined && purposes[item.purpose] === undefined) {
      throw new TactfulError(
        'UNKNOWN_PURPOSE',
        `notice: storage "${item.name}" is set for purpose "${item.purpose}", which no registered strategy uses; name one of: ${Object.keys(purposes).sort().join(', ')}, or leave "purpose" out for strictly necessary storage`,
        { path: ['storage', i, 'purpose'] },
      );
    }
  });
  const consentProviders: NoticeConsentProvider[] = manifests.consent
    .map((m) => ({
      name: m.name,
      canGrant: m.canGrant,
      ...(m.description ? { description: m.description } : {}),
    }))
    .sort((a, b) => byString(a.name, b.name));

  const content: Omit<Notice, 'version'> = {
    format: NOTICE_FORMAT,
    ...(parsed.date === undefined ? {} : { date: parsed.date }),
    controller: parsed.controller,
    jurisdictions: [...new Set(parsed.jurisdictions)].sort(byString),
    ...(parsed.rightsUrl === undefined ? {} : { rightsUrl: parsed.rightsUrl }),
    ...(parsed.privacyCenter === undefined ? {} : { privacyCenter: parsed.privacyCenter }),
    ...(parsed.storage.length === 0
      ? {}
      : { storage: [...parsed.storage].sort((a, b) => byString(a.name, b.name)) }),
    purposes,
    consentProviders,
    rights,
    retention: parsed.retention,
  };
  const notice: Notice = { ...content, version: sha256Hex(canonicalJson(content)) };
  return deepFreeze(notice);
}

/**
 * Validates a notice read back from storage (its JSON form) and checks that its hashes match its
 * content, so a hand-edited notice is not taken for the one consent was given under.
 *
 * @throws TactfulError `INVALID_INPUT` naming the field, or when a hash does not match.
 */
export function parseNotice(input: unknown): Notice {
  const notice = parseOrThrow(NoticeSchema, input, { code: 'INVALID_INPUT', what: 'notice' });
  for (const [id, section] of Object.entries(notice.purposes)) {
    const { hash, ...rest } = section;
    if (section.id !== id || sha256Hex(canonicalJson(rest)) !== hash) {
      throw new TactfulError(
        'INVALID_INPUT',
        `notice: purposes.${id}.hash does not match the section's content`,
        {
          path: ['purposes', id, 'hash'],
        },
      );
    }
  }
  const { version, ...content } = notice;
  if (sha256Hex(canonicalJson(content)) !== version) {
    throw new TactfulError('INVALID_INPUT', 'notice: version does not match the notice content', {
      path: ['version'],
    });
  }
  return deepFreeze(notice);
}
