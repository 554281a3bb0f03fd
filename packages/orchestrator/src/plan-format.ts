/**
 * The compiled plan: what `compilePlan` writes after every registration-time check passed, and
 * what `createCompiledOrchestrator` reads in a page. Plain JSON, so it can ship as a `.json` file
 * or a JS module next to the page's code.
 */
import {
  type CategoryDefinition,
  type ConsentProviderManifest,
  type DataSourceManifest,
  type PurposeDefinition,
  type StrategyManifest,
  jsonFingerprint,
} from '@tactful/core';
import type { MergePolicy } from './options.js';
import type { PlannedRead, ResolvedTimeouts } from './registry-types.js';
import type { OutputLimits } from './output.js';

/** The format of plans this engine writes and reads; a plan of another format is refused. */
export const PLAN_FORMAT = 'tactful-plan/1';

/**
 * The parts of a manifest the decision path reads (the rest was checked at compile time and stays
 * with the plugin). The `orchestrator-compiled` test project runs every decision test on these, so
 * a decision path that starts reading another field fails there first.
 */
export type PlanStrategyManifest = Pick<
  StrategyManifest,
  'kind' | 'name' | 'version' | 'signals' | 'priority'
>;
/** See {@link PlanStrategyManifest}. */
export type PlanSourceManifest = Pick<
  DataSourceManifest,
  'kind' | 'name' | 'version' | 'requiresSubject' | 'rights'
>;
/** See {@link PlanStrategyManifest}. */
export type PlanConsentManifest = Pick<ConsentProviderManifest, 'kind' | 'name' | 'version'>;
/** A purpose as the page needs it: its label for explanations, whether it rests on consent. */
export type PlanPurpose = Pick<PurposeDefinition, 'id' | 'label' | 'requiresConsent' | 'explicitConsentFor'>;
/** A category as the page needs it. */
export type PlanCategory = Pick<CategoryDefinition, 'id' | 'label' | 'sensitive' | 'origin' | 'personal'>;

/** A compiled consent provider. */
export interface CompiledConsent {
  readonly name: string;
  /** {@link manifestFingerprint} of the plugin's manifest as registered. */
  readonly fingerprint: string;
  readonly manifest: PlanConsentManifest;
  readonly timeoutMs: number;
}

/** A compiled data source. */
export interface CompiledSource {
  readonly name: string;
  readonly fingerprint: string;
  readonly manifest: PlanSourceManifest;
  readonly provides: readonly string[];
  readonly timeoutMs: number;
}

/** A compiled strategy, in execution order. */
export interface CompiledStrategy {
  readonly name: string;
  readonly fingerprint: string;
  readonly manifest: PlanStrategyManifest;
  /** Registration order (its index in `strategies`). */
  readonly order: number;
  readonly purposes: readonly string[];
  readonly reads: readonly PlannedRead[];
  readonly signalReads: readonly string[];
  readonly signalPublishes: readonly string[];
  readonly deps: readonly number[];
  readonly layer: number;
  readonly timeoutMs: number;
}

/** Everything the stamp covers. */
export interface PlanBody {
  /** The `@tactful/core` version the plugins were checked against. */
  readonly core: string;
  /** The purposes and categories the plugins use (labels for explanations, origins, flags). */
  readonly taxonomy: {
    readonly purposes: readonly PlanPurpose[];
    readonly categories: readonly PlanCategory[];
  };
  readonly timeouts: ResolvedTimeouts;
  readonly limits: OutputLimits;
  /** A built-in policy, or `custom` when a merge function must be passed to the page engine. */
  readonly merge: MergePolicy | 'custom';
  readonly consentChangeMemory: number;
  readonly consent: readonly CompiledConsent[];
  readonly sources: readonly CompiledSource[];
  readonly strategies: readonly CompiledStrategy[];
  readonly purposes: readonly string[];
  readonly categories: readonly string[];
  readonly consentFree: readonly string[];
  readonly consentOrder: readonly number[];
  readonly layers: ReadonlyArray<readonly string[]>;
}

/** A compiled, stamped plan. */
export interface CompiledPlan {
  readonly format: typeof PLAN_FORMAT;
  /** {@link planStamp} of `body`. */
  readonly stamp: string;
  readonly body: PlanBody;
}

/**
 * A fingerprint of JSON data (core's {@link jsonFingerprint}): it tells a changed or stale value
 * from the one compiled; a checksum, not a signature (see the guide: the plan is trusted as the
 * page's own code is).
 */
export const fingerprint: (value: unknown) => string = jsonFingerprint;

/** The fingerprint of a plugin's manifest, as the plugin object carries it. */
export function manifestFingerprint(manifest: unknown): string {
  return fingerprint(manifest);
}

/** The stamp of a plan's body. */
export function planStamp(body: PlanBody): string {
  return `${PLAN_FORMAT};${fingerprint(body)}`;
}
