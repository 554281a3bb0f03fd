/**
 * `@tactful/openfeature/server`: the OpenFeature provider for `@openfeature/server-sdk`.
 *
 * @packageDocumentation
 */
import type {
  EvaluationContext,
  FlagValue,
  FlagValueType,
  JsonValue,
  ResolutionDetails,
} from '@openfeature/core';
import { ErrorCode } from '@openfeature/core';
import { OpenFeatureEventEmitter, type Provider, ProviderEvents } from '@openfeature/server-sdk';
import { createBatcher } from './batch.js';
import { checkOptions } from './options.js';
import {
  DEFAULT_TIMEOUT_MS,
  type Decider,
  type FlagSlots,
  errorResolution,
  mapContext,
  resolutionOf,
  slotOf,
} from './shared.js';

/** Options of {@link TactfulServerProvider}. */
export interface TactfulProviderOptions {
  /** Makes the decisions: the engine (`createOrchestrator`, an assembly's `engine`) or a client of the server. */
  decider: Decider;
  /** Flag key → slot id. Omitted: a flag key is its slot id (`home.hero`). */
  flags?: FlagSlots;
  /** How long a decision may take before the evaluation answers its default (`GENERAL`). Default 5000. */
  timeoutMs?: number;
}

/**
 * An OpenFeature provider for the server SDK: a flag is a slot, its value the slot's content for
 * the evaluation context (`targetingKey` → the subject). Never throws: consent not granted gives
 * the default value with reason `CONSENT_DENIED`; a context that is not a valid Tactful request
 * gives the default with `INVALID_CONTEXT`; content of another type, `TYPE_MISMATCH`; a decider
 * that fails, `GENERAL`. Evaluations of one tick with the same context share one decision.
 *
 * @example
 * ```ts
 * await OpenFeature.setProviderAndWait(new TactfulServerProvider({ decider: tactful.engine }));
 * const hero = await OpenFeature.getClient().getObjectDetails('home.hero', { title: 'Welcome' }, { targetingKey: 'u-1' });
 * hero.flagMetadata.strategy; // "@tactful/dynamic-content"
 * ```
 */
export class TactfulServerProvider implements Provider {
  readonly metadata = { name: 'tactful' } as const;
  readonly runsOn = 'server';
  readonly events = new OpenFeatureEventEmitter();
  readonly #options: TactfulProviderOptions;
  readonly #ask: ReturnType<typeof createBatcher>;

  constructor(options: TactfulProviderOptions) {
    checkOptions(options, 'TactfulServerProvider');
    this.#options = { ...options, ...(options.flags ? { flags: { ...options.flags } } : {}) };
    this.#ask = createBatcher(() => this.#options.decider, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  }

  /**
   * Tells OpenFeature that values may have changed for everyone (consent withdrawn, content
   * published): emits `PROVIDER_CONFIGURATION_CHANGED`. Evaluations are never cached here, so the
   * next one is decided afresh anyway.
   */
  configurationChanged(flagsChanged?: string[]): void {
    this.events.emit(ProviderEvents.ConfigurationChanged, flagsChanged ? { flagsChanged } : {});
  }

  async #resolve<T extends FlagValue>(
    flagKey: string,
    type: FlagValueType,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    try {
      const slot = slotOf(flagKey, this.#options.flags);
      if (slot === undefined)
        return errorResolution(
          defaultValue,
          ErrorCode.FLAG_NOT_FOUND,
          `tactful: no slot for flag "${flagKey}"`,
        );
      const mapped = mapContext(context);
      if (!mapped.ok)
        return errorResolution(defaultValue, ErrorCode.INVALID_CONTEXT, `tactful: ${mapped.message}`);
      const outcome = await this.#ask(mapped.key, mapped.request, slot);
      return resolutionOf(slot, type, defaultValue, outcome, mapped.granted);
    } catch (error) {
      return errorResolution(
        defaultValue,
        ErrorCode.GENERAL,
        `tactful: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<boolean>> {
    return this.#resolve(flagKey, 'boolean', defaultValue, context);
  }
  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<string>> {
    return this.#resolve(flagKey, 'string', defaultValue, context);
  }
  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<number>> {
    return this.#resolve(flagKey, 'number', defaultValue, context);
  }
  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): Promise<ResolutionDetails<T>> {
    return this.#resolve(flagKey, 'object', defaultValue, context);
  }
}

export { explanationHook, type ExplanationEvent, type ExplanationHookOptions } from './hook.js';
export { TACTFUL_REASONS, mapContext, type Decider, type FlagSlots } from './shared.js';
