import type { Decision, DroppedPlugin } from '@tactful/core';
import { isThenable } from './call.js';

/** A plugin dropped from a decision, as an event. */
export interface DroppedEvent extends DroppedPlugin {
  readonly traceId: string;
}

/** Consent for a subject differs from what the previous decision for that subject saw. */
export interface ConsentChangedEvent {
  readonly traceId: string;
  /** The pseudonymous subject id. */
  readonly subject: string;
  /** Purposes whose status changed. */
  readonly changes: ReadonlyArray<{
    readonly purpose: string;
    readonly from: 'granted' | 'denied';
    readonly to: 'granted' | 'denied';
  }>;
}

/** A custom merge function failed; the priority policy was used for that slot. */
export interface MergeFailedEvent {
  readonly traceId: string;
  readonly slot: string;
  readonly error: unknown;
}

/** The events of an orchestrator and their listeners. */
export interface OrchestratorEvents {
  /** Every decision, once made. */
  decision: (decision: Decision) => void;
  /** A strategy was skipped (not permitted) or failed (threw, timed out, bad output). */
  'strategy:dropped': (event: DroppedEvent) => void;
  /** A data source failed (threw, timed out, bad output). */
  'source:failed': (event: DroppedEvent) => void;
  /** A consent provider failed: nothing that needs consent was granted in that decision. */
  'consent:failed': (event: DroppedEvent) => void;
  /** A subject's consent changed since the previous decision about them. */
  'consent:changed': (event: ConsentChangedEvent) => void;
  /** A custom merge function threw or returned something else than a candidate. */
  'merge:failed': (event: MergeFailedEvent) => void;
}

/** Event names. */
export type OrchestratorEventName = keyof OrchestratorEvents;

type Listener = (...args: never[]) => unknown;

/**
 * An event emitter whose listeners cannot break a decision: each listener is wrapped, a throw or a
 * rejected promise is reported to `onError` and the other listeners still run (as OpenFeature does).
 */
export class SafeEvents {
  /** Each event's wrapped listeners in the order added; replaced, never mutated, so an emit in progress keeps its list. */
  readonly #lists = new Map<string, ReadonlyArray<(payload: unknown) => void>>();
  readonly #wrapped = new Map<string, Map<Listener, Array<(...args: unknown[]) => void>>>();
  readonly #onError: (error: unknown, where: string) => void;

  constructor(onError: (error: unknown, where: string) => void) {
    this.#onError = onError;
  }

  on(event: string, listener: Listener): void {
    const wrapped = (...args: unknown[]) => {
      try {
        const result = (listener as (...a: unknown[]) => unknown)(...args);
        if (isThenable(result)) result.then(undefined, (error: unknown) => this.#report(error, event));
      } catch (error) {
        this.#report(error, event);
      }
    };
    let byListener = this.#wrapped.get(event);
    if (!byListener) {
      byListener = new Map();
      this.#wrapped.set(event, byListener);
    }
    const list = byListener.get(listener) ?? [];
    list.push(wrapped);
    byListener.set(listener, list);
    this.#lists.set(event, [...(this.#lists.get(event) ?? []), wrapped]);
  }

  off(event: string, listener: Listener): void {
    const byListener = this.#wrapped.get(event);
    const wrapped = byListener?.get(listener)?.pop();
    if (!wrapped) return;
    if (byListener?.get(listener)?.length === 0) byListener.delete(listener);
    const rest = (this.#lists.get(event) ?? []).filter((w) => w !== wrapped);
    if (rest.length) this.#lists.set(event, rest);
    else this.#lists.delete(event);
  }

  has(event: string): boolean {
    return this.#lists.has(event);
  }

  emit(event: string, payload: unknown): void {
    for (const wrapped of this.#lists.get(event) ?? []) wrapped(payload);
  }

  #report(error: unknown, where: string): void {
    try {
      this.#onError(error, where);
    } catch {
      // The error reporter itself failed: nothing more can be done without breaking the decision.
    }
  }

  /** Runs a hook the same way: observed, never allowed to throw into the decision. */
  runHook(fn: ((arg: never) => unknown) | undefined, thisArg: unknown, arg: unknown, where: string): void {
    if (!fn) return;
    try {
      const result = (fn as (a: unknown) => unknown).call(thisArg, arg);
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.#report(error, where));
    } catch (error) {
      this.#report(error, where);
    }
  }
}
