/**
 * `@tactful/dynamic-content/compile`: the build step of a content catalog. `compileCatalog` runs
 * every check of `defineCatalog`/`parseCatalog` and writes a prebuilt catalog, plain JSON that
 * `@tactful/dynamic-content/prebuilt` loads in a page without the catalog's parser and checks.
 *
 * @packageDocumentation
 */
import { TactfulError } from '@tactful/core';
import { type Catalog, type CatalogOptions, isCatalog, parseCatalog } from './catalog.js';
import type { CatalogInput } from './catalog-schema.js';
import { type CompiledContent, contentData } from './content.js';
import {
  PREBUILT_CATALOG_FORMAT,
  type PrebuiltCatalog,
  type PrebuiltCatalogBody,
  type PrebuiltContent,
  type PrebuiltSlot,
  type PrebuiltVariant,
  prebuiltStamp,
} from './prebuilt-format.js';

export { PREBUILT_CATALOG_FORMAT, prebuiltStamp } from './prebuilt-format.js';
export type {
  PrebuiltCatalog,
  PrebuiltCatalogBody,
  PrebuiltContent,
  PrebuiltSlot,
  PrebuiltVariant,
} from './prebuilt-format.js';
export type { TemplatePart, TemplateParts, Escape } from './render-parts.js';

function contentOf(content: CompiledContent): PrebuiltContent {
  const data = contentData(content);
  if (data === undefined)
    throw new TactfulError('INVALID_CONFIG', 'catalog content was not compiled by this package');
  // A JSON round trip: the frozen compiled values become plain data.
  return JSON.parse(JSON.stringify({ value: data.value, templates: data.templates })) as PrebuiltContent;
}

function localesOf(locales: ReadonlyMap<string, CompiledContent>): Record<string, PrebuiltContent> {
  const out: Record<string, PrebuiltContent> = {};
  for (const [tag, content] of locales) out[tag] = contentOf(content);
  return out;
}

/**
 * Compiles a content catalog for a page: runs every check of {@link parseCatalog} (the same
 * `TactfulError` with the same `issues` for a catalog it refuses), then writes what they worked out
 * as stamped JSON: templates split into static texts and placeholders, each with the escaping of
 * where it sits already decided; conditions as written (compiled once here, so known valid); the
 * paths, categories and reads of every variant.
 *
 * @param catalog - catalog JSON (a string or a parsed value), a catalog as code, or a catalog
 *   already made by `defineCatalog`/`parseCatalog` with the same `options`
 * @throws TactfulError the catalog errors of {@link parseCatalog}
 * @example
 * ```ts
 * import { compileCatalog } from '@tactful/dynamic-content/compile';
 * writeFileSync('src/catalog.prebuilt.json', JSON.stringify(compileCatalog(catalogJson)));
 * ```
 */
export function compileCatalog(
  catalog: Catalog | CatalogInput | string | unknown,
  options: CatalogOptions = {},
): PrebuiltCatalog {
  const compiled = isCatalog(catalog) ? catalog : parseCatalog(catalog, options);
  const slots: PrebuiltSlot[] = [];
  for (const slot of compiled.slots.values()) {
    const variants: PrebuiltVariant[] = slot.variants.map((v) => {
      const variant: Record<string, unknown> = { id: v.id, priority: v.priority };
      if (v.weight !== undefined) variant['weight'] = v.weight;
      if (v.start !== undefined) variant['start'] = v.start;
      if (v.end !== undefined) variant['end'] = v.end;
      if (v.condition !== undefined) variant['when'] = JSON.parse(JSON.stringify(v.condition.rule));
      variant['content'] = contentOf(v.content);
      variant['locales'] = localesOf(v.locales);
      variant['topics'] = [...v.topics];
      if (v.purpose !== undefined) variant['purpose'] = v.purpose;
      if (v.reason !== undefined) variant['reason'] = JSON.parse(JSON.stringify(v.reason));
      variant['paths'] = [...v.paths];
      variant['categories'] = [...v.categories];
      return variant as unknown as PrebuiltVariant;
    });
    const out: Record<string, unknown> = { id: slot.id };
    if (slot.description !== undefined) out['description'] = slot.description;
    out['format'] = slot.format;
    out['default'] = contentOf(slot.defaultContent);
    out['locales'] = localesOf(slot.defaultLocales);
    out['variants'] = variants;
    if (slot.experiment !== undefined) out['experiment'] = { ...slot.experiment };
    slots.push(out as unknown as PrebuiltSlot);
  }
  const body: PrebuiltCatalogBody = {
    purposes: [...compiled.taxonomy.purposes.keys()],
    reads: compiled.reads.map((r) => ({ category: r.category, purpose: r.purpose })),
    slots,
  };
  return { format: PREBUILT_CATALOG_FORMAT, stamp: prebuiltStamp(body), body };
}
