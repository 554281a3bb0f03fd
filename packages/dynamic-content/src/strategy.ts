import { checkOrThrow, type Strategy } from '@tactful/core';
import { type Catalog, isCatalog, parseCatalog } from './catalog.js';
import { checkDynamicContentOptions } from './options-check.js';
import type { DynamicContentOptions } from './options-schema.js';
import { contentStrategy } from './strategy-core.js';

/** The dynamic-content strategy: a Tactful strategy plus its compiled catalog. */
export type DynamicContentStrategy = Strategy & { readonly catalog: Catalog };

/**
 * The dynamic-content strategy: fills slots from a content catalog. Per requested slot it picks one
 * variant deterministically (schedule, purpose, condition, priority, then a seeded weighted split on
 * a stable key), localizes it and renders its templates. The manifest is derived from the catalog:
 * it declares reading only the signals and data categories the catalog's variants use.
 *
 * @throws TactfulError `INVALID_OPTIONS` for bad options; catalog errors when given catalog JSON
 * @example
 * ```ts
 * const content = dynamicContent({ catalog: defineCatalog({ slots: [{ id: 'home.hero',
 *   default: { content: { title: 'New this week' } },
 *   variants: [{ id: 'kids', when: { 'interests.kids': { $gte: 0.5 } }, content: { title: 'For little explorers' } }] }] }) });
 * const orchestrator = createOrchestrator({ consent: [...], strategies: [anonymousSession(), content] });
 * ```
 */
export function dynamicContent(options: DynamicContentOptions): DynamicContentStrategy {
  const o = checkOrThrow(checkDynamicContentOptions, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: '@tactful/dynamic-content',
  });
  // Catalog JSON is parsed against the built-in taxonomy; for vendor categories or purposes, pass
  // `parseCatalog(json, { taxonomy })` instead.
  const catalog = isCatalog(o.catalog)
    ? o.catalog
    : parseCatalog(o.catalog, o.regex === undefined ? {} : { regex: o.regex });
  return contentStrategy(o, catalog, (p) => catalog.taxonomy.purposes.has(p));
}
