/**
 * `@tactful/orchestrator`: the engine of Tactful. It registers plugins (checking every promise it
 * can at load time), then for each request resolves consent, plans which strategies may run on which
 * data, calls only the sources needed, runs strategies on frozen projections with deadlines, merges
 * their proposals and explains every slot. Runs unchanged in Node, browsers and edge runtimes.
 *
 * @packageDocumentation
 */
export { createOrchestrator, type DecideOptions, type Orchestrator } from './orchestrator.js';
export {
  DEFAULT_OUTPUT_LIMITS,
  DEFAULT_TIMEOUTS,
  type Candidate,
  type DecisionHooks,
  type MergeContext,
  type MergeFunction,
  type MergePolicy,
  type OrchestratorOptions,
} from './options.js';
export { OrchestratorOptionsSchema } from './options-schema.js';
export type {
  ConsentChangedEvent,
  DroppedEvent,
  MergeFailedEvent,
  OrchestratorEventName,
  OrchestratorEvents,
} from './events.js';
export type { DecisionPreview, SourcePreview, StrategyPreview } from './preview.js';
export type { RegistrationIssue } from './issues.js';
export type { CheckedFallback, CheckedProposal } from './output.js';
export { SKIP_CODES } from './plan.js';
export { fastParseRequest, parseRequest } from './request.js';
export { seededRandom } from './merge.js';
export { DEFAULT_EXPLANATION } from './explain.js';
