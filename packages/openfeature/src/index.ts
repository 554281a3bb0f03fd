/**
 * `@tactful/openfeature`: OpenFeature providers for Tactful. A flag is a slot; its value is the
 * slot's content, with `reason`, `variant` and the strategy, purposes and explanation in the flag
 * metadata. The server SDK's provider is in `@tactful/openfeature/server`, the web SDK's in
 * `@tactful/openfeature/web`; this entry holds what both share.
 *
 * @packageDocumentation
 */
export { explanationHook, type ExplanationEvent, type ExplanationHookOptions } from './hook.js';
export {
  TACTFUL_REASONS,
  mapContext,
  type Decider,
  type EvaluationRequest,
  type FlagSlots,
  type MappedContext,
} from './shared.js';
