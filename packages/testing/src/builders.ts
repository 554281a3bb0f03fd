import {
  type ConsentQuery,
  type DataSourceQuery,
  deepFreeze,
  type PluginCallContext,
  RequestContextSchema,
  type SessionEvent,
  SessionSchema,
  type SlotRequest,
  SlotRequestSchema,
  type StrategyInput,
  type Subject,
  SubjectSchema,
  TactfulError,
  parseOrThrow,
} from '@tactful/core';
import type { z } from 'zod';
import {
  createRecordingProjection,
  guardObject,
  type MutationAttempt,
  type RecordingProjection,
} from './recording-projection.js';

/** The fixed moment the builders use when no `now` is given: 15 January 2026, 10:00 UTC (a Thursday). */
export const DEFAULT_NOW = Date.UTC(2026, 0, 15, 10, 0, 0);

/** A time, as epoch milliseconds, an ISO 8601 string or a `Date`. */
export type TimeInit = number | string | Date;

function toEpoch(time: TimeInit | undefined, field: string): number {
  if (time === undefined) return DEFAULT_NOW;
  const ms = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : time.getTime();
  if (!Number.isFinite(ms)) {
    throw new TactfulError(
      'INVALID_INPUT',
      `${field}: use epoch milliseconds, an ISO 8601 string or a valid Date`,
      {
        path: [field],
      },
    );
  }
  return ms;
}

function toSubject(subject: string | Subject | undefined): Subject | undefined {
  if (subject === undefined) return undefined;
  const value = typeof subject === 'string' ? { id: subject } : subject;
  return parseOrThrow(SubjectSchema, value, { code: 'INVALID_INPUT', what: 'subject', path: ['subject'] });
}

/** What {@link strategyInput} builds a strategy input from; every field is optional. */
export interface StrategyInputInit {
  /** Slot ids or slot requests; defaults to one slot, `home.hero`. */
  slots?: ReadonlyArray<string | SlotRequest>;
  /** Category id → value. */
  data?: Readonly<Record<string, unknown>>;
  /** Signal name → value. */
  signals?: Readonly<Record<string, unknown>>;
  /** Granted purposes; defaults to none. */
  granted?: ReadonlyArray<string>;
  /** The decision time; defaults to {@link DEFAULT_NOW}. */
  now?: TimeInit;
  locale?: string;
}

function toSlots(slots: StrategyInputInit['slots']): SlotRequest[] {
  const list = (slots ?? ['home.hero']).map((s) => (typeof s === 'string' ? { id: s } : s));
  return list.map((slot, i) =>
    parseOrThrow(SlotRequestSchema, slot, { code: 'INVALID_INPUT', what: 'slot', path: ['slots', i] }),
  );
}

/**
 * Builds a deeply frozen {@link @tactful/core!StrategyInput | StrategyInput}, as the orchestrator would hand it to a strategy.
 * `data` and `signals` are copied, so the caller's objects are never frozen or shared.
 *
 * @example
 * ```ts
 * const input = strategyInput({
 *   slots: ['home.hero'],
 *   data: { 'context.time': { now: '2026-01-15T17:30:00+07:00', timeZone: 'Asia/Ho_Chi_Minh' } },
 *   granted: ['personalization.contextual'],
 * });
 * const output = await myStrategy.decide(input, callContext());
 * ```
 */
export function strategyInput(init: StrategyInputInit = {}): StrategyInput {
  const input: StrategyInput = {
    slots: toSlots(init.slots),
    data: structuredClone({ ...(init.data ?? {}) }),
    signals: structuredClone({ ...(init.signals ?? {}) }),
    granted: [...(init.granted ?? [])],
    now: toEpoch(init.now, 'now'),
    ...(init.locale === undefined ? {} : { locale: init.locale }),
  };
  return deepFreeze(input);
}

/** A strategy input whose `data` and `signals` record what the strategy reads. */
export interface RecordingStrategyInput {
  /** The input to hand to `decide`. Everything in it is deeply frozen. */
  readonly input: StrategyInput;
  /** What was done with `input.data`. */
  readonly data: RecordingProjection;
  /** What was done with `input.signals`. */
  readonly signals: RecordingProjection;
  /** Refused attempts to change the input object itself (`input.now = …`). */
  readonly mutations: ReadonlyArray<MutationAttempt>;
  /** Every refused mutation attempt: on the input, its data or its signals. */
  allMutations(): MutationAttempt[];
}

/** Which keys a strategy may read, for {@link recordingStrategyInput}. */
export interface RecordingAllowance {
  /** The category ids the strategy declared it reads. */
  readonly categories: Iterable<string>;
  /** The signal names the strategy declared it reads. */
  readonly signals: Iterable<string>;
}

/**
 * Builds a strategy input like {@link strategyInput}, with `data` and `signals` replaced by
 * recording projections ({@link createRecordingProjection}) that allow only the declared keys.
 *
 * @example
 * ```ts
 * const rec = recordingStrategyInput({ data }, { categories: ['profile.preferences'], signals: [] });
 * await myStrategy.decide(rec.input, callContext());
 * expect(rec.data.undeclared).toEqual([]);
 * ```
 */
export function recordingStrategyInput(
  init: StrategyInputInit,
  allowance: RecordingAllowance,
): RecordingStrategyInput {
  const base = strategyInput({ ...init, data: {}, signals: {} });
  const data = createRecordingProjection({ ...(init.data ?? {}) }, { allowed: allowance.categories });
  const signals = createRecordingProjection({ ...(init.signals ?? {}) }, { allowed: allowance.signals });
  const mutations: MutationAttempt[] = [];
  const outer: StrategyInput = Object.freeze({ ...base, data: data.projection, signals: signals.projection });
  const input = guardObject(outer, (attempt) => mutations.push(attempt));
  return {
    input,
    data,
    signals,
    mutations,
    allMutations: () => [
      ...mutations.map((m) => ({ ...m, key: `input.${m.key}` })),
      ...data.mutations.map((m) => ({ ...m, key: `input.data.${m.key}` })),
      ...signals.mutations.map((m) => ({ ...m, key: `input.signals.${m.key}` })),
    ],
  };
}

/** What {@link consentQuery} builds a consent query from. */
export interface ConsentQueryInit {
  /** A subject id or subject; absent for an anonymous visitor. */
  subject?: string | Subject;
  /** The request context, as a caller writes it (validated with core's schema). */
  context?: z.input<typeof RequestContextSchema>;
  /** The anonymous session; `id` defaults to a fixed 22-character id. */
  session?: { id?: string; events?: SessionEvent[] };
  /** Purposes asked about; defaults to none. */
  purposes?: ReadonlyArray<string>;
  now?: TimeInit;
}

/**
 * Builds a frozen {@link @tactful/core!ConsentQuery | ConsentQuery}, validating the subject, context and session with core's
 * schemas (a bad value throws `INVALID_INPUT` naming the field).
 *
 * @example
 * ```ts
 * const state = await provider.resolve(
 *   consentQuery({ subject: 'u-1', purposes: ['personalization.profile'], context: { gpc: true } }),
 *   callContext(),
 * );
 * ```
 */
export function consentQuery(init: ConsentQueryInit = {}): ConsentQuery {
  const subject = toSubject(init.subject);
  const context = parseOrThrow(RequestContextSchema, init.context ?? {}, {
    code: 'INVALID_INPUT',
    what: 'context',
    path: ['context'],
  });
  const session =
    init.session === undefined
      ? undefined
      : parseOrThrow(
          SessionSchema,
          { id: init.session.id ?? 'conformance-session-0001', events: init.session.events ?? [] },
          { code: 'INVALID_INPUT', what: 'session', path: ['session'] },
        );
  const query: ConsentQuery = {
    ...(subject === undefined ? {} : { subject }),
    context,
    ...(session === undefined ? {} : { session }),
    purposes: [...(init.purposes ?? [])],
    now: toEpoch(init.now, 'now'),
  };
  return deepFreeze(query);
}

/** What {@link dataSourceQuery} builds a data source query from. */
export interface DataSourceQueryInit {
  subject?: string | Subject;
  /** Categories to load; defaults to none. */
  categories?: ReadonlyArray<string>;
  context?: z.input<typeof RequestContextSchema>;
  now?: TimeInit;
}

/**
 * Builds a frozen {@link @tactful/core!DataSourceQuery | DataSourceQuery}.
 *
 * @example
 * ```ts
 * const data = await source.load(dataSourceQuery({ subject: 'u-1', categories: ['behavior.purchases'] }), callContext());
 * ```
 */
export function dataSourceQuery(init: DataSourceQueryInit = {}): DataSourceQuery {
  const subject = toSubject(init.subject);
  const context = parseOrThrow(RequestContextSchema, init.context ?? {}, {
    code: 'INVALID_INPUT',
    what: 'context',
    path: ['context'],
  });
  const query: DataSourceQuery = {
    ...(subject === undefined ? {} : { subject }),
    categories: [...(init.categories ?? [])],
    context,
    now: toEpoch(init.now, 'now'),
  };
  return deepFreeze(query);
}

/** What {@link callContext} builds a call context from. */
export interface CallContextInit {
  /** Defaults to a signal that is never aborted. */
  signal?: AbortSignal;
  traceId?: string;
}

/**
 * Builds the {@link @tactful/core!PluginCallContext | PluginCallContext} passed to every plugin call.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const pending = myStrategy.decide(input, callContext({ signal: controller.signal }));
 * controller.abort(abortReason());
 * ```
 */
export function callContext(init: CallContextInit = {}): PluginCallContext {
  const signal = init.signal ?? new AbortController().signal;
  // Like the orchestrator's: `aborted` follows the signal, so plugins may poll either.
  return Object.freeze({
    signal,
    get aborted() {
      return signal.aborted;
    },
    traceId: init.traceId ?? 'conformance-trace-0001',
  });
}

/**
 * The reason the kit aborts calls with: a `TactfulError` with code `ABORTED`. A plugin that calls
 * `signal.throwIfAborted()` therefore rejects with exactly the error the contract asks for.
 */
export function abortReason(): TactfulError {
  return new TactfulError(
    'ABORTED',
    'the call was aborted: its deadline passed or the decision was cancelled',
  );
}

/** A signal that is already aborted with {@link abortReason}. */
export function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort(abortReason());
  return controller.signal;
}
