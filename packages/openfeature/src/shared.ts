import {
  ErrorCode,
  type EvaluationContext,
  type FlagMetadata,
  type FlagValue,
  type FlagValueType,
  type ResolutionDetails,
  StandardResolutionReasons,
} from '@openfeature/core';
import {
  CheckFailure,
  type Decision,
  type DecisionRequestInput,
  REQUEST_CONTEXT_KEYS,
  type SlotDecision,
  decisionRequest,
  isSlotPermitted,
} from '@tactful/core';

/** Anything that makes decisions: the engine (`createOrchestrator`), an assembly's `engine`, a client of the server. */
export interface Decider {
  decide(request: DecisionRequestInput): Promise<Decision>;
}

/** The request of one evaluation, without its slots. */
export type EvaluationRequest = Omit<DecisionRequestInput, 'slots'>;

/** How long a decision may take before the evaluation answers its default (`GENERAL`), by default. */
export const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Asks the decider, never throwing synchronously and never waiting past `timeoutMs`: a decider
 * that hangs (a stalled server, a lost connection) gives a rejected promise, not a stuck evaluation.
 */
export function decideWithin(
  decider: Decider,
  request: DecisionRequestInput,
  timeoutMs: number,
): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let answer: Promise<unknown>;
  try {
    answer = Promise.resolve(decider.decide(request));
  } catch (error) {
    return Promise.reject(error);
  }
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the decision took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([answer, deadline]).finally(() => clearTimeout(timer));
}

/** Reasons this package gives besides OpenFeature's standard ones. */
export const TACTFUL_REASONS = Object.freeze({
  /** The default value: a strategy that could have filled the slot needs a purpose the person has not granted. */
  consentDenied: 'CONSENT_DENIED',
});

/** How flag keys map to slots: `{ "hero-banner": "home.hero" }`. Omitted: a flag key is its slot id. */
export type FlagSlots = Readonly<Record<string, string>>;

const SLOT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The slot a flag key names, or undefined when it names none. */
export function slotOf(flagKey: string, flags: FlagSlots | undefined): string | undefined {
  if (flags !== undefined) return Object.hasOwn(flags, flagKey) ? flags[flagKey] : undefined;
  return SLOT_ID.test(flagKey) ? flagKey : undefined;
}

const CONTEXT_KEYS: readonly string[] = REQUEST_CONTEXT_KEYS;

function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** What an evaluation context says, as Tactful reads it. */
export type MappedContext =
  | { ok: true; request: EvaluationRequest; key: string; granted: readonly string[] | undefined }
  | { ok: false; message: string };

/**
 * Maps an OpenFeature evaluation context to a Tactful request (without slots), with the schema
 * checks of a decision request: `targetingKey` → `subject.id`; the context fields Tactful knows
 * (`locale`, `timeZone`, `userAgent`, `url`, `gpc`, `attributes` …) → `context`; `session` →
 * the anonymous session; `consent: { granted: [...] }` → what the person granted as the caller
 * knows it (personalized values outside it are not returned). Other fields are ignored.
 */
export function mapContext(context: EvaluationContext | undefined): MappedContext {
  const input = (context ?? {}) as Record<string, unknown>;
  const request: Record<string, unknown> = {};
  const ctx: Record<string, unknown> = {};
  if (input.targetingKey !== undefined && input.targetingKey !== '')
    request.subject = { id: input.targetingKey };
  for (const key of CONTEXT_KEYS) {
    if (Object.hasOwn(input, key) && input[key] !== undefined) ctx[key] = plain(input[key]);
  }
  if (Object.keys(ctx).length > 0) request.context = ctx;
  if (Object.hasOwn(input, 'session') && input.session !== undefined) request.session = plain(input.session);
  let granted: readonly string[] | undefined;
  if (Object.hasOwn(input, 'consent') && input.consent !== undefined) {
    const g = (input.consent as { granted?: unknown } | null)?.granted;
    if (!Array.isArray(g) || !g.every((p) => typeof p === 'string')) {
      return { ok: false, message: 'consent.granted: give the granted purposes as a list of strings' };
    }
    granted = [...new Set(g as string[])].sort();
  }
  try {
    // core's zod-free request check (proven equal to DecisionRequestSchema): the first problem, named.
    decisionRequest({ ...request, slots: [{ id: 'probe' }] }, []);
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    const path = error.path.map(String);
    const named =
      path[0] === 'subject'
        ? ['targetingKey', ...path.slice(2)]
        : path[0] === 'context'
          ? path.slice(1)
          : path;
    return {
      ok: false,
      message: `the evaluation context is not a valid Tactful request: ${named.join('.') || '(context)'}: ${error.message}`,
    };
  }
  return {
    ok: true,
    request: request as EvaluationRequest,
    key: JSON.stringify([request, granted ?? null]),
    granted,
  };
}

/** The outcome of deciding one slot. */
export type SlotOutcome =
  | { kind: 'decided'; slot: SlotDecision; decision: Decision }
  | { kind: 'failed'; error: unknown };

/** Reads a decider's answer for the slots asked, never throwing: junk becomes a failed outcome. */
export function outcomesOf(decision: unknown, slots: readonly string[]): Map<string, SlotOutcome> {
  const out = new Map<string, SlotOutcome>();
  const list = (decision as { slots?: unknown } | null)?.slots;
  const found = new Map<string, SlotDecision>();
  if (Array.isArray(list)) {
    for (const s of list)
      if (typeof s === 'object' && s !== null) found.set((s as SlotDecision).slot, s as SlotDecision);
  }
  for (const id of slots) {
    const slot = found.get(id);
    out.set(
      id,
      slot === undefined
        ? { kind: 'failed', error: new Error(`the decision has no answer for slot "${id}"`) }
        : { kind: 'decided', slot, decision: decision as Decision },
    );
  }
  return out;
}

function fits(value: unknown, type: FlagValueType): boolean {
  if (type === 'object') return typeof value === 'object' && value !== null;
  return typeof value === type;
}

function metadataOf(
  slotId: string,
  slot: SlotDecision | undefined,
  decision: Decision | undefined,
): FlagMetadata {
  const e = slot?.explanation;
  const meta: Record<string, string | number | boolean> = { slot: slotId };
  if (decision?.traceId !== undefined) meta.traceId = decision.traceId;
  if (slot === undefined || e === undefined) return meta;
  meta.strategy = e.strategy ?? slot.strategy;
  meta.purposes = (e.purposes ?? []).join(',');
  meta.categories = (e.categories ?? []).join(',');
  meta.signals = (e.signals ?? []).join(',');
  if (typeof e.summary?.en === 'string') meta.explanation = e.summary.en;
  if (typeof e.summary?.vi === 'string') meta.explanationVi = e.summary.vi;
  return meta;
}

/** Why the decision shows defaults, when it says (`consent-unavailable`, or the client's `unavailable`, `rejected` ...). */
function degradedReasonOf(decision: Decision | undefined): string | undefined {
  const d = (decision as { degraded?: { reason?: unknown; message?: unknown } } | undefined)?.degraded;
  return typeof d?.reason === 'string' ? d.reason : undefined;
}

const DEFAULT_META = (slotId: string, decision: Decision | undefined, degraded: boolean): FlagMetadata => ({
  slot: slotId,
  strategy: 'default',
  purposes: '',
  categories: '',
  signals: '',
  explanation: 'This is the default content: nothing about you was used to choose it.',
  explanationVi: 'Đây là nội dung mặc định: không có dữ liệu nào về bạn được dùng để chọn nội dung này.',
  ...(decision?.traceId === undefined ? {} : { traceId: decision.traceId }),
  ...(degraded ? { degraded: true } : {}),
  ...(degradedReasonOf(decision) === undefined
    ? {}
    : { degradedReason: degradedReasonOf(decision) as string }),
});

/** An evaluation that could not run: the default value with the error code (never a thrown error). */
export function errorResolution<T>(
  defaultValue: T,
  errorCode: ErrorCode,
  message: string,
): ResolutionDetails<T> {
  return { value: defaultValue, reason: StandardResolutionReasons.ERROR, errorCode, errorMessage: message };
}

/**
 * The resolution of one flag from its slot's outcome: the content when personalized, permitted by
 * the caller's consent and of the flag's type; else the default value with the reason.
 */
export function resolutionOf<T extends FlagValue>(
  slotId: string,
  type: FlagValueType,
  defaultValue: T,
  outcome: SlotOutcome,
  granted: readonly string[] | undefined,
): ResolutionDetails<T> {
  if (outcome.kind === 'failed') {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    return {
      ...errorResolution(defaultValue, ErrorCode.GENERAL, `tactful: ${message}`),
      flagMetadata: DEFAULT_META(slotId, undefined, true),
    };
  }
  const { slot, decision } = outcome;
  const dropped = Array.isArray(decision.dropped) ? decision.dropped : [];
  const degraded =
    dropped.some((d) => d?.outcome === 'failed') ||
    (decision as { degraded?: unknown }).degraded !== undefined;
  // Without the caller's consent, the engine's own consent check stands; personalized content must
  // still name the purposes it used, or it is not returned.
  const permitted = isSlotPermitted(slot, granted ?? slot.explanation?.purposes);
  if (slot.isDefault === true || !permitted) {
    const consentDenied =
      !permitted || dropped.some((d) => d?.outcome === 'skipped' && d.code === 'PURPOSE_NOT_GRANTED');
    return {
      value: defaultValue,
      reason: consentDenied ? TACTFUL_REASONS.consentDenied : StandardResolutionReasons.DEFAULT,
      flagMetadata: DEFAULT_META(slotId, decision, degraded),
    };
  }
  if (!fits(slot.content, type)) {
    const got = slot.content === null ? 'null' : Array.isArray(slot.content) ? 'array' : typeof slot.content;
    return {
      ...errorResolution(
        defaultValue,
        ErrorCode.TYPE_MISMATCH,
        `tactful: slot "${slotId}" holds ${got} content, not ${type === 'object' ? 'an object' : `a ${type}`}`,
      ),
      flagMetadata: metadataOf(slotId, slot, decision),
    };
  }
  return {
    value: slot.content as T,
    reason: StandardResolutionReasons.TARGETING_MATCH,
    variant: slot.variant ?? slot.strategy,
    flagMetadata: metadataOf(slotId, slot, decision),
  };
}
