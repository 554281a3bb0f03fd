/**
 * `@tactful/dynamic-content`: different versions of a page or an email. A content catalog of slots
 * and variants, deterministic selection with seeded splits, safe rendering for web and email, and
 * streaming email batches that respect `marketing.email` consent.
 *
 * @packageDocumentation
 */
export { dynamicContent } from './strategy.js';
export { DynamicContentOptionsSchema } from './options-schema.js';
export type { DynamicContentStrategy } from './strategy.js';
export type { DynamicContentOptions } from './options-schema.js';
export { parseCatalog, defineCatalog, isCatalog, pickLocale } from './catalog.js';
export type {
  Catalog,
  CatalogSlot,
  CatalogVariant,
  CatalogOptions,
  CatalogView,
  RenderableContent,
} from './catalog.js';
export {
  CatalogSchema,
  SlotSchema,
  VariantSchema,
  ScheduleSchema,
  ExperimentSchema,
  SlotDefaultSchema,
} from './catalog-schema.js';
export type { CatalogInput, SlotInput, VariantInput } from './catalog-schema.js';
export { compileTemplate, renderTemplate, RENDER_CONTEXTS } from './template.js';
export type { CompiledTemplate, RenderContext, RenderTemplateOptions } from './template.js';
export { compileContent, CONTENT_LIMITS } from './content.js';
export type { CompiledContent } from './content.js';
export { TEMPLATE_LIMITS, FORBIDDEN_SEGMENTS } from './template-syntax.js';
export { FORBIDDEN_ELEMENTS, URL_ATTRIBUTES } from './html-context.js';
export { escapeHtml, encodeUrlComponent, cleanText } from './escape.js';
export { isSafeUrl, sanitizeUrl, SAFE_URL_SCHEMES, UNSAFE_URL_REPLACEMENT } from './url.js';
export type { UrlPolicy } from './url.js';
export { hash32, bucketOf, pickByWeight } from './hash.js';
export { selectVariant, applies } from './select.js';
export type { Selection, SelectionContext } from './select.js';
export { FACT_SIGNALS, FACT_NAMESPACES, buildFacts } from './facts.js';
export type { FactNamespace, FactNeeds } from './facts.js';
export { renderEmailBatch } from './email.js';
export type { Decider, EmailTemplate, EmailRecipient, EmailBatchOptions, RenderedEmail } from './email.js';
