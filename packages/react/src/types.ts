import type { Decision, DecisionRequestInput, Explanation, SlotDecision } from '@tactful/core';

/**
 * Anything that makes decisions: the in-page engine (`createOrchestrator` from
 * `@tactful/orchestrator`), an assembly's `engine`, or a client of the decision server. Only
 * `decide` is used.
 */
export interface Decider {
  decide(request: DecisionRequestInput): Promise<Decision>;
}

/** The request of a page, without its slots (the slots come from the components that render them). */
export type PageRequest = Omit<DecisionRequestInput, 'slots'>;

/**
 * What the person has consented to, as the page knows it now (from its consent banner or the
 * server's `GET /v1/consent`). Personalized content is shown only when every purpose its
 * explanation names is in `granted` (purposes that need no consent, `necessary`, always count).
 * Omitted or empty: nothing personalized is shown (P1).
 */
export interface ConsentSnapshot {
  /** The purposes granted now, e.g. `["personalization.contextual"]`. */
  readonly granted: readonly string[];
}

/** Where a slot's content stands. */
export type SlotStatus =
  /** No decision yet for the current consent and request: the default is shown. */
  | 'loading'
  /** Decided. The content may still be the default (nothing applied, or consent was not given). */
  | 'ready'
  /** The decider failed, or a plugin of this decision failed: the default is shown (P8). */
  | 'degraded';

/** What {@link useDecision} returns for one slot. */
export interface SlotState<T = unknown> {
  /** The content to render: the slot's default until a permitted decision arrives. */
  readonly content: T;
  /** True while the default is shown. */
  readonly isDefault: boolean;
  readonly status: SlotStatus;
  /** `status === 'loading'`. */
  readonly loading: boolean;
  /** `status === 'degraded'`. */
  readonly degraded: boolean;
  /**
   * True when a decision chose personalized content whose purposes the person has not granted
   * (as the page knows it): the default is shown instead.
   */
  readonly withheld: boolean;
  /** The variant shown, when personalized. */
  readonly variant: string | undefined;
  /** The strategy that chose the content shown (`default` for the default). */
  readonly strategy: string;
  /** The end-user explanation of the content shown ("Why am I seeing this?"), once decided. */
  readonly explanation: Explanation | undefined;
  /** Why the slot is degraded: the decider's error, or the failed plugins' reasons. */
  readonly error: unknown;
  /** The trace id of the decision shown, once decided. */
  readonly traceId: string | undefined;
}

/**
 * A decision made before rendering (on the server), handed to the provider so the first render —
 * on the server and when the page hydrates — shows it without a second request and without a flash.
 */
export interface InitialDecision {
  /** The decision. */
  readonly decision: Decision;
  /** `requestKey(request)` of the request it was made for (see `decideForPage`). */
  readonly key: string;
}

export type { Decision, DecisionRequestInput, Explanation, SlotDecision };
