/**
 * The prebuilt catalog: what `compileCatalog` (`@tactful/dynamic-content/compile`) writes after
 * every check of `defineCatalog` passed, and what `@tactful/dynamic-content/prebuilt` loads in a
 * page. Plain JSON, so it can ship as a `.json` file or a JS module next to the page's code.
 */
import { jsonFingerprint, type LocalizedText } from '@tactful/core';
import type { TemplateParts } from './render-parts.js';
import type { RenderContext } from './template.js';

/** The format of prebuilt catalogs written and read here; a catalog of another format is refused. */
export const PREBUILT_CATALOG_FORMAT = 'tactful-catalog/1';

/** Content as data: see `ContentData` (`value` with `{ "$template": i }` in place of templates). */
export interface PrebuiltContent {
  readonly value: unknown;
  readonly templates: readonly TemplateParts[];
}

/** A variant as the page needs it: what the checks worked out, conditions as written (checked). */
export interface PrebuiltVariant {
  readonly id: string;
  readonly priority: number;
  readonly weight?: number;
  /** Schedule bounds, epoch milliseconds. */
  readonly start?: number;
  readonly end?: number;
  /** The condition as written; the build compiled it once, so it is known to be valid. */
  readonly when?: Record<string, unknown>;
  readonly content: PrebuiltContent;
  /** Content per lower-cased locale tag. */
  readonly locales: Readonly<Record<string, PrebuiltContent>>;
  readonly topics: readonly string[];
  readonly purpose?: string;
  readonly reason?: LocalizedText;
  /** Fact paths its condition and templates read. */
  readonly paths: readonly string[];
  /** Data categories it reads, sorted. */
  readonly categories: readonly string[];
}

/** A slot as the page needs it. */
export interface PrebuiltSlot {
  readonly id: string;
  readonly description?: string;
  readonly format: RenderContext;
  readonly default: PrebuiltContent;
  readonly locales: Readonly<Record<string, PrebuiltContent>>;
  readonly variants: readonly PrebuiltVariant[];
  readonly experiment?: {
    readonly id: string;
    readonly version: number;
    readonly bucketBy: 'session' | 'subject';
  };
}

/** Everything the stamp covers. */
export interface PrebuiltCatalogBody {
  /** The purposes of the taxonomy the catalog was checked against (`options.purposes` must be among them). */
  readonly purposes: readonly string[];
  /** Data category reads, each with its purpose (the strategy manifest's `reads`). */
  readonly reads: ReadonlyArray<{ readonly category: string; readonly purpose: string }>;
  readonly slots: readonly PrebuiltSlot[];
}

/** A prebuilt, stamped catalog. */
export interface PrebuiltCatalog {
  readonly format: typeof PREBUILT_CATALOG_FORMAT;
  /** {@link prebuiltStamp} of `body`. */
  readonly stamp: string;
  readonly body: PrebuiltCatalogBody;
}

/**
 * The stamp of a prebuilt catalog's body: core's `jsonFingerprint` of it, after the format. A
 * checksum that tells an edited catalog from the one built, not a signature.
 */
export function prebuiltStamp(body: PrebuiltCatalogBody): string {
  return `${PREBUILT_CATALOG_FORMAT};${jsonFingerprint(body)}`;
}
