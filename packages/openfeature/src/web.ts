/**
 * `@tactful/openfeature/web`: the OpenFeature provider for `@openfeature/web-sdk` (static context:
 * the slots of the configured flags are decided when the context is set, and read synchronously).
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
import { ErrorCode, StandardResolutionReasons } from '@openfeature/core';
import { OpenFeatureEventEmitter, type Provider, ProviderEvents } from '@openfeature/web-sdk';
import { TactfulError } from '@tactful/core';
import { checkOptions } from './options.js';
import {
  DEFAULT_TIMEOUT_MS,
  type Decider,
  type FlagSlots,
  type SlotOutcome,
  decideWithin,
  errorResolution,
  mapContext,
  outcomesOf,
  resolutionOf,
} from './shared.js';

/** Options of {@link TactfulWebProvider}. */
export interface TactfulWebProviderOptions {
  /** Makes the decisions: the in-page engine, or a client of the decision server. */
  decider: Decider;
  /** Flag key → slot id, for every flag the page evaluates (decided together when the context is set). */
  flags: FlagSlots;
  /** How long a decision may take before the flags answer their defaults (`GENERAL`). Default 5000. */
  timeoutMs?: number;
}

type Loaded =
  | { state: 'loading'; key: string | undefined }
  | { state: 'invalid'; key: string | undefined; message: string }
  | {
      state: 'ready';
      key: string;
      granted: readonly string[] | undefined;
      outcomes: Map<string, SlotOutcome>;
    };

/**
 * An OpenFeature provider for the web SDK. The configured flags' slots are decided in one request
 * when the context is set (`initialize`, `onContextChange`) and read synchronously afterwards.
 * A context change drops the previous answers at once: while the new decision is on its way,
 * every flag evaluates to its default with reason `STALE`, so a withdrawal (`setContext` with the
 * new `consent`) is never followed by a personalized value. An answer made for an older context
 * is dropped unread. Never throws; errors are the default value with an error code.
 *
 * @example
 * ```ts
 * const provider = new TactfulWebProvider({ decider: engine, flags: { hero: 'home.hero' } });
 * await OpenFeature.setProviderAndWait(provider, { consent: { granted: ['personalization.session'] } });
 * OpenFeature.getClient().getObjectValue('hero', { title: 'Welcome' });
 * ```
 */
export class TactfulWebProvider implements Provider {
  readonly metadata = { name: 'tactful' } as const;
  readonly runsOn = 'client';
  readonly events = new OpenFeatureEventEmitter();
  readonly #decider: Decider;
  readonly #flags: FlagSlots;
  readonly #timeoutMs: number;
  #loaded: Loaded = { state: 'loading', key: undefined };
  #context: EvaluationContext = {};
  #epoch = 0;

  constructor(options: TactfulWebProviderOptions) {
    checkOptions(options, 'TactfulWebProvider');
    if (options.flags === undefined || Object.keys(options.flags).length === 0) {
      throw new TactfulError(
        'INVALID_OPTIONS',
        'TactfulWebProvider: give flags, the flag key → slot id of every flag the page evaluates',
        {
          path: ['flags'],
        },
      );
    }
    this.#decider = options.decider;
    this.#flags = { ...options.flags };
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  initialize(context?: EvaluationContext): Promise<void> {
    return this.#load(context ?? {});
  }

  onContextChange(_old: EvaluationContext, next: EvaluationContext): Promise<void> {
    return this.#load(next);
  }

  /**
   * Decides every flag again for the current context (after consent changed in a way the context
   * does not show, or session events were recorded): the previous answers are dropped at once, and
   * `PROVIDER_CONFIGURATION_CHANGED` is emitted when the new ones are in.
   */
  async refresh(): Promise<void> {
    await this.#load(this.#context);
    this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: Object.keys(this.#flags) });
  }

  async #load(context: EvaluationContext): Promise<void> {
    this.#context = context;
    const epoch = ++this.#epoch;
    const mapped = mapContext(context);
    if (!mapped.ok) {
      this.#loaded = { state: 'invalid', key: undefined, message: mapped.message };
      return;
    }
    this.#loaded = { state: 'loading', key: mapped.key };
    const slots = [...new Set(Object.values(this.#flags))].sort();
    let outcomes: Map<string, SlotOutcome>;
    try {
      const decision = await decideWithin(
        this.#decider,
        { ...mapped.request, slots: slots.map((id) => ({ id })) },
        this.#timeoutMs,
      );
      outcomes = outcomesOf(decision, slots);
    } catch (error) {
      outcomes = new Map(slots.map((id) => [id, { kind: 'failed', error }]));
    }
    // Made for a context that is no longer current: dropped unread.
    if (epoch !== this.#epoch) return;
    this.#loaded = { state: 'ready', key: mapped.key, granted: mapped.granted, outcomes };
  }

  #resolve<T extends FlagValue>(
    flagKey: string,
    type: FlagValueType,
    defaultValue: T,
    context: EvaluationContext,
  ): ResolutionDetails<T> {
    try {
      if (!Object.hasOwn(this.#flags, flagKey)) {
        return errorResolution(
          defaultValue,
          ErrorCode.FLAG_NOT_FOUND,
          `tactful: flag "${flagKey}" is not in the provider's flags`,
        );
      }
      const slot = this.#flags[flagKey] as string;
      const loaded = this.#loaded;
      if (loaded.state === 'invalid')
        return errorResolution(defaultValue, ErrorCode.INVALID_CONTEXT, `tactful: ${loaded.message}`);
      const mapped = mapContext(context ?? this.#context);
      if (!mapped.ok)
        return errorResolution(defaultValue, ErrorCode.INVALID_CONTEXT, `tactful: ${mapped.message}`);
      if (loaded.state === 'loading' || loaded.key !== mapped.key) {
        return { value: defaultValue, reason: StandardResolutionReasons.STALE, flagMetadata: { slot } };
      }
      const outcome = loaded.outcomes.get(slot) ?? {
        kind: 'failed',
        error: new Error(`no answer for slot "${slot}"`),
      };
      return resolutionOf(slot, type, defaultValue, outcome, loaded.granted);
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
  ): ResolutionDetails<boolean> {
    return this.#resolve(flagKey, 'boolean', defaultValue, context);
  }
  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: EvaluationContext,
  ): ResolutionDetails<string> {
    return this.#resolve(flagKey, 'string', defaultValue, context);
  }
  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: EvaluationContext,
  ): ResolutionDetails<number> {
    return this.#resolve(flagKey, 'number', defaultValue, context);
  }
  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: EvaluationContext,
  ): ResolutionDetails<T> {
    return this.#resolve(flagKey, 'object', defaultValue, context);
  }
}

export { explanationHook, type ExplanationEvent, type ExplanationHookOptions } from './hook.js';
export { TACTFUL_REASONS, mapContext, type Decider, type FlagSlots } from './shared.js';
