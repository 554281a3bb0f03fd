import {
  CORE_VERSION,
  type ConsentProvider,
  type ConsentProviderManifest,
  type DataSource,
  type DataSourceManifest,
  REQUEST_CATEGORIES,
  type Strategy,
  type StrategyManifest,
  type Taxonomy,
  type TaxonomyExtension,
  assertCoreCompatible,
  createTaxonomy,
  defaultTaxonomy,
  isTactfulError,
  type Check,
  CheckFailure,
  consentProviderManifest,
  dataSourceManifest,
  strategyManifest,
} from '@tactful/core';
import { findCycles, layerGraph } from './graph.js';
import { IssueCollector } from './issues.js';
import type {
  ConsentPlan,
  PlannedRead,
  Registry,
  ResolvedTimeouts,
  SourcePlan,
  StrategyPlan,
} from './registry-types.js';

export type {
  ConsentPlan,
  PlannedRead,
  Registry,
  ResolvedTimeouts,
  SourcePlan,
  StrategyPlan,
} from './registry-types.js';
export { ORIGIN_RANK } from './registry-types.js';

const REQUEST_BORNE: ReadonlySet<string> = new Set(REQUEST_CATEGORIES);

interface RegistryInput {
  consent: readonly unknown[];
  sources: readonly unknown[];
  strategies: readonly unknown[];
  taxonomy: TaxonomyExtension | undefined;
  allowSourcesWithoutErasure: readonly string[];
  timeouts: ResolvedTimeouts;
  coreVersion: string | undefined;
}

type AnyPlugin = { manifest: unknown } & Record<string, unknown>;

function parseManifest<T>(
  check: Check<T>,
  plugin: AnyPlugin,
  path: Array<string | number>,
  issues: IssueCollector,
): T | undefined {
  try {
    return check(plugin.manifest, [...path, 'manifest']);
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    const name = (plugin.manifest as { name?: unknown } | null)?.name;
    issues.add(
      'INVALID_MANIFEST',
      [...error.path],
      error.message,
      typeof name === 'string' ? name : undefined,
    );
    return undefined;
  }
}

const RIGHT_FUNCTIONS = { export: 'export', erase: 'erase', rectify: 'rectify' } as const;

/**
 * Checks a whole configuration and precomputes the plan. Collects every problem and throws one
 * `TactfulError` listing them all (see {@link IssueCollector}).
 */
export function buildRegistry(input: RegistryInput): Registry {
  const issues = new IssueCollector();
  const names = new Map<string, string>();
  const checkName = (name: string, path: Array<string | number>) => {
    const seen = names.get(name);
    if (seen !== undefined) {
      issues.add(
        'DUPLICATE_PLUGIN',
        path,
        `the name "${name}" is already used by ${seen}; every plugin needs its own name`,
        name,
      );
    } else names.set(name, path.join('.'));
  };
  const checkCore = (manifest: { name: string; core: string }, path: Array<string | number>) => {
    try {
      assertCoreCompatible(manifest, input.coreVersion ?? CORE_VERSION);
    } catch (error) {
      if (!isTactfulError(error)) throw error;
      issues.add(error.code, [...path, 'manifest', 'core'], error.message, manifest.name);
    }
  };

  // 1. Manifests, names and core ranges.
  const consentList: Array<{
    plugin: ConsentProvider;
    manifest: ConsentProviderManifest;
    path: Array<string | number>;
  }> = [];
  input.consent.forEach((p, i) => {
    const path = ['consent', i];
    const m = parseManifest(consentProviderManifest, p as AnyPlugin, path, issues);
    if (!m) return;
    checkName(m.name, path);
    checkCore(m, path);
    consentList.push({ plugin: p as ConsentProvider, manifest: m, path });
  });
  const sourceList: Array<{
    plugin: DataSource;
    manifest: DataSourceManifest;
    path: Array<string | number>;
  }> = [];
  input.sources.forEach((p, i) => {
    const path = ['sources', i];
    const m = parseManifest(dataSourceManifest, p as AnyPlugin, path, issues);
    if (!m) return;
    checkName(m.name, path);
    checkCore(m, path);
    for (const right of Object.keys(RIGHT_FUNCTIONS) as Array<keyof typeof RIGHT_FUNCTIONS>) {
      if (m.rights[right] && typeof (p as AnyPlugin)[right] !== 'function') {
        issues.add(
          'INVALID_MANIFEST',
          [...path, right],
          `declares rights.${right} but has no "${right}" function`,
          m.name,
        );
      }
    }
    sourceList.push({ plugin: p as DataSource, manifest: m, path });
  });
  const strategyList: Array<{ plugin: Strategy; manifest: StrategyManifest; path: Array<string | number> }> =
    [];
  input.strategies.forEach((p, i) => {
    const path = ['strategies', i];
    const m = parseManifest(strategyManifest, p as AnyPlugin, path, issues);
    if (!m) return;
    checkName(m.name, path);
    checkCore(m, path);
    strategyList.push({ plugin: p as Strategy, manifest: m, path });
  });

  // 2. The taxonomy: built-ins + configuration + what plugins add.
  const extensions: TaxonomyExtension[] = [];
  if (input.taxonomy) extensions.push(input.taxonomy);
  for (const { manifest } of [...consentList, ...sourceList, ...strategyList]) {
    if (manifest.taxonomy) extensions.push(manifest.taxonomy as TaxonomyExtension);
  }
  let taxonomy: Taxonomy = defaultTaxonomy;
  try {
    taxonomy = createTaxonomy(extensions);
  } catch (error) {
    issues.add(
      isTactfulError(error) ? error.code : 'INVALID_CONFIG',
      ['taxonomy', ...(isTactfulError(error) ? (error.path ?? []) : [])],
      error instanceof Error ? error.message : String(error),
    );
  }
  const purposeKnown = (id: string) => taxonomy.purposes.has(id);
  const category = (id: string) => taxonomy.categories.get(id);

  // 3. Sources: known categories, erasure (P6).
  const allowed = new Set(input.allowSourcesWithoutErasure);
  for (const name of allowed) {
    if (!sourceList.some((s) => s.manifest.name === name)) {
      issues.add(
        'INVALID_OPTIONS',
        ['allowSourcesWithoutErasure'],
        `names "${name}", which is not a registered source`,
      );
    }
  }
  const providers = new Map<string, SourcePlan[]>();
  const sources: SourcePlan[] = sourceList.map(({ plugin, manifest, path }, order) => {
    let personal = false;
    manifest.provides.forEach((p, j) => {
      const c = category(p.category);
      if (!c) {
        issues.add(
          'UNKNOWN_CATEGORY',
          [...path, 'manifest', 'provides', j, 'category'],
          `unknown data category "${p.category}"; add it to the taxonomy (options.taxonomy or the manifest's taxonomy)`,
          manifest.name,
        );
      } else if (c.personal) personal = true;
    });
    if (personal && !manifest.rights.erase && !allowed.has(manifest.name)) {
      issues.add(
        'ERASURE_UNSUPPORTED',
        [...path, 'manifest', 'rights', 'erase'],
        `source "${manifest.name}" holds personal data but cannot erase it (P6); implement erase() and set rights.erase, or list it in allowSourcesWithoutErasure`,
        manifest.name,
      );
    }
    const plan: SourcePlan = {
      kind: 'source',
      name: manifest.name,
      order,
      plugin,
      manifest,
      provides: manifest.provides.map((p) => p.category).filter((c) => !REQUEST_BORNE.has(c)),
      requiresSubject: manifest.requiresSubject,
      timeoutMs: Math.min(manifest.timeoutMs ?? input.timeouts.sourceMs, input.timeouts.sourceMs),
    };
    for (const c of plan.provides) {
      const list = providers.get(c) ?? [];
      list.push(plan);
      providers.set(c, list);
    }
    return plan;
  });

  // 4. Strategies: purposes, categories, the creepy line (P3), signals.
  const publishers = new Map<string, number>();
  strategyList.forEach(({ manifest, path }, i) => {
    manifest.signals.publishes.forEach((s, j) => {
      const other = publishers.get(s.name);
      if (other !== undefined) {
        issues.add(
          'INVALID_CONFIG',
          [...path, 'manifest', 'signals', 'publishes', j],
          `signal "${s.name}" is already published by "${strategyList[other]?.manifest.name}"; a signal has one publisher`,
          manifest.name,
        );
      } else publishers.set(s.name, i);
    });
  });
  const draft = strategyList.map(({ plugin, manifest, path }, order) => {
    const where = `strategy "${manifest.name}"`;
    manifest.purposes.forEach((p, j) => {
      if (!purposeKnown(p))
        issues.add(
          'UNKNOWN_PURPOSE',
          [...path, 'manifest', 'purposes', j],
          `${where}: unknown purpose "${p}"; known purposes: ${[...taxonomy.purposes.keys()].join(', ')}`,
          manifest.name,
        );
    });
    const reads: PlannedRead[] = [];
    manifest.reads.forEach((r, j) => {
      const at = [...path, 'manifest', 'reads', j];
      const c = category(r.category);
      const purpose = taxonomy.purposes.get(r.purpose);
      if (!purpose)
        issues.add(
          'UNKNOWN_PURPOSE',
          [...at, 'purpose'],
          `${where}: reads "${r.category}" for unknown purpose "${r.purpose}"`,
          manifest.name,
        );
      if (!c) {
        issues.add(
          'UNKNOWN_CATEGORY',
          [...at, 'category'],
          `${where}: unknown data category "${r.category}"; add it to the taxonomy or use a built-in one`,
          manifest.name,
        );
        return;
      }
      if (purpose && c.sensitive && !taxonomy.permitsCategory(r.purpose, r.category)) {
        issues.add(
          'SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT',
          at,
          `${where} reads sensitive category "${r.category}" under purpose "${r.purpose}", which does not require explicit consent for it (P3); read it under a purpose whose explicitConsentFor lists "${r.category}"`,
          manifest.name,
        );
      }
      if (purpose && !purpose.requiresConsent && c.personal) {
        issues.add(
          'INVALID_CONFIG',
          [...at, 'purpose'],
          `${where} reads personal category "${r.category}" under "${r.purpose}", a purpose that needs no consent; personal data needs a consent-based purpose`,
          manifest.name,
        );
      }
      const fromRequest = REQUEST_BORNE.has(r.category);
      if (!fromRequest && !providers.has(r.category)) {
        issues.add(
          'MISSING_CATEGORY_PROVIDER',
          [...at, 'category'],
          `${where} reads "${r.category}" but no registered source provides it; register a source for it or remove the read`,
          manifest.name,
        );
      }
      if (!reads.some((x) => x.category === r.category && x.purpose === r.purpose)) {
        reads.push({ category: r.category, purpose: r.purpose, origin: c.origin, fromRequest });
      }
    });
    manifest.signals.reads.forEach((s, j) => {
      if (!publishers.has(s)) {
        issues.add(
          'MISSING_SIGNAL_PUBLISHER',
          [...path, 'manifest', 'signals', 'reads', j],
          `${where} reads signal "${s}" but no registered strategy publishes it`,
          manifest.name,
        );
      }
    });
    const deps = [
      ...new Set(
        manifest.signals.reads.map((s) => publishers.get(s)).filter((d): d is number => d !== undefined),
      ),
    ];
    return { plugin, manifest, order, reads, deps };
  });

  // 5. Dependency cycles, then a topological order and layers.
  const deps = draft.map((d) => d.deps);
  for (const cycle of findCycles(deps)) {
    const names = cycle.map((i) => draft[i]?.manifest.name ?? '?');
    const first = cycle[0] ?? 0;
    issues.add(
      'DEPENDENCY_CYCLE',
      [...(strategyList[first]?.path ?? []), 'manifest', 'signals', 'reads'],
      `strategies depend on each other's signals in a cycle: ${names.join(' → ')}; break it by removing one signal read`,
      draft[first]?.manifest.name,
    );
  }

  issues.throwIfAny();

  const { layers: layerOf, order: executionOrder } = layerGraph(deps);
  const position = new Map(executionOrder.map((original, pos) => [original, pos]));
  const strategies: StrategyPlan[] = executionOrder.map((i) => {
    const d = draft[i]!;
    const m = d.manifest;
    return Object.freeze({
      kind: 'strategy' as const,
      name: m.name,
      order: d.order,
      plugin: d.plugin,
      manifest: m,
      purposes: Object.freeze([...new Set(m.purposes)]),
      reads: Object.freeze(d.reads),
      signalReads: Object.freeze([...new Set(m.signals.reads)]),
      signalPublishes: Object.freeze(m.signals.publishes.map((s) => s.name)),
      deps: Object.freeze(d.deps.map((x) => position.get(x)!)),
      layer: layerOf[i] ?? 0,
      priority: m.priority,
      timeoutMs: Math.min(m.timeoutMs ?? input.timeouts.strategyMs, input.timeouts.strategyMs),
    });
  });
  const layers: string[][] = [];
  for (const s of strategies) {
    const l = layers[s.layer] ?? [];
    l.push(s.name);
    layers[s.layer] = l;
  }

  const consent: ConsentPlan[] = consentList.map(({ plugin, manifest }, order) => ({
    kind: 'consent',
    name: manifest.name,
    order,
    plugin,
    manifest,
    timeoutMs: Math.min(manifest.timeoutMs ?? input.timeouts.consentMs, input.timeouts.consentMs),
  }));

  const purposes = new Set<string>();
  for (const s of strategies) {
    for (const p of s.purposes) purposes.add(p);
    for (const r of s.reads) purposes.add(r.purpose);
  }
  const consentFree = new Set(
    [...purposes].filter((p) => taxonomy.purposes.get(p)?.requiresConsent === false),
  );

  return Object.freeze({
    taxonomy,
    strategies: Object.freeze(strategies),
    sources: Object.freeze(sources),
    consent: Object.freeze(consent),
    consentOrder: Object.freeze(
      consent
        .map((_, i) => i)
        .sort((a, b) =>
          consent[a]!.name < consent[b]!.name ? -1 : consent[a]!.name > consent[b]!.name ? 1 : 0,
        ),
    ),
    purposes: Object.freeze([...purposes].sort()),
    categories: Object.freeze([...new Set(strategies.flatMap((s) => s.reads.map((r) => r.category)))].sort()),
    consentFree,
    providers,
    layers: Object.freeze(layers.map((l) => Object.freeze(l))),
  });
}
