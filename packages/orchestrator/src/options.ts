import type {
  ConsentProvider,
  DataOrigin,
  DataSource,
  Decision,
  DecisionRequest,
  Strategy,
  TaxonomyExtension,
} from '@tactful/core';
import type { CheckedProposal } from './output.js';

/** Default deadlines, in milliseconds. */
export const DEFAULT_TIMEOUTS = Object.freeze({
  /** Each consent provider call. */
  consentMs: 250,
  /** Each data source call. */
  sourceMs: 300,
  /** Each strategy call (a strategy's own `timeoutMs` may only lower it). */
  strategyMs: 200,
  /** The whole decision: no call may run past it. */
  decisionMs: 1000,
});

/** Default caps on what a strategy may return. */
export const DEFAULT_OUTPUT_LIMITS = Object.freeze({
  /** Approximate size of one strategy's output (strings count their length, other values 8). */
  maxOutputBytes: 512 * 1024,
  /** Most proposals one strategy may return. */
  maxProposals: 1000,
  /** Deepest nesting of content and signal values. */
  maxDepth: 32,
});

/** A proposal competing for a slot, with what the orchestrator knows about it. */
export interface Candidate {
  /** The proposal, as the strategy returned it (validated), or the fallback standing in for it under a declared "not interested". */
  readonly proposal: CheckedProposal;
  /** The strategy's name. */
  readonly strategy: string;
  /** The strategy's merge priority (manifest `priority`). */
  readonly priority: number;
  /** Registration order of the strategy (lower first). */
  readonly order: number;
  /** The origin the orchestrator settled on (a proposal may claim `declared` only from declared data). */
  readonly origin: DataOrigin;
}

/** Context given to a custom merge function. */
export interface MergeContext {
  readonly slot: string;
  /** A stable seed for this slot and request (trace id, else subject or session id). */
  readonly seed: string;
  /** A deterministic number in [0, 1) drawn from `seed`. */
  readonly random: number;
}

/**
 * A custom merge: picks the winning candidate for a slot (or `undefined` for the default). It receives
 * only the best origin tier: declared proposals when there are any (P4), the rest otherwise.
 */
export type MergeFunction = (
  candidates: ReadonlyArray<Candidate>,
  context: MergeContext,
) => Candidate | undefined;

/** The merge policies built in. */
export type MergePolicy = 'priority' | 'score' | 'weighted';

/** Hooks around a decision. They observe; what they return is ignored, and a throw never breaks a decision. */
export interface DecisionHooks {
  /** Called after the request is validated, before consent is asked. */
  beforeDecision?(context: { readonly traceId: string; readonly request: Readonly<DecisionRequest> }): void;
  /** Called with the finished decision, before `decide` resolves. */
  afterDecision?(context: { readonly traceId: string; readonly decision: Decision }): void;
}

/** Options of {@link createOrchestrator}. */
export interface OrchestratorOptions {
  /** Consent providers: a purpose is granted only when some provider grants it and none denies it. */
  consent: ReadonlyArray<ConsentProvider>;
  /** Data sources. */
  sources?: ReadonlyArray<DataSource>;
  /** Strategies. */
  strategies: ReadonlyArray<Strategy>;
  /** Merge policy (default `priority`) or a custom merge function. */
  merge?: MergePolicy | MergeFunction;
  /** Purposes and categories added to the built-in taxonomy. */
  taxonomy?: TaxonomyExtension;
  /** Deadlines in milliseconds; see {@link DEFAULT_TIMEOUTS}. */
  timeouts?: { consentMs?: number; sourceMs?: number; strategyMs?: number; decisionMs?: number };
  /** Names of sources allowed to hold personal data without supporting erasure. */
  allowSourcesWithoutErasure?: ReadonlyArray<string>;
  /** Caps on strategy output; see {@link DEFAULT_OUTPUT_LIMITS}. */
  limits?: { maxOutputBytes?: number; maxProposals?: number; maxDepth?: number };
  /** Hooks around every decision. */
  hooks?: ReadonlyArray<DecisionHooks>;
  /** Subjects/sessions remembered to detect consent changes (default 1000; 0 = off). */
  consentChangeMemory?: number;
  /** Called when a listener or hook throws. Defaults to `console.warn`. */
  onListenerError?: (error: unknown, where: string) => void;
  /** The `@tactful/core` version plugins are checked against (defaults to the installed one). */
  coreVersion?: string;
  /**
   * The server's clock in epoch milliseconds (default `Date.now`). Consent (expiry, TC-string age),
   * retention and every plugin's `now` follow this clock only. A request's `context.now` is a
   * simulated time: it reaches only what contextual rules read (the `context.time` category).
   */
  clock?: () => number;
}
