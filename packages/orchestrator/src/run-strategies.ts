import type { DroppedPlugin, SlotRequest, StrategyInput } from '@tactful/core';
import { type CallResult, callWithDeadline, describeError, isThenable } from './call.js';
import { type CheckedOutput, type OutputLimits, type SlotIds, checkOutput } from './output.js';
import type { DecisionPlan } from './plan.js';
import type { PlannedRead, StrategyPlan } from './registry.js';

/** What one strategy did in a decision. */
export interface StrategyRun {
  /** Set when it ran and its output was accepted. */
  readonly output?: CheckedOutput;
  /** Set when it failed (threw, timed out, returned something malformed). */
  readonly dropped?: DroppedPlugin;
  /** The categories it was given (those with a value), in the order it declared them. */
  readonly given: readonly string[];
  /** The reads behind `given`. */
  readonly givenReads: readonly PlannedRead[];
}

/** Membership in a few slots' ids, by a scan: no `Set` built for every decision. */
class FewSlots implements SlotIds {
  readonly #slots: ReadonlyArray<Readonly<SlotRequest>>;
  constructor(slots: ReadonlyArray<Readonly<SlotRequest>>) {
    this.#slots = slots;
  }
  has(id: string): boolean {
    const slots = this.#slots;
    for (let i = 0; i < slots.length; i++) if (slots[i]!.id === id) return true;
    return false;
  }
}

/** The ids of a decision's slots, as {@link checkOutput} asks about them. */
export function slotIdsOf(slots: ReadonlyArray<Readonly<SlotRequest>>): SlotIds {
  if (slots.length <= 16) return new FewSlots(slots);
  const ids = new Set<string>();
  for (let i = 0; i < slots.length; i++) ids.add(slots[i]!.id);
  return ids;
}

/** What every strategy of one decision shares. */
export interface RunContext {
  readonly plan: DecisionPlan;
  readonly values: ReadonlyMap<string, unknown>;
  readonly slots: ReadonlyArray<Readonly<SlotRequest>>;
  readonly slotIds: SlotIds;
  readonly now: number;
  /** The request's simulated time, when it gave one (schedules and contextual rules only). */
  readonly contextNow: number | undefined;
  readonly deadline: number;
  readonly traceId: string;
  readonly limits: OutputLimits;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});

/** The last locale category value and its locale: every strategy of a decision reads the same frozen value. */
let lastLocaleValue: unknown;
let lastLocale: string | undefined;

/** Locale for texts, from the request's locale category (only when the strategy may read it). */
function localeOf(value: unknown): string | undefined {
  if (value === lastLocaleValue) return lastLocale;
  const locale = readLocale(value);
  // Values are deep-frozen before strategies see them, so the answer for one cannot change.
  if (Object.isFrozen(value)) {
    lastLocaleValue = value;
    lastLocale = locale;
  }
  return locale;
}

function readLocale(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { locale, acceptLanguage } = value as { locale?: string; acceptLanguage?: string };
  let tag = locale;
  if (tag === undefined) {
    if (acceptLanguage === undefined) return undefined;
    // The first language range of the header, without its weight.
    let end = acceptLanguage.length;
    const comma = acceptLanguage.indexOf(',');
    if (comma >= 0) end = comma;
    const semi = acceptLanguage.indexOf(';');
    if (semi >= 0 && semi < end) end = semi;
    tag = acceptLanguage.slice(0, end).trim();
  }
  if (!tag || tag === '*') return undefined;
  const dash = tag.indexOf('-');
  return (dash < 0 ? tag : tag.slice(0, dash)).toLowerCase();
}

/**
 * Runs the permitted strategies: each on a frozen projection holding exactly its declared and
 * permitted categories (P2), each with a deadline; a strategy waits only for the strategies whose
 * signals it reads, so independent ones run concurrently. Synchronous strategies are run without
 * any timer or promise. Returns one entry per strategy (`undefined` for skipped ones).
 */
export function runStrategies(
  ctx: RunContext,
): Array<StrategyRun | undefined> | Promise<Array<StrategyRun | undefined>> {
  const { plan } = ctx;
  const permits = plan.permits;
  const published = new Map<string, unknown>();
  const runs: Array<StrategyRun | Promise<StrategyRun> | undefined> = new Array(permits.length);
  let async = false;
  for (let i = 0; i < permits.length; i++) {
    if (!permits[i]) continue;
    const deps = permits[i]!.plan.deps;
    let waiting: Array<Promise<StrategyRun>> | undefined;
    for (let k = 0; k < deps.length; k++) {
      const r = runs[deps[k]!];
      if (!isThenable(r)) continue;
      if (waiting) waiting.push(r);
      else waiting = [r];
    }
    if (waiting) {
      async = true;
      runs[i] = Promise.all(waiting).then(() => runOne(ctx, i, published));
    } else {
      const r = runOne(ctx, i, published);
      if (isThenable(r)) async = true;
      runs[i] = r;
    }
  }
  return async ? Promise.all(runs) : (runs as Array<StrategyRun | undefined>);
}

function runOne(
  ctx: RunContext,
  i: number,
  published: Map<string, unknown>,
): StrategyRun | Promise<StrategyRun> {
  const permit = ctx.plan.permits[i]!;
  const s = permit.plan;
  const data: Record<string, unknown> = {};
  const categories = permit.categories;
  let locale: string | undefined;
  let missing = 0;
  for (let k = 0; k < categories.length; k++) {
    const category = categories[k]!;
    const v = ctx.values.get(category);
    if (v === undefined) {
      missing++;
      continue;
    }
    data[category] = v;
    if (category === 'context.locale') locale = localeOf(v);
  }
  // Every category has a value (the usual case): the plan's own frozen lists say what it was given.
  let given: readonly string[] = categories;
  let givenReads: readonly PlannedRead[] = permit.reads;
  if (missing > 0) {
    const some: string[] = [];
    for (let k = 0; k < categories.length; k++) if (ctx.values.has(categories[k]!)) some.push(categories[k]!);
    const someReads: PlannedRead[] = [];
    const reads = permit.reads;
    for (let k = 0; k < reads.length; k++) if (ctx.values.has(reads[k]!.category)) someReads.push(reads[k]!);
    given = some;
    givenReads = someReads;
  }
  let signals = EMPTY;
  const signalReads = s.signalReads;
  if (signalReads.length > 0) {
    const sig: Record<string, unknown> = {};
    for (let k = 0; k < signalReads.length; k++) {
      const name = signalReads[k]!;
      const v = published.get(name);
      if (v !== undefined || published.has(name)) sig[name] = v;
    }
    signals = Object.freeze(sig);
  }
  Object.freeze(data);
  const contextNow = ctx.contextNow;
  // One literal per shape (no property added afterwards).
  const input: StrategyInput = Object.freeze(
    locale === undefined
      ? contextNow === undefined
        ? { slots: ctx.slots, data, signals, granted: permit.granted, now: ctx.now }
        : { slots: ctx.slots, data, signals, granted: permit.granted, now: ctx.now, contextNow }
      : contextNow === undefined
        ? { slots: ctx.slots, data, signals, granted: permit.granted, now: ctx.now, locale }
        : { slots: ctx.slots, data, signals, granted: permit.granted, now: ctx.now, locale, contextNow },
  );
  const call = callWithDeadline(
    'strategy',
    s.name,
    s.plugin,
    'decide',
    input,
    s.timeoutMs,
    ctx.deadline,
    ctx.traceId,
  );
  if (!isThenable(call)) return finish(ctx, s, given, givenReads, published, call);
  return call.then((result) => finish(ctx, s, given, givenReads, published, result));
}

function publish(this: Map<string, unknown>, value: unknown, name: string): void {
  this.set(name, value);
}

/** A strategy's run from its call's outcome: dropped, or its output checked and its signals published. */
function finish(
  ctx: RunContext,
  s: StrategyPlan,
  given: readonly string[],
  givenReads: readonly PlannedRead[],
  published: Map<string, unknown>,
  result: CallResult<unknown>,
): StrategyRun {
  if (!result.ok) {
    const dropped: DroppedPlugin = {
      plugin: s.name,
      kind: 'strategy',
      outcome: 'failed',
      code: result.timedOut ? 'PLUGIN_TIMEOUT' : 'PLUGIN_FAILED',
      reason: result.timedOut ? describeError(result.error) : `threw: ${describeError(result.error)}`,
    };
    return { given, givenReads, dropped };
  }
  const checked = checkOutput(result.value, ctx.slotIds, s.signalPublishes, given, ctx.limits);
  if ('code' in checked) {
    const dropped: DroppedPlugin = {
      plugin: s.name,
      kind: 'strategy',
      outcome: 'failed',
      code: checked.code,
      reason: checked.reason,
    };
    return { given, givenReads, dropped };
  }
  if (checked.signals.size > 0) checked.signals.forEach(publish, published);
  return { given, givenReads, output: checked };
}
