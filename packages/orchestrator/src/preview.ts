import type { ConsentState, DroppedPlugin } from '@tactful/core';
import type { ResolvedConsent } from './consent.js';
import type { DecisionPlan } from './plan.js';
import type { Registry } from './registry.js';

/** What one strategy would do in a decision. */
export interface StrategyPreview {
  readonly name: string;
  /** Its dependency layer (0 runs first). */
  readonly layer: number;
  readonly willRun: boolean;
  /** Why it would be skipped. */
  readonly skipped?: { readonly code: string; readonly reason: string };
  /** The purposes it needs (all must be granted). */
  readonly purposes: readonly string[];
  /** Each category it declared: whether it would see it, and where it comes from. */
  readonly categories: ReadonlyArray<{
    readonly category: string;
    readonly purpose: string;
    readonly permitted: boolean;
    /** `request` for request-borne categories, else the names of the sources that provide it. */
    readonly from: 'request' | readonly string[];
  }>;
  /** Signals it reads (it runs after their publishers). */
  readonly waitsFor: readonly string[];
  readonly timeoutMs: number;
}

/** What one source would do in a decision. */
export interface SourcePreview {
  readonly name: string;
  readonly willCall: boolean;
  /** The categories it would be asked for. */
  readonly categories: readonly string[];
  /** Why it would not be called. */
  readonly reason?: string;
  readonly timeoutMs: number;
}

/** The result of `preview()`: a dry run that calls no strategy and no source. */
export interface DecisionPreview {
  readonly traceId: string;
  /** The consent snapshot the decision would rely on. */
  readonly consent: ConsentState;
  /** Consent providers that failed (then only consent-free purposes count as granted). */
  readonly consentFailures: readonly DroppedPlugin[];
  readonly strategies: readonly StrategyPreview[];
  readonly sources: readonly SourcePreview[];
  /** Strategy names by dependency layer. */
  readonly layers: ReadonlyArray<readonly string[]>;
}

/** Builds the preview from a decision plan. */
export function buildPreview(
  registry: Registry,
  plan: DecisionPlan,
  consent: ResolvedConsent,
  traceId: string,
): DecisionPreview {
  const strategies = registry.strategies.map((s, i): StrategyPreview => {
    const permit = plan.permits[i];
    const skip = plan.skipped.find((d) => d.plugin === s.name);
    return {
      name: s.name,
      layer: s.layer,
      willRun: permit !== undefined,
      ...(skip ? { skipped: { code: skip.code, reason: skip.reason } } : {}),
      purposes: s.purposes,
      categories: s.reads.map((r) => ({
        category: r.category,
        purpose: r.purpose,
        permitted: permit !== undefined && consent.granted.has(r.purpose),
        from: r.fromRequest ? 'request' : (registry.providers.get(r.category) ?? []).map((p) => p.name),
      })),
      waitsFor: s.signalReads,
      timeoutMs: s.timeoutMs,
    };
  });
  const sources = registry.sources.map((s): SourcePreview => {
    const call = plan.sourceCalls.find((c) => c.plan === s);
    if (call) return { name: s.name, willCall: true, categories: call.categories, timeoutMs: s.timeoutMs };
    const skip = plan.sourceSkips.find((d) => d.plugin === s.name);
    const categories = s.provides.filter((c) => plan.needed.has(c));
    return {
      name: s.name,
      willCall: false,
      categories,
      reason: skip ? skip.reason : 'no permitted strategy needs its categories',
      timeoutMs: s.timeoutMs,
    };
  });
  return {
    traceId,
    consent: consent.state,
    consentFailures: consent.failures,
    strategies,
    sources,
    layers: registry.layers,
  };
}
