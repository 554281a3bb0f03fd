import {
  type ConsentProvider,
  type ConsentQuery,
  type DataSource,
  type Decision,
  type DecisionRequest,
  type DecisionRequestInput,
  type DroppedPlugin,
  type SlotDecision,
  type Strategy,
  type StrategyInput,
  type Taxonomy,
  type TaxonomyExtension,
  categoriesFromRequest,
  deepFreeze,
  parseOrThrow,
} from '@tactful/core';
import { type CallResult, callWithDeadline, clock, describeError, isThenable } from './call.js';
import { type ResolvedConsent, resolveConsent } from './consent.js';
import { ConsentMemory } from './consent-memory.js';
import { DEFAULT_EXPLANATION, summaryOf } from './explain.js';
import { type OrchestratorEventName, type OrchestratorEvents, SafeEvents } from './events.js';
import { type RankedCandidate, mergeSlot } from './merge.js';
import {
  DEFAULT_OUTPUT_LIMITS,
  DEFAULT_TIMEOUTS,
  type DecisionHooks,
  type MergeFunction,
  type MergePolicy,
  type OrchestratorOptions,
  OrchestratorOptionsSchema,
} from './options.js';
import { type CheckedOutput, type OutputLimits, checkOutput } from './output.js';
import { PlanCache } from './plan.js';
import { type DecisionPreview, buildPreview } from './preview.js';
import { ORIGIN_RANK, type Registry, type ResolvedTimeouts, buildRegistry } from './registry.js';
import { parseRequest } from './request.js';

/** Options of one `decide` call. */
export interface DecideOptions {
  /**
   * Skip request validation: the request was already parsed with `DecisionRequestSchema` (by a
   * server at its boundary, for example). Never set this for input that came from outside.
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

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

function newTraceId(): string {
  return globalThis.crypto.randomUUID();
}

function defaultOnError(error: unknown, where: string): void {
  console.warn(`tactful orchestrator: a "${where}" listener or hook threw; the decision carried on.`, error);
}

/** Locale for texts, from the request's locale category (only when the strategy may read it). */
function localeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { locale, acceptLanguage } = value as { locale?: string; acceptLanguage?: string };
  const tag = locale ?? acceptLanguage?.split(',')[0]?.split(';')[0]?.trim();
  if (!tag || tag === '*') return undefined;
  return tag.split('-')[0]?.toLowerCase();
}

interface StrategyRun {
  /** Set when the strategy ran and its output was accepted. */
  readonly output?: CheckedOutput;
  readonly given: readonly string[];
  readonly dropped?: DroppedPlugin;
  readonly called: boolean;
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
  const opts = parseOrThrow(OrchestratorOptionsSchema, options, {
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
  const merge: MergePolicy | MergeFunction = opts.merge;
  const events = new SafeEvents(opts.onListenerError ?? defaultOnError);
  const hooks: DecisionHooks[] = [...(opts.hooks as DecisionHooks[])];
  const memory = new ConsentMemory(opts.consentChangeMemory);
  const strategies = registry.strategies;
  const plans = new PlanCache(registry);

  function emitDropped(event: OrchestratorEventName, dropped: DroppedPlugin, traceId: string): void {
    if (events.has(event)) events.emit(event, { ...dropped, traceId });
  }

  function askConsent(
    request: DecisionRequest,
    traceId: string,
    now: number,
    remaining: () => number,
  ): ResolvedConsent | Promise<ResolvedConsent> {
    const query: ConsentQuery = {
      ...(request.subject === undefined ? {} : { subject: request.subject }),
      context: request.context,
      ...(request.session === undefined ? {} : { session: request.session }),
      purposes: registry.purposes,
      now,
    };
    const report = (consent: ResolvedConsent) => {
      for (const f of consent.failures) emitDropped('consent:failed', f, traceId);
      return consent;
    };
    const pending = resolveConsent(registry, query, traceId, remaining);
    return isThenable(pending) ? pending.then(report) : report(pending);
  }

  async function decide(input: DecisionRequestInput, decideOptions?: DecideOptions): Promise<Decision> {
    const started = clock();
    const deadline = started + timeouts.decisionMs;
    const remaining = () => deadline - clock();
    const request: DecisionRequest = decideOptions?.trusted
      ? (input as DecisionRequest).context
        ? (input as DecisionRequest)
        : ({ ...(input as DecisionRequest), context: {} } as DecisionRequest)
      : parseRequest(input);
    const traceId = request.traceId ?? newTraceId();
    const now = request.context.now === undefined ? Date.now() : Date.parse(request.context.now);
    for (const h of hooks) events.runHook(h.beforeDecision, h, { traceId, request }, 'beforeDecision');

    // 1. Consent (P1, P8).
    const asked = askConsent(request, traceId, now, remaining);
    const consent = isThenable(asked) ? await asked : asked;
    if (request.subject !== undefined && memory.enabled && events.has('consent:changed')) {
      const changes = memory.compare(request.subject.id, consent.state);
      if (changes.length > 0) {
        events.emit('consent:changed', { traceId, subject: request.subject.id, changes });
      }
    }

    // 2. Plan (P2, P3).
    const plan = plans.get(consent.granted, request.subject !== undefined);
    const dropped: DroppedPlugin[] = [...consent.failures];
    for (const s of plan.skipped) {
      dropped.push({ ...s });
      emitDropped('strategy:dropped', s, traceId);
    }

    // 3. Sources: only for needed categories, concurrently, each with a deadline.
    const values = new Map<string, unknown>();
    if (plan.requestCategories.length > 0) {
      const fromRequest = categoriesFromRequest(request, now);
      for (const key of plan.requestCategories) {
        const v = fromRequest[key];
        if (v !== undefined) values.set(key, deepFreeze(v));
      }
    }
    for (const s of plan.sourceSkips) dropped.push({ ...s });
    if (plan.sourceCalls.length > 0) {
      const calls = plan.sourceCalls.map(({ plan: source, categories }) =>
        callWithDeadline(
          'source',
          source.name,
          (ctx) =>
            source.plugin.load(
              {
                ...(request.subject === undefined ? {} : { subject: request.subject }),
                categories,
                context: request.context,
                now,
              },
              ctx,
            ),
          Math.min(source.timeoutMs, remaining()),
          traceId,
        ),
      );
      const results = calls.some(isThenable)
        ? await Promise.all(calls)
        : (calls as Array<CallResult<unknown>>);
      results.forEach((result, i) => {
        const call = plan.sourceCalls[i]!;
        const failure = readSource(result, call.categories, values);
        if (failure) {
          const d: DroppedPlugin = { plugin: call.plan.name, kind: 'source', outcome: 'failed', ...failure };
          dropped.push(d);
          emitDropped('source:failed', d, traceId);
        }
      });
    }

    // 4. Strategies: each on its frozen projection, in dependency order, concurrently where allowed.
    // The parser froze what it built; slot defaults are the caller's values, frozen here.
    for (const s of request.slots) if (s.default !== undefined) deepFreeze(s.default);
    const slots = deepFreeze(request.slots);
    const slotIds = new Set(request.slots.map((s) => s.id));
    const published = new Map<string, unknown>();
    const runs: Array<StrategyRun | Promise<StrategyRun> | undefined> = new Array(strategies.length);

    const run = (i: number): StrategyRun | Promise<StrategyRun> => {
      const permit = plan.permits[i]!;
      const s = permit.plan;
      const data: Record<string, unknown> = {};
      const given: string[] = [];
      let locale: string | undefined;
      for (const r of permit.reads) {
        const v = values.get(r.category);
        if (v === undefined || Object.hasOwn(data, r.category)) continue;
        data[r.category] = v;
        given.push(r.category);
        if (r.category === 'context.locale') locale = localeOf(v);
      }
      let signals = EMPTY;
      if (s.signalReads.length > 0) {
        const sig: Record<string, unknown> = {};
        for (const name of s.signalReads) if (published.has(name)) sig[name] = published.get(name);
        signals = Object.freeze(sig);
      }
      const strategyInput: StrategyInput = Object.freeze({
        slots,
        data: Object.freeze(data),
        signals,
        granted: Object.freeze(permit.granted),
        now,
        ...(locale === undefined ? {} : { locale }),
      });
      const call = callWithDeadline(
        'strategy',
        s.name,
        (ctx) => s.plugin.decide(strategyInput, ctx),
        Math.min(s.timeoutMs, remaining()),
        traceId,
      );
      const finish = (result: CallResult<unknown>): StrategyRun => {
        if (!result.ok) {
          const d: DroppedPlugin = {
            plugin: s.name,
            kind: 'strategy',
            outcome: 'failed',
            code: result.timedOut ? 'PLUGIN_TIMEOUT' : 'PLUGIN_FAILED',
            reason: result.timedOut ? describeError(result.error) : `threw: ${describeError(result.error)}`,
          };
          return { given, dropped: d, called: true };
        }
        const checked = checkOutput(result.value, slotIds, s.signalPublishes, given, limits);
        if ('code' in checked) {
          return {
            given,
            dropped: {
              plugin: s.name,
              kind: 'strategy',
              outcome: 'failed',
              code: checked.code,
              reason: checked.reason,
            },
            called: true,
          };
        }
        for (const [name, value] of checked.signals) published.set(name, value);
        return { given, output: checked, called: true };
      };
      return isThenable(call) ? call.then(finish) : finish(call);
    };

    let async = false;
    for (let i = 0; i < strategies.length; i++) {
      if (!plan.permits[i]) continue;
      const deps = strategies[i]!.deps;
      const waiting = deps.filter((d) => isThenable(runs[d]));
      if (waiting.length > 0) {
        async = true;
        runs[i] = Promise.all(waiting.map((d) => runs[d])).then(() => run(i));
      } else {
        const r = run(i);
        if (isThenable(r)) async = true;
        runs[i] = r;
      }
    }
    const settled: Array<StrategyRun | undefined> = async
      ? await Promise.all(runs)
      : (runs as Array<StrategyRun | undefined>);

    // 5. Vetoes (P4) and candidates.
    const vetoed = new Set<string>();
    settled.forEach((r, i) => {
      if (!r?.output || r.output.vetoes.length === 0) return;
      const readsDeclared = r.given.some((c) => registry.taxonomy.categories.get(c)?.origin === 'declared');
      if (!readsDeclared) return;
      void i;
      for (const v of r.output.vetoes) vetoed.add(v.topic);
    });
    const bySlot = new Map<string, RankedCandidate[]>();
    const purposesUsed = new Set<string>();
    const categoriesUsed = new Set<string>();
    settled.forEach((r, i) => {
      if (!r) return;
      const permit = plan.permits[i]!;
      if (r.called) {
        for (const p of permit.plan.purposes) purposesUsed.add(p);
        for (const c of r.given) {
          categoriesUsed.add(c);
          for (const read of permit.reads) if (read.category === c) purposesUsed.add(read.purpose);
        }
      }
      if (r.dropped) {
        dropped.push(r.dropped);
        emitDropped('strategy:dropped', r.dropped, traceId);
        return;
      }
      const output = r.output!;
      let inferred: 'observed' | 'contextual' | 'derived' = 'derived';
      let hasDeclared = false;
      let rank = -1;
      for (const c of r.given) {
        const origin = registry.taxonomy.categories.get(c)?.origin ?? 'derived';
        if (origin === 'declared') hasDeclared = true;
        else if (ORIGIN_RANK[origin] > rank) {
          rank = ORIGIN_RANK[origin];
          inferred = origin;
        }
      }
      output.proposals.forEach((proposal, index) => {
        // A proposal may claim zero-party (declared) evidence only when declared data was given to it.
        const origin =
          proposal.origin === 'declared'
            ? hasDeclared
              ? 'declared'
              : inferred
            : (proposal.origin ?? (hasDeclared && rank < 0 ? 'declared' : inferred));
        if (origin !== 'declared' && vetoed.size > 0 && proposal.topics?.some((t) => vetoed.has(t))) return;
        const list = bySlot.get(proposal.slot) ?? [];
        list.push({
          proposal,
          strategy: permit.plan.name,
          priority: permit.plan.priority,
          order: permit.plan.order,
          origin,
          index,
        });
        bySlot.set(proposal.slot, list);
      });
    });

    // 6. Merge per slot; default content where nobody (permitted) proposed anything.
    const seed = request.traceId ?? request.subject?.id ?? request.session?.id ?? traceId;
    const slotDecisions: SlotDecision[] = request.slots.map((slot) => {
      const outcome = mergeSlot(bySlot.get(slot.id) ?? [], merge, seed, slot.id);
      if (outcome.mergeError !== undefined && events.has('merge:failed')) {
        events.emit('merge:failed', { traceId, slot: slot.id, error: outcome.mergeError });
      }
      const winner = outcome.winner;
      if (!winner) {
        return {
          slot: slot.id,
          content: slot.default,
          strategy: 'default',
          isDefault: true,
          explanation: DEFAULT_EXPLANATION,
        };
      }
      const p = winner.proposal;
      const idx = strategies.findIndex((s) => s.name === winner.strategy);
      const permit = plan.permits[idx]!;
      const given = settled[idx]?.given ?? [];
      const categories = p.categories ? [...p.categories] : [...given];
      const purposes = [...permit.plan.purposes];
      for (const read of permit.reads) {
        if (categories.includes(read.category) && !purposes.includes(read.purpose))
          purposes.push(read.purpose);
      }
      return {
        slot: slot.id,
        content: p.content,
        ...(p.variant === undefined ? {} : { variant: p.variant }),
        strategy: winner.strategy,
        ...(p.score === undefined ? {} : { score: p.score }),
        isDefault: false,
        explanation: {
          strategy: winner.strategy,
          summary: summaryOf(p.reason, registry.taxonomy, categories, purposes),
          signals: p.signals ? [...p.signals] : [],
          purposes,
          categories,
        },
      };
    });

    const decision: Decision = {
      traceId,
      decidedAt: new Date(now).toISOString(),
      slots: slotDecisions,
      purposesUsed: [...purposesUsed].sort(),
      categoriesUsed: [...categoriesUsed].sort(),
      dropped,
      consent: consent.state,
    };
    for (const h of hooks) events.runHook(h.afterDecision, h, { traceId, decision }, 'afterDecision');
    if (events.has('decision')) events.emit('decision', decision);
    return decision;
  }

  async function preview(input: DecisionRequestInput): Promise<DecisionPreview> {
    const started = clock();
    const request = parseRequest(input);
    const traceId = request.traceId ?? newTraceId();
    const now = request.context.now === undefined ? Date.now() : Date.parse(request.context.now);
    const asked = askConsent(request, traceId, now, () => started + timeouts.decisionMs - clock());
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

function stripUndefined<T extends object>(value: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]-?: Exclude<T[K], undefined> };
}

/** Takes the requested categories from a source's answer; returns why it failed, if it did. */
function readSource(
  result: CallResult<unknown>,
  categories: readonly string[],
  values: Map<string, unknown>,
): { code: string; reason: string } | undefined {
  if (!result.ok) {
    return result.timedOut
      ? { code: 'PLUGIN_TIMEOUT', reason: describeError(result.error) }
      : { code: 'SOURCE_FAILED', reason: `load failed: ${describeError(result.error)}` };
  }
  const answer = result.value;
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    return { code: 'INVALID_OUTPUT', reason: 'load must return an object keyed by category' };
  }
  try {
    for (const c of categories) {
      if (values.has(c) || !Object.hasOwn(answer, c)) continue;
      const v = (answer as Record<string, unknown>)[c];
      if (v !== undefined) values.set(c, deepFreeze(v));
    }
  } catch (error) {
    return { code: 'INVALID_OUTPUT', reason: `its answer could not be read: ${describeError(error)}` };
  }
  return undefined;
}
