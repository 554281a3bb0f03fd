/** The plan pieces registration works out once, for every decision to reuse. */
import type {
  ConsentProvider,
  ConsentProviderManifest,
  DataOrigin,
  DataSource,
  DataSourceManifest,
  Strategy,
  StrategyManifest,
  Taxonomy,
} from '@tactful/core';

/** How inferred an origin is: declared (zero-party) first (P4). */
export const ORIGIN_RANK: Readonly<Record<DataOrigin, number>> = Object.freeze({
  declared: 0,
  observed: 1,
  contextual: 2,
  derived: 3,
});

/** One category a strategy reads, resolved against the taxonomy. */
export interface PlannedRead {
  readonly category: string;
  readonly purpose: string;
  readonly origin: DataOrigin;
  /** True when the orchestrator takes it from the request itself. */
  readonly fromRequest: boolean;
}

/** A registered strategy with everything the hot path needs precomputed. */
export interface StrategyPlan {
  readonly kind: 'strategy';
  readonly name: string;
  /** Registration order. */
  readonly order: number;
  readonly plugin: Strategy;
  readonly manifest: StrategyManifest;
  /** Purposes that must all be granted for it to run. */
  readonly purposes: readonly string[];
  readonly reads: readonly PlannedRead[];
  readonly signalReads: readonly string[];
  readonly signalPublishes: readonly string[];
  /** Indices (in execution order) of the strategies whose signals it reads. */
  readonly deps: readonly number[];
  /** Its layer: 0 runs first; a strategy runs after every strategy of a lower layer it depends on. */
  readonly layer: number;
  readonly priority: number;
  readonly timeoutMs: number;
}

/** A registered data source. */
export interface SourcePlan {
  readonly kind: 'source';
  readonly name: string;
  readonly order: number;
  readonly plugin: DataSource;
  readonly manifest: DataSourceManifest;
  /** Categories it provides (request-borne ones excluded: the request provides those). */
  readonly provides: readonly string[];
  readonly requiresSubject: boolean;
  readonly timeoutMs: number;
}

/** A registered consent provider. */
export interface ConsentPlan {
  readonly kind: 'consent';
  readonly name: string;
  readonly order: number;
  readonly plugin: ConsentProvider;
  readonly manifest: ConsentProviderManifest;
  readonly timeoutMs: number;
}

/** Everything registration worked out, once. */
export interface Registry {
  readonly taxonomy: Taxonomy;
  /** Strategies in execution (topological) order. */
  readonly strategies: readonly StrategyPlan[];
  readonly sources: readonly SourcePlan[];
  readonly consent: readonly ConsentPlan[];
  /** Indexes into `consent` by provider name: the order answers are combined in. */
  readonly consentOrder: readonly number[];
  /** Every purpose some strategy uses, sorted: what consent providers are asked about. */
  readonly purposes: readonly string[];
  /** Every category some strategy reads, sorted. */
  readonly categories: readonly string[];
  /** Purposes that do not rest on consent (`necessary`). */
  readonly consentFree: ReadonlySet<string>;
  /** Category → the sources providing it, in registration order. */
  readonly providers: ReadonlyMap<string, readonly SourcePlan[]>;
  /** Strategy names by layer. */
  readonly layers: ReadonlyArray<readonly string[]>;
}

/** Deadlines resolved from options and defaults. */
export interface ResolvedTimeouts {
  readonly consentMs: number;
  readonly sourceMs: number;
  readonly strategyMs: number;
  readonly decisionMs: number;
}
