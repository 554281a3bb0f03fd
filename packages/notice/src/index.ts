/**
 * `@tactful/notice`: the privacy notice of a Tactful configuration, generated from the same
 * manifests the orchestrator enforces (P5), in English and Vietnamese, as Markdown, HTML and JSON,
 * with a version hash and per-purpose hashes that consent records carry.
 *
 * @packageDocumentation
 */
export { generateNotice, parseNotice, NoticeOptionsSchema } from './generate-notice.js';
export type { GenerateNoticeOptions, NoticeOptionsInput } from './generate-notice.js';
export type { ManifestLike, NoticePlugins } from './collect.js';
export {
  NOTICE_FORMAT,
  NOTICE_STORAGE,
  NOTICE_CONSENT_LEVELS,
  NOTICE_JURISDICTIONS,
  NoticeSchema,
  NoticePurposeSchema,
  NoticeCategorySchema,
  NoticePluginSchema,
  NoticeConsentProviderSchema,
  NoticeRightsSchema,
  ControllerSchema,
  NoticeStorageItemSchema,
  NoticeDateSchema,
  noticeJsonSchema,
} from './schema.js';
export type {
  Notice,
  NoticePurpose,
  NoticeCategory,
  NoticePlugin,
  NoticeConsentProvider,
  NoticeConsentLevel,
  NoticeRights,
  NoticeJurisdiction,
  NoticeStorageItem,
  Controller,
} from './schema.js';
export { renderNotice, escapeHtml, escapeMarkdown, NOTICE_FORMATS } from './render.js';
export type { RenderNoticeOptions, NoticeOutputFormat } from './render.js';
export { NOTICE_LANGUAGES } from './texts.js';
export type { NoticeLanguage } from './texts.js';
export { noticeVersions, noticeReference, consentsNeedingRenewal, diffNotices } from './versions.js';
export type { NoticeVersions, NoticeLike, NoticeDiff } from './versions.js';
export { sha256Hex } from './sha256.js';
export { canonicalJson } from '@tactful/core';
