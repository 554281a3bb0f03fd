/**
 * A verified plan's registry: what `buildRegistry` would have worked out, read back from the plan
 * and joined to the plugin instances the page passes. No check is run again here; the plan is
 * trusted only after its stamp and every plugin's manifest fingerprint matched (`compiled.ts`).
 */
import {
  type CategoryDefinition,
  type ConsentProvider,
  type ConsentProviderManifest,
  type DataSource,
  type DataSourceManifest,
  type PurposeDefinition,
  type Strategy,
  type StrategyManifest,
  type Taxonomy,
  TactfulError,
} from '@tactful/core';
import type { PlanBody, PlanCategory, PlanPurpose } from './plan-format.js';
import type { ConsentPlan, Registry, SourcePlan, StrategyPlan } from './registry-types.js';

/** The plugin instances, in the order they were compiled. */
export interface PlanPlugins {
  readonly consent: readonly ConsentProvider[];
  readonly sources: readonly DataSource[];
  readonly strategies: readonly Strategy[];
}

/** A taxonomy of the plan's purposes and categories only (no built-in table in the page). */
export function planTaxonomy(
  purposes: readonly PlanPurpose[],
  categories: readonly PlanCategory[],
): Taxonomy {
  // The plan leaves out what only the notice and registration read (descriptions, TCF purposes).
  const purposeMap = new Map(
    purposes.map((p) => [
      p.id,
      Object.freeze({ tcfPurposes: [], tcfSpecialFeatures: [], ...p }) as PurposeDefinition,
    ]),
  );
  const categoryMap = new Map(categories.map((c) => [c.id, Object.freeze({ ...c }) as CategoryDefinition]));
  return Object.freeze({
    purposes: purposeMap,
    categories: categoryMap,
    purpose(id: string, where?: string) {
      const p = purposeMap.get(id);
      if (p) return p;
      throw new TactfulError(
        'UNKNOWN_PURPOSE',
        `${where ? `${where}: ` : ''}purpose "${id}" is not in the plan`,
      );
    },
    category(id: string, where?: string) {
      const c = categoryMap.get(id);
      if (c) return c;
      throw new TactfulError(
        'UNKNOWN_CATEGORY',
        `${where ? `${where}: ` : ''}category "${id}" is not in the plan`,
      );
    },
    permitsCategory(purpose: string, category: string) {
      const c = categoryMap.get(category);
      if (!c) return false;
      if (!c.sensitive) return true;
      return purposeMap.get(purpose)?.explicitConsentFor.includes(category) ?? false;
    },
  });
}

/** The registry of a verified plan body and its plugins. */
export function registryFromPlan(body: PlanBody, plugins: PlanPlugins): Registry {
  const f = Object.freeze;
  const consent: ConsentPlan[] = body.consent.map((c, order) =>
    f({
      kind: 'consent' as const,
      name: c.name,
      order,
      plugin: plugins.consent[order]!,
      manifest: f(c.manifest) as ConsentProviderManifest,
      timeoutMs: c.timeoutMs,
    }),
  );
  const providers = new Map<string, SourcePlan[]>();
  const sources: SourcePlan[] = body.sources.map((s, order) => {
    const plan: SourcePlan = f({
      kind: 'source' as const,
      name: s.name,
      order,
      plugin: plugins.sources[order]!,
      manifest: f(s.manifest) as DataSourceManifest,
      provides: f(s.provides),
      requiresSubject: s.manifest.requiresSubject,
      timeoutMs: s.timeoutMs,
    });
    for (const c of plan.provides) {
      const list = providers.get(c) ?? [];
      list.push(plan);
      providers.set(c, list);
    }
    return plan;
  });
  const strategies: StrategyPlan[] = body.strategies.map((s) =>
    f({
      kind: 'strategy' as const,
      name: s.name,
      order: s.order,
      plugin: plugins.strategies[s.order]!,
      manifest: f(s.manifest) as StrategyManifest,
      purposes: f(s.purposes),
      reads: f(s.reads.map((r) => f(r))),
      signalReads: f(s.signalReads),
      signalPublishes: f(s.signalPublishes),
      deps: f(s.deps),
      layer: s.layer,
      priority: s.manifest.priority,
      timeoutMs: s.timeoutMs,
    }),
  );
  return f({
    taxonomy: planTaxonomy(body.taxonomy.purposes, body.taxonomy.categories),
    strategies: f(strategies),
    sources: f(sources),
    consent: f(consent),
    consentOrder: f(body.consentOrder),
    purposes: f(body.purposes),
    categories: f(body.categories),
    consentFree: new Set(body.consentFree),
    providers,
    layers: f(body.layers.map((l) => f(l))),
  });
}
