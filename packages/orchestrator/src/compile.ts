import { CORE_VERSION } from '@tactful/core';
import type { OrchestratorOptions } from './options.js';
import { register } from './orchestrator.js';
import {
  type CompiledPlan,
  PLAN_FORMAT,
  type PlanBody,
  manifestFingerprint,
  planStamp,
} from './plan-format.js';
import type { Registry } from './registry.js';

/**
 * Runs every registration-time check of `createOrchestrator` on a whole configuration (option
 * shapes, manifests, names, core ranges, the taxonomy, purposes and categories, providers,
 * signals, cycles, the creepy line P3, erasure P6) and writes what registration works out as a
 * stamped, JSON-serializable plan. A page then starts the engine from that plan with
 * `createCompiledOrchestrator` from `@tactful/orchestrator/compiled`, without shipping the checks.
 *
 * Plugins check their own options when they are made (`dynamicContent({...})` parses its catalog,
 * templates and conditions then), so making them in the build step checks those too; the plan
 * records each manifest's fingerprint, so the page refuses plugins that differ from the ones
 * compiled.
 *
 * @throws TactfulError the same error `createOrchestrator` throws for the same options.
 * @example
 * ```ts
 * import { compilePlan } from '@tactful/orchestrator/compile';
 * import { writeFileSync } from 'node:fs';
 * import { pagePlugins } from './tactful.page.js';
 *
 * writeFileSync('src/tactful-plan.json', JSON.stringify(compilePlan(pagePlugins())));
 * ```
 */
export function compilePlan(options: OrchestratorOptions): CompiledPlan {
  const { opts, timeouts, limits, registry } = register(options);
  const body = planBody(registry, {
    core: opts.coreVersion ?? CORE_VERSION,
    timeouts,
    limits,
    merge: typeof opts.merge === 'function' ? 'custom' : opts.merge,
    consentChangeMemory: opts.consentChangeMemory,
  });
  return { format: PLAN_FORMAT, stamp: planStamp(body), body };
}

type Settings = Pick<PlanBody, 'core' | 'timeouts' | 'limits' | 'merge' | 'consentChangeMemory'>;

/** The plan body of a registry: plain data only, in a fixed order. */
function planBody(registry: Registry, settings: Settings): PlanBody {
  // Only what the plugins use of the taxonomy travels: the page needs labels for explanations
  // and the origin of each category read, not the whole built-in table.
  const categoryIds = new Set<string>(registry.categories);
  for (const s of registry.sources) for (const c of s.provides) categoryIds.add(c);
  const purposeIds = new Set<string>(registry.purposes);
  for (const s of registry.strategies) for (const r of s.reads) purposeIds.add(r.purpose);
  const sorted = (ids: Set<string>) => [...ids].sort();
  return json({
    ...settings,
    taxonomy: {
      purposes: sorted(purposeIds).map((id) => {
        const p = registry.taxonomy.purpose(id);
        return {
          id,
          label: p.label,
          requiresConsent: p.requiresConsent,
          explicitConsentFor: p.explicitConsentFor,
        };
      }),
      categories: sorted(categoryIds).map((id) => {
        const c = registry.taxonomy.category(id);
        return { id, label: c.label, sensitive: c.sensitive, origin: c.origin, personal: c.personal };
      }),
    },
    consent: registry.consent.map((c) => ({
      name: c.name,
      fingerprint: manifestFingerprint(c.plugin.manifest),
      manifest: { kind: c.manifest.kind, name: c.manifest.name, version: c.manifest.version },
      timeoutMs: c.timeoutMs,
    })),
    sources: registry.sources.map((s) => ({
      name: s.name,
      fingerprint: manifestFingerprint(s.plugin.manifest),
      manifest: {
        kind: s.manifest.kind,
        name: s.manifest.name,
        version: s.manifest.version,
        requiresSubject: s.manifest.requiresSubject,
        rights: s.manifest.rights,
      },
      provides: s.provides,
      timeoutMs: s.timeoutMs,
    })),
    strategies: registry.strategies.map((s) => ({
      name: s.name,
      fingerprint: manifestFingerprint(s.plugin.manifest),
      manifest: {
        kind: s.manifest.kind,
        name: s.manifest.name,
        version: s.manifest.version,
        signals: s.manifest.signals,
        priority: s.manifest.priority,
      },
      order: s.order,
      purposes: s.purposes,
      reads: s.reads,
      signalReads: s.signalReads,
      signalPublishes: s.signalPublishes,
      deps: s.deps,
      layer: s.layer,
      timeoutMs: s.timeoutMs,
    })),
    purposes: registry.purposes,
    categories: registry.categories,
    consentFree: [...registry.consentFree].sort(),
    consentOrder: registry.consentOrder,
    layers: registry.layers,
  });
}

/** A deep copy through JSON: the plan holds data only, never a plugin's live objects. */
function json<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
