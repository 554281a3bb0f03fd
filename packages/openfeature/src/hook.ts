import type { BaseHook, EvaluationDetails, FlagValue, HookContext } from '@openfeature/core';
import type { Explanation } from '@tactful/core';

/** What {@link explanationHook} reports for one evaluation. */
export interface ExplanationEvent {
  flagKey: string;
  /** The slot the flag maps to. */
  slot: string;
  value: FlagValue;
  reason: string | undefined;
  variant: string | undefined;
  /** The decision's trace id (the audit trail's key). */
  traceId: string | undefined;
  /** Why the value was chosen, as the person would read it ("Why am I seeing this?"). */
  explanation: Explanation;
}

/** Options of {@link explanationHook}. */
export interface ExplanationHookOptions {
  /** Receives each evaluation's explanation (a log, a span, an analytics event). A sink that throws is ignored. */
  onExplanation?: (event: ExplanationEvent) => void;
  /** Also log it at debug level through OpenFeature's logger. Default true. */
  log?: boolean;
}

const list = (v: unknown): string[] => (typeof v === 'string' && v !== '' ? v.split(',') : []);

/**
 * A hook for OpenFeature's `after` stage that turns the flag metadata of a Tactful evaluation back
 * into the decision's explanation — strategy, signals, purposes, categories and the sentence a
 * person reads, in English and Vietnamese — and hands it to your telemetry, and keeps it in the
 * hook data (`tactful.explanation`) for later stages. Evaluations of other providers pass through.
 *
 * @example
 * ```ts
 * OpenFeature.addHooks(explanationHook({ onExplanation: (e) => span.addEvent('why', { why: e.explanation.summary.en }) }));
 * ```
 */
export function explanationHook(options: ExplanationHookOptions = {}): BaseHook {
  const log = options.log ?? true;
  return {
    after(hookContext: Readonly<HookContext>, details: EvaluationDetails<FlagValue>) {
      const meta = details.flagMetadata ?? {};
      if (hookContext.providerMetadata?.name !== 'tactful' || typeof meta.slot !== 'string') return;
      const summary: Explanation['summary'] = {
        en: typeof meta.explanation === 'string' ? meta.explanation : '',
      };
      if (typeof meta.explanationVi === 'string') summary.vi = meta.explanationVi;
      const explanation: Explanation = {
        strategy: typeof meta.strategy === 'string' ? meta.strategy : 'default',
        summary,
        signals: list(meta.signals),
        purposes: list(meta.purposes),
        categories: list(meta.categories),
      };
      const event: ExplanationEvent = {
        flagKey: details.flagKey,
        slot: meta.slot,
        value: details.value,
        reason: details.reason,
        variant: details.variant,
        traceId: typeof meta.traceId === 'string' ? meta.traceId : undefined,
        explanation,
      };
      try {
        hookContext.hookData.set('tactful.explanation', explanation);
      } catch {
        // Hook data is optional in older SDKs.
      }
      if (log)
        hookContext.logger?.debug?.(`tactful: ${details.flagKey} → ${explanation.strategy}: ${summary.en}`);
      try {
        options.onExplanation?.(event);
      } catch {
        // A failing sink never fails an evaluation.
      }
    },
  };
}
