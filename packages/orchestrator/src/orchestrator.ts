import {
  type ConsentProvider,
  type ConsentQuery,
  type DataSource,
  type Decision,
  type DecisionRequest,
  type DecisionRequestInput,
  type DroppedPlugin,
  type Strategy,
  type Taxonomy,
  type TaxonomyExtension,
  categoriesFromRequest,
  checkOrThrow,
  randomUuid,
} from '@tactful/core';
import { assemble } from './assemble.js';
import { clock, isThenable } from './call.js';
import { type ResolvedConsent, resolveConsent } from './consent.js';
import { ConsentMemory } from './consent-memory.js';
import { freezeRequest } from './freeze.js';
import { type OrchestratorEventName, type OrchestratorEvents, SafeEvents } from './events.js';
import {
  DEFAULT_OUTPUT_LIMITS,
  DEFAULT_TIMEOUTS,
  type DecisionHooks,
  type MergeFunction,
  type MergePolicy,
  type OrchestratorOptions,
} from './options.js';
import { checkOrchestratorOptions } from './options-check.js';
import type { OutputLimits } from './output.js';
import { PlanCache } from './plan.js';
import { type DecisionPreview, buildPreview } from './preview.js';
import { type Registry, type ResolvedTimeouts, buildRegistry } from './registry.js';
import { parseRequest } from './request.js';
import { runStrategies, slotIdsOf } from './run-strategies.js';
import { loadSources } from './sources.js';

/** Options of one `decide` call. */
export interface DecideOptions {
  /**
   * Skip request validation: the request was already parsed with `DecisionRequestSchema` (by a
   * server at its boundary, for example). Never set this for input that came from outside. Like
   * every request, its slots and the values strategies see are frozen in place.
   */
  trusted?: boolean;
}

/** A running orchestrator: the engine that turns plugins into decisions. */
export interface Orchestrator {
  /**
   * Makes one decision. Throws only `INVALID_REQUEST` for a malformed request: a plugin's fault
   * drops that plugin from this decision (P8) and the decision says why.
   */
  decide(request: DecisionRequestInput, options?: DecideOptions): Promise<Decision>;
  /**
   * Shows what a decision for `request` would do — which strategies would run or be skipped and
   * why, which categories each would see, which sources would be called for what — without
   * calling strategies or sources (consent providers are asked).
   */
  preview(request: DecisionRequestInput): Promise<DecisionPreview>;
  /** Listens to an event; a listener that throws never breaks a decision. */
  on<E extends OrchestratorEventName>(event: E, listener: OrchestratorEvents[E]): Orchestrator;
  /** Stops listening. */
  off<E extends OrchestratorEventName>(event: E, listener: OrchestratorEvents[E]): Orchestrator;
  /** Adds hooks around every decision. */
  addHooks(...hooks: DecisionHooks[]): Orchestrator;
  /** The taxonomy in force: built-ins, the configuration's and the plugins' additions. */
  readonly taxonomy: Taxonomy;
  /** The registered plugins (strategies in execution order). */
  readonly plugins: {
    readonly strategies: readonly Strategy[];
    readonly sources: readonly DataSource[];
    readonly consent: readonly ConsentProvider[];
  };
  /** Strategy names by dependency layer: layer 0 runs first. */
  readonly layers: ReadonlyArray<readonly string[]>;
}

function newTraceId(): string {
  return randomUuid();
}

function defaultOnError(error: unknown, where: string): void {
  console.warn(`tactful orchestrator: a "${where}" listener or hook threw; the decision carried on.`, error);
}

/**
 * Creates an orchestrator. Everything static is checked here, once, and every problem is reported
 * in one `TactfulError` (its `issues` list each with its path): duplicate names, core ranges,
 * unknown purposes and categories, categories no source provides, signals nobody publishes,
 * dependency cycles, sensitive categories without explicit consent (P3), sources that cannot erase
 * personal data (P6).
 *
 * @example
 * ```ts
 * import { createOrchestrator } from '@tactful/orchestrator';
 *
 * const tactful = createOrchestrator({
 *   consent: [optInConsent],
 *   sources: [profileSource],
 *   strategies: [contextual(), segments({ segments: [...] })],
 *   merge: 'priority',
 * });
 * const decision = await tactful.decide({
 *   subject: { id: 'u_123' },
 *   context: { locale: 'vi-VN', timeZone: 'Asia/Ho_Chi_Minh' },
 *   slots: [{ id: 'home.hero', default: { title: 'Welcome' } }],
 * });
 * decision.slots[0].explanation.summary.vi; // "Why am I seeing this?", in Vietnamese
 * ```
 */
export function createOrchestrator(options: OrchestratorOptions): Orchestrator {
  const { opts, timeouts, limits, registry } = register(options);
  return startOrchestrator(registry, {
    timeouts,
    limits,
    merge: opts.merge,
    hooks: opts.hooks as DecisionHooks[],
    consentChangeMemory: opts.consentChangeMemory,
    onListenerError: opts.onListenerError,
    clock: opts.clock,
  });
}

/**
 * The registration step of {@link createOrchestrator}: the options checked and the registry built
 * (every registration-time check). `compilePlan` runs this same step, so a plan is checked exactly
 * as an orchestrator is.
 *
 * @internal
 * @throws TactfulError `INVALID_OPTIONS` and every registration error.
 */
export function register(options: OrchestratorOptions) {
  const opts = checkOrThrow(checkOrchestratorOptions, options, {
    code: 'INVALID_OPTIONS',
    what: 'orchestrator options',
  });
  const timeouts: ResolvedTimeouts = Object.freeze({ ...DEFAULT_TIMEOUTS, ...stripUndefined(opts.timeouts) });
  const limits: OutputLimits = Object.freeze({ ...DEFAULT_OUTPUT_LIMITS, ...stripUndefined(opts.limits) });
  const registry: Registry = buildRegistry({
    consent: opts.consent,
    sources: opts.sources,
    strategies: opts.strategies,
    taxonomy: opts.taxonomy as TaxonomyExtension | undefined,
    allowSourcesWithoutErasure: opts.allowSourcesWithoutErasure,
    timeouts,
    coreVersion: opts.coreVersion,
  });
  return { opts, timeouts, limits, registry };
}

/** What the engine runs on, once a registry is built (by registration or from a compiled plan). */
export interface EngineSettings {
  readonly timeouts: ResolvedTimeouts;
  readonly limits: OutputLimits;
  readonly merge: MergePolicy | MergeFunction;
  readonly hooks: readonly DecisionHooks[];
  readonly consentChangeMemory: number;
  readonly onListenerError: ((error: unknown, where: string) => void) | undefined;
  readonly clock: (() => number) | undefined;
}

/**
 * The engine on a registry that was already checked: what `createOrchestrator` runs after
 * registration, and what `createCompiledOrchestrator` runs on a verified plan. Not for registries
 * built any other way.
 *
 * @internal
 */
export function startOrchestrator(registry: Registry, opts: EngineSettings): Orchestrator {
  const { timeouts, limits } = opts;
  const merge: MergePolicy | MergeFunction = opts.merge;
  const events = new SafeEvents(opts.onListenerError ?? defaultOnError);
  const hooks: DecisionHooks[] = [...opts.hooks];
  const memory = new ConsentMemory(opts.consentChangeMemory);
  const strategies = registry.strategies;
  const plans = new PlanCache(registry);
  const serverClock: () => number = opts.clock ?? Date.now;

  function emitDropped(event: OrchestratorEventName, dropped: DroppedPlugin, traceId: string): void {
    if (events.has(event)) events.emit(event, { ...dropped, traceId });
  }

  function askConsent(
    request: DecisionRequest,
    traceId: string,
    now: number,
    deadline: number,
  ): ResolvedConsent | Promise<ResolvedConsent> {
    const { subject, session, context } = request;
    const query: ConsentQuery =
      subject === undefined
        ? session === undefined
          ? { context, purposes: registry.purposes, now }
          : { context, session, purposes: registry.purposes, now }
        : session === undefined
          ? { subject, context, purposes: registry.purposes, now }
          : { subject, context, session, purposes: registry.purposes, now };
    // Every provider is handed the same query: frozen, so none can rewrite it for the next.
    Object.freeze(query);
    const pending = resolveConsent(registry, query, traceId, deadline);
    const report = (consent: ResolvedConsent) => {
      const failures = consent.failures;
      for (let i = 0; i < failures.length; i++) emitDropped('consent:failed', failures[i]!, traceId);
      return consent;
    };
    return isThenable(pending) ? pending.then(report) : report(pending);
  }

  async function decide(input: DecisionRequestInput, decideOptions?: DecideOptions): Promise<Decision> {
    const deadline = clock() + timeouts.decisionMs;
    const trusted = decideOptions?.trusted === true;
    const parsed: DecisionRequest = trusted
      ? (input as DecisionRequest).context
        ? (input as DecisionRequest)
        : ({ ...(input as DecisionRequest), context: {} } as DecisionRequest)
      : parseRequest(input);
    // One immutable view of the request for the gate and every plugin (P1, P2).
    const request = freezeRequest(parsed, trusted || !Object.isFrozen(parsed), limits);
    const traceId = request.traceId ?? newTraceId();
    // The server's clock, never the request's: consent, retention and expiry are judged by it. A
    // simulated `context.now` reaches contextual rules only, through the `context.time` category.
    const now = serverClock();
    for (let i = 0; i < hooks.length; i++) {
      const h = hooks[i]!;
      events.runHook(h.beforeDecision, h, { traceId, request }, 'beforeDecision');
    }

    // 1. Consent, asked afresh for every decision (P1, P6, P8).
    const asked = askConsent(request, traceId, now, deadline);
    const consent = isThenable(asked) ? await asked : asked;
    if (request.subject !== undefined && memory.enabled && events.has('consent:changed')) {
      const changes = memory.compare(request.subject.id, consent.state);
      if (changes.length > 0)
        events.emit('consent:changed', { traceId, subject: request.subject.id, changes });
    }

    // 2. Plan: who may run, who sees what (P2, P3).
    const plan = plans.get(consent.granted, request.subject !== undefined);
    const dropped: DroppedPlugin[] = consent.failures.length > 0 ? consent.failures.slice() : [];
    const skipped = plan.skipped;
    for (let i = 0; i < skipped.length; i++) {
      dropped.push({ ...skipped[i]! });
      emitDropped('strategy:dropped', skipped[i]!, traceId);
    }

    // 3. Data: request-borne categories in use, then sources only for needed categories.
    const values = new Map<string, unknown>();
    const requestCategories = plan.requestCategories;
    if (requestCategories.length > 0) {
      const fromRequest = categoriesFromRequest(request, now);
      // The request is frozen all the way down (above), so only the few wrappers built here from
      // its parts need freezing: a shallow freeze, not a walk.
      for (let i = 0; i < requestCategories.length; i++) {
        const key = requestCategories[i]!;
        const v = fromRequest[key];
        if (v !== undefined) values.set(key, Object.freeze(v));
      }
    }
    const sourceSkips = plan.sourceSkips;
    for (let i = 0; i < sourceSkips.length; i++) dropped.push({ ...sourceSkips[i]! });
    const loading = loadSources(plan, request, now, deadline, traceId, values);
    const failedSources = isThenable(loading) ? await loading : loading;
    for (let i = 0; i < failedSources.length; i++) {
      dropped.push(failedSources[i]!);
      emitDropped('source:failed', failedSources[i]!, traceId);
    }

    // 4. Strategies on frozen projections (the request, slot defaults included, was frozen above).
    const slots = request.slots;
    const slotIds = slotIdsOf(slots);
    const contextNow = request.context.now === undefined ? undefined : parseTime(request.context.now);
    const running = runStrategies({
      plan,
      values,
      slots,
      slotIds,
      now,
      contextNow,
      deadline,
      traceId,
      limits,
    });
    const runs = isThenable(running) ? await running : running;
    for (let i = 0; i < runs.length; i++) {
      const failed = runs[i]?.dropped;
      if (failed) {
        dropped.push(failed);
        emitDropped('strategy:dropped', failed, traceId);
      }
    }

    // 5. Merge and explain (P4, P5).
    const seed = request.traceId ?? request.subject?.id ?? request.session?.id ?? traceId;
    const merged = assemble(plan, runs, slots, merge, seed, registry.taxonomy, registry);
    if (merged.mergeErrors.length > 0 && events.has('merge:failed')) {
      for (let i = 0; i < merged.mergeErrors.length; i++) {
        const m = merged.mergeErrors[i]!;
        events.emit('merge:failed', { traceId, slot: m.slot, error: m.error });
      }
    }
    const decision: Decision = {
      traceId,
      decidedAt: isoTime(now),
      slots: merged.slots,
      purposesUsed: merged.purposesUsed,
      categoriesUsed: merged.categoriesUsed,
      dropped,
      consent: consent.state,
    };
    for (let i = 0; i < hooks.length; i++) {
      const h = hooks[i]!;
      events.runHook(h.afterDecision, h, { traceId, decision }, 'afterDecision');
    }
    if (events.has('decision')) events.emit('decision', decision);
    return decision;
  }

  async function preview(input: DecisionRequestInput): Promise<DecisionPreview> {
    const deadline = clock() + timeouts.decisionMs;
    const request = freezeRequest(parseRequest(input), false, limits);
    const traceId = request.traceId ?? newTraceId();
    const now = serverClock();
    const asked = askConsent(request, traceId, now, deadline);
    const consent = isThenable(asked) ? await asked : asked;
    const plan = plans.get(consent.granted, request.subject !== undefined);
    return buildPreview(registry, plan, consent, traceId);
  }

  const orchestrator: Orchestrator = {
    decide,
    preview,
    on(event, listener) {
      events.on(event, listener);
      return orchestrator;
    },
    off(event, listener) {
      events.off(event, listener);
      return orchestrator;
    },
    addHooks(...more) {
      hooks.push(...more);
      return orchestrator;
    },
    taxonomy: registry.taxonomy,
    plugins: Object.freeze({
      strategies: Object.freeze(strategies.map((s) => s.plugin)),
      sources: Object.freeze(registry.sources.map((s) => s.plugin)),
      consent: Object.freeze(registry.consent.map((c) => c.plugin)),
    }),
    layers: registry.layers,
  };
  return orchestrator;
}

let lastTime = Number.NaN;
let lastIso = '';
/** `new Date(ms).toISOString()`, remembering the last answer (decisions in the same millisecond). */
function isoTime(ms: number): string {
  if (ms !== lastTime) {
    lastIso = new Date(ms).toISOString();
    lastTime = ms;
  }
  return lastIso;
}

let lastText: string | undefined;
let lastParsed = Number.NaN;
/** `Date.parse(text)`, remembering the last answer (a page's moment repeats from one decision to the next). */
function parseTime(text: string): number {
  if (text !== lastText) {
    lastParsed = Date.parse(text);
    lastText = text;
  }
  return lastParsed;
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]-?: Exclude<T[K], undefined> };
}
