import {
  assertCoreCompatible,
  ConsentProviderManifestSchema,
  CORE_VERSION,
  createTaxonomy,
  DataSourceManifestSchema,
  formatPath,
  isTactfulError,
  StrategyManifestSchema,
  type Taxonomy,
  type TaxonomyExtension,
} from '@tactful/core';

/** The kinds of plugin. */
export type PluginKind = 'strategy' | 'source' | 'consent';

const SCHEMAS = {
  strategy: StrategyManifestSchema,
  source: DataSourceManifestSchema,
  consent: ConsentProviderManifestSchema,
} satisfies Record<PluginKind, unknown>;

function taxonomyOf(manifest: Record<string, unknown>, extra: TaxonomyExtension | undefined): Taxonomy {
  const own = (manifest['taxonomy'] ?? {}) as TaxonomyExtension;
  return createTaxonomy([own, ...(extra ? [extra] : [])]);
}

/**
 * Every way a plugin's manifest breaks the contract, or an empty list: it re-parses with core's
 * schema for its kind (unchanged), its purposes and categories exist in the taxonomy (the built-in
 * one plus the manifest's and `extra` extensions), and a strategy reads a sensitive category only
 * under a purpose that explicitly covers it (P3).
 */
export function manifestProblems(kind: PluginKind, manifest: unknown, extra?: TaxonomyExtension): string[] {
  const parsed = SCHEMAS[kind].safeParse(manifest);
  if (!parsed.success) {
    return parsed.error.issues.map(
      (i) =>
        `manifest.${formatPath(i.path.map((p) => (typeof p === 'number' ? p : String(p))))}: ${i.message}`,
    );
  }
  const m = parsed.data as Record<string, unknown>;
  let taxonomy: Taxonomy;
  try {
    taxonomy = taxonomyOf(m, extra);
  } catch (error) {
    return [`manifest.taxonomy: ${isTactfulError(error) ? error.message : String(error)}`];
  }
  const problems: string[] = [];
  const known = (what: 'purpose' | 'category', id: string, where: string) => {
    const map = what === 'purpose' ? taxonomy.purposes : taxonomy.categories;
    if (!map.has(id)) {
      problems.push(
        `${where}: unknown ${what} "${id}"; use a built-in one or declare it in manifest.taxonomy.${what === 'purpose' ? 'purposes' : 'categories'}`,
      );
    }
  };
  if (parsed.data.kind === 'strategy') {
    parsed.data.purposes.forEach((p, i) => {
      known('purpose', p, `manifest.purposes[${i}]`);
    });
    parsed.data.reads.forEach((read, i) => {
      known('category', read.category, `manifest.reads[${i}].category`);
      known('purpose', read.purpose, `manifest.reads[${i}].purpose`);
      const category = taxonomy.categories.get(read.category);
      if (category?.sensitive && !taxonomy.permitsCategory(read.purpose, read.category)) {
        problems.push(
          `manifest.reads[${i}]: sensitive category "${read.category}" is read under purpose "${read.purpose}", which does not list it in explicitConsentFor (P3)`,
        );
      }
    });
  }
  if (parsed.data.kind === 'source') {
    parsed.data.provides.forEach((p, i) => {
      known('category', p.category, `manifest.provides[${i}].category`);
    });
  }
  return problems;
}

/** Why the plugin does not support `coreVersion`, or `undefined` when it does. */
export function coreRangeProblem(
  manifest: { name: string; core: string },
  coreVersion: string = CORE_VERSION,
): string | undefined {
  try {
    assertCoreCompatible(manifest, coreVersion);
    return undefined;
  } catch (error) {
    return isTactfulError(error) ? error.message : String(error);
  }
}
