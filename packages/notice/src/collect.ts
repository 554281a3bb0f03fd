import {
  type CategoryDefinition,
  type ConsentProviderManifest,
  ConsentProviderManifestSchema,
  type DataSourceManifest,
  DataSourceManifestSchema,
  type LocalizedText,
  REQUEST_CATEGORIES,
  type StrategyManifest,
  StrategyManifestSchema,
  TactfulError,
  type TactfulIssue,
  type Taxonomy,
  type TaxonomyExtension,
  createTaxonomy,
  formatPath,
  parseOrThrow,
  canonicalJson,
} from '@tactful/core';
import type { z } from 'zod';
import type {
  NoticeCategory,
  NoticeConsentLevel,
  NoticePlugin,
  NoticePurpose,
  NoticeRights,
} from './schema.js';
import { sha256Hex } from './sha256.js';

/** A plugin object (`{ manifest }`, as `defineStrategy` and friends return) or a bare manifest. */
export type ManifestLike<M> = { readonly manifest: M } | M;

/** The registered plugins the notice is generated from, as the orchestrator exposes them. */
export interface NoticePlugins {
  readonly strategies?: ReadonlyArray<ManifestLike<unknown>>;
  readonly sources?: ReadonlyArray<ManifestLike<unknown>>;
  readonly consent?: ReadonlyArray<ManifestLike<unknown>>;
}

/** The manifests and taxonomy, validated. */
export interface CollectedManifests {
  strategies: StrategyManifest[];
  sources: DataSourceManifest[];
  consent: ConsentProviderManifest[];
  taxonomy: Taxonomy;
}

function manifestOf(value: unknown): unknown {
  if (value && typeof value === 'object' && 'manifest' in value)
    return (value as { manifest: unknown }).manifest;
  return value;
}

function parseAll<S extends z.core.$ZodType>(
  schema: S,
  list: ReadonlyArray<unknown> | undefined,
  kind: 'strategy' | 'source' | 'consent',
  field: string,
): z.output<S>[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    throw new TactfulError('INVALID_OPTIONS', `notice: "${field}" must be an array of plugins or manifests`, {
      path: [field],
    });
  }
  return list.map((item, i) => {
    const raw = manifestOf(item);
    const withKind = raw && typeof raw === 'object' ? { ...(raw as object), kind } : raw;
    return parseOrThrow(schema, withKind, {
      code: 'INVALID_MANIFEST',
      what: `${kind} manifest`,
      path: [field, i],
    });
  });
}

function isTaxonomy(value: unknown): value is Taxonomy {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Taxonomy).purposes instanceof Map &&
    typeof (value as Taxonomy).category === 'function'
  );
}

/**
 * Validates the plugins' manifests (re-parsed with core's schemas, so plain manifests get their
 * defaults) and builds the taxonomy: the one given, or built-ins + the given extension + every
 * plugin's own `manifest.taxonomy`.
 */
export function collectManifests(
  plugins: NoticePlugins,
  taxonomy: Taxonomy | TaxonomyExtension | undefined,
): CollectedManifests {
  const strategies = parseAll(StrategyManifestSchema, plugins.strategies, 'strategy', 'strategies');
  const sources = parseAll(DataSourceManifestSchema, plugins.sources, 'source', 'sources');
  const consent = parseAll(ConsentProviderManifestSchema, plugins.consent, 'consent', 'consent');
  const seen = new Map<string, string>();
  for (const [kind, list] of [
    ['strategies', strategies],
    ['sources', sources],
    ['consent', consent],
  ] as const) {
    for (const m of list) {
      const other = seen.get(m.name);
      if (other !== undefined) {
        throw new TactfulError(
          'DUPLICATE_PLUGIN',
          `notice: plugin "${m.name}" is listed twice (${other} and ${kind})`,
          {
            plugin: m.name,
            path: [kind, m.name],
          },
        );
      }
      seen.set(m.name, kind);
    }
  }
  const built = isTaxonomy(taxonomy)
    ? taxonomy
    : createTaxonomy([
        ...(taxonomy ? [taxonomy] : []),
        ...[...strategies, ...sources, ...consent].flatMap((m): TaxonomyExtension[] =>
          m.taxonomy
            ? [
                {
                  ...(m.taxonomy.purposes ? { purposes: m.taxonomy.purposes } : {}),
                  ...(m.taxonomy.categories ? { categories: m.taxonomy.categories } : {}),
                },
              ]
            : [],
        ),
      ]);
  return { strategies, sources, consent, taxonomy: built };
}

const REQUEST_BORNE: ReadonlySet<string> = new Set(REQUEST_CATEGORIES);
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface CategoryAccumulator {
  definition: CategoryDefinition;
  usedBy: Set<string>;
  why: Map<string, LocalizedText>;
}

interface PurposeAccumulator {
  strategies: Set<string>;
  categories: Map<string, CategoryAccumulator>;
}

/** Everything the notice says about purposes and rights, derived from the manifests alone. */
export interface CollectedPurposes {
  purposes: Record<string, NoticePurpose>;
  rights: NoticeRights;
}

/**
 * Derives every purpose section from the manifests: which categories each purpose reads (with
 * origin, sensitivity, why, retention), which plugins, which consent it needs. Problems (unknown
 * purposes or categories, a category nobody provides) are all collected and thrown at once.
 */
export function collectPurposes(m: CollectedManifests): CollectedPurposes {
  const issues: TactfulIssue[] = [];
  const kinds = new Set<'UNKNOWN_PURPOSE' | 'UNKNOWN_CATEGORY' | 'MISSING_CATEGORY_PROVIDER'>();
  const purposeAcc = new Map<string, PurposeAccumulator>();
  const purposeOf = (id: string, path: Array<string | number>): PurposeAccumulator | undefined => {
    if (!m.taxonomy.purposes.has(id)) {
      kinds.add('UNKNOWN_PURPOSE');
      issues.push({ path, message: `unknown purpose "${id}"; add it to the taxonomy or fix the manifest` });
      return undefined;
    }
    let acc = purposeAcc.get(id);
    if (!acc) {
      acc = { strategies: new Set(), categories: new Map() };
      purposeAcc.set(id, acc);
    }
    return acc;
  };

  for (const s of m.strategies) {
    s.purposes.forEach((p, i) => {
      purposeOf(p, ['strategies', s.name, 'purposes', i])?.strategies.add(s.name);
    });
    s.reads.forEach((read, i) => {
      const where = ['strategies', s.name, 'reads', i];
      const acc = purposeOf(read.purpose, [...where, 'purpose']);
      const definition = m.taxonomy.categories.get(read.category);
      if (!definition) {
        kinds.add('UNKNOWN_CATEGORY');
        issues.push({ path: [...where, 'category'], message: `unknown data category "${read.category}"` });
        return;
      }
      if (!acc) return;
      acc.strategies.add(s.name);
      let cat = acc.categories.get(read.category);
      if (!cat) {
        cat = { definition, usedBy: new Set(), why: new Map() };
        acc.categories.set(read.category, cat);
      }
      cat.usedBy.add(s.name);
      // The same reason given by two plugins (in other case or punctuation) is said once.
      if (read.why) {
        const key = canonicalJson({
          en: read.why.en
            .trim()
            .replace(/[.!]+$/, '')
            .toLowerCase(),
          vi: read.why.vi
            ?.trim()
            .replace(/[.!]+$/, '')
            .toLowerCase(),
        });
        const known = cat.why.get(key);
        // Keep the better-written one (a capital, a full stop) whoever registered first.
        if (!known || (/^[a-z]/.test(known.en) && /^[A-Z]/.test(read.why.en))) cat.why.set(key, read.why);
      }
    });
  }

  const providers = new Map<string, DataSourceManifest[]>();
  for (const source of m.sources) {
    for (const p of source.provides) {
      if (!m.taxonomy.categories.has(p.category)) {
        kinds.add('UNKNOWN_CATEGORY');
        issues.push({
          path: ['sources', source.name, 'provides', p.category],
          message: `unknown data category "${p.category}"`,
        });
      }
      providers.set(p.category, [...(providers.get(p.category) ?? []), source]);
    }
  }

  const stored = new Map<string, DataSourceManifest[]>();
  const purposes: Record<string, NoticePurpose> = {};
  for (const id of [...purposeAcc.keys()].sort(byString)) {
    const acc = purposeAcc.get(id)!;
    const definition = m.taxonomy.purposes.get(id)!;
    const categories: NoticeCategory[] = [];
    const plugins = new Map<string, NoticePlugin>();
    for (const name of acc.strategies) {
      const s = m.strategies.find((x) => x.name === name)!;
      plugins.set(name, { name, kind: 'strategy', ...(s.description ? { description: s.description } : {}) });
    }
    for (const catId of [...acc.categories.keys()].sort(byString)) {
      const cat = acc.categories.get(catId)!;
      const sources = providers.get(catId) ?? [];
      let storage: NoticeCategory['storage'];
      let retentionDays: number | null = null;
      if (sources.length > 0) {
        const days = sources.flatMap((src) =>
          src.provides.filter((p) => p.category === catId).map((p) => p.retentionDays),
        );
        const limited = days.filter((d): d is number => d !== undefined);
        // A source that keeps a category (a retention period, or rights over it) stores it; one
        // that only looks it up (weather, a lookup API) fetches it.
        const keeps = limited.length > 0 || sources.some((src) => src.rights.export || src.rights.erase);
        storage = keeps ? 'stored' : 'fetched';
        retentionDays = limited.length > 0 ? Math.max(...limited) : null;
        if (storage === 'stored') stored.set(catId, sources);
        for (const src of sources) {
          plugins.set(src.name, {
            name: src.name,
            kind: 'source',
            ...(src.description ? { description: src.description } : {}),
          });
        }
      } else if (REQUEST_BORNE.has(catId)) {
        storage = catId === 'session.events' ? 'session' : 'request';
      } else {
        kinds.add('MISSING_CATEGORY_PROVIDER');
        issues.push({
          path: ['strategies', [...cat.usedBy].sort(byString)[0] ?? '', 'reads', catId],
          message: `no data source provides category "${catId}" and the request does not carry it; register a source for it`,
        });
        continue;
      }
      const def = cat.definition;
      categories.push({
        id: catId,
        label: def.label,
        ...(def.description ? { description: def.description } : {}),
        origin: def.origin,
        sensitive: def.sensitive,
        personal: def.personal,
        why: [...cat.why.entries()].sort(([a], [b]) => byString(a, b)).map(([, text]) => text),
        providedBy: sources.map((s) => s.name).sort(byString),
        storage,
        retentionDays,
      });
    }
    const sensitive = categories.some((c) => c.sensitive);
    const consent: NoticeConsentLevel = !definition.requiresConsent
      ? 'none'
      : sensitive || definition.explicitConsentFor.length > 0
        ? 'explicit'
        : 'opt-in';
    const section: Omit<NoticePurpose, 'hash'> = {
      id,
      label: definition.label,
      ...(definition.description ? { description: definition.description } : {}),
      consent,
      sensitive,
      categories,
      plugins: [...plugins.values()].sort((a, b) => byString(a.name, b.name)),
    };
    purposes[id] = { ...section, hash: sha256Hex(canonicalJson(section)) };
  }

  if (issues.length > 0) {
    const list = issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
    const code = kinds.size === 1 ? [...kinds][0]! : 'INVALID_CONFIG';
    throw new TactfulError(code, `notice: cannot describe this configuration: ${list}`, { issues });
  }

  const rights: NoticeRights = { access: [], erase: [], rectify: [], notErasable: [] };
  for (const catId of [...stored.keys()].sort(byString)) {
    const sources = stored.get(catId)!;
    if (sources.every((s) => s.rights.export)) rights.access.push(catId);
    if (sources.every((s) => s.rights.erase)) rights.erase.push(catId);
    else rights.notErasable.push(catId);
    if (sources.every((s) => s.rights.rectify)) rights.rectify.push(catId);
  }
  return { purposes, rights };
}
