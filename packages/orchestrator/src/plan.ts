import type { DroppedPlugin } from '@tactful/core';
import type { PlannedRead, Registry, SourcePlan, StrategyPlan } from './registry.js';

/** Codes of plugins left out of a decision that are not errors of theirs. */
export const SKIP_CODES = Object.freeze({
  /** A purpose the strategy needs is not granted. */
  purposeNotGranted: 'PURPOSE_NOT_GRANTED',
  /** A source needs a subject and the request is anonymous. */
  noSubject: 'NO_SUBJECT',
} as const);

/** What one strategy may do in a decision. */
export interface StrategyPermit {
  readonly plan: StrategyPlan;
  /** The reads whose purpose is granted: the only categories it will see. */
  readonly reads: readonly PlannedRead[];
  /** Reads withheld because their purpose is not granted. */
  readonly withheld: readonly PlannedRead[];
  /** The strategy's purposes plus granted read purposes. */
  readonly granted: readonly string[];
  /** The categories of `reads`, each once, in the order declared: what it is given when all have a value. */
  readonly categories: readonly string[];
}

/** A source call the decision will make. */
export interface SourceCall {
  readonly plan: SourcePlan;
  readonly categories: readonly string[];
}

/** The plan of one decision, from the consent it got. */
export interface DecisionPlan {
  /** Indexed like `registry.strategies`; `undefined` = skipped. */
  readonly permits: ReadonlyArray<StrategyPermit | undefined>;
  readonly skipped: readonly DroppedPlugin[];
  readonly sourceCalls: readonly SourceCall[];
  /** Indexes into `sourceCalls` by source name: the order their answers are read in. */
  readonly sourceOrder: readonly number[];
  readonly sourceSkips: readonly DroppedPlugin[];
  /** Request-borne categories some permitted strategy reads. */
  readonly requestCategories: readonly string[];
  /** Categories some permitted strategy needs from sources. */
  readonly needed: ReadonlySet<string>;
}

/**
 * Decides who may run and who is called (P2): a strategy runs only when every purpose it declares
 * is granted, and sees only the categories whose purpose is granted; a source is called only for
 * categories some permitted strategy needs.
 */
export function planDecision(
  registry: Registry,
  granted: ReadonlySet<string>,
  hasSubject: boolean,
): DecisionPlan {
  const permits: Array<StrategyPermit | undefined> = new Array(registry.strategies.length);
  const skipped: DroppedPlugin[] = [];
  const needed = new Set<string>();
  const requestCategories = new Set<string>();
  registry.strategies.forEach((plan, i) => {
    const missing = plan.purposes.filter((p) => !granted.has(p));
    if (missing.length > 0) {
      permits[i] = undefined;
      skipped.push({
        plugin: plan.name,
        kind: 'strategy',
        outcome: 'skipped',
        code: SKIP_CODES.purposeNotGranted,
        reason: `purpose${missing.length > 1 ? 's' : ''} not granted: ${missing.join(', ')}`,
      });
      return;
    }
    const reads: PlannedRead[] = [];
    const withheld: PlannedRead[] = [];
    const purposes = new Set(plan.purposes);
    for (const r of plan.reads) {
      if (granted.has(r.purpose)) {
        reads.push(r);
        purposes.add(r.purpose);
        if (r.fromRequest) requestCategories.add(r.category);
        else needed.add(r.category);
      } else withheld.push(r);
    }
    const categories: string[] = [];
    for (const r of reads) if (!categories.includes(r.category)) categories.push(r.category);
    permits[i] = { plan, reads, withheld, granted: [...purposes], categories };
  });
  const sourceCalls: SourceCall[] = [];
  const sourceSkips: DroppedPlugin[] = [];
  for (const source of registry.sources) {
    const categories = source.provides.filter((c) => needed.has(c));
    if (categories.length === 0) continue;
    if (source.requiresSubject && !hasSubject) {
      sourceSkips.push({
        plugin: source.name,
        kind: 'source',
        outcome: 'skipped',
        code: SKIP_CODES.noSubject,
        reason: `needs a subject (the request is anonymous); not called for ${categories.join(', ')}`,
      });
      continue;
    }
    sourceCalls.push({ plan: source, categories });
  }
  // Frozen (not deep: it holds the plugins themselves), as a plan is shared by every decision
  // with the same consent.
  const f = Object.freeze;
  return f({
    permits: f(
      permits.map(
        (p) =>
          p &&
          f({
            ...p,
            reads: f(p.reads),
            withheld: f(p.withheld),
            granted: f(p.granted),
            categories: f(p.categories),
          }),
      ),
    ),
    skipped: f(skipped.map((d) => f(d))),
    sourceCalls: f(sourceCalls.map((c) => f({ ...c, categories: f(c.categories) }))),
    sourceOrder: f(
      sourceCalls
        .map((_, i) => i)
        .sort((a, b) => compareNames(sourceCalls[a]!.plan.name, sourceCalls[b]!.plan.name)),
    ),
    sourceSkips: f(sourceSkips.map((d) => f(d))),
    requestCategories: f([...requestCategories]),
    needed,
  });
}

/**
 * Plans depend only on the configuration, the granted purposes and whether there is a subject, so
 * they are memoised by those (a pure function of them; consent itself is asked for every decision).
 */
export class PlanCache {
  readonly #registry: Registry;
  readonly #plans = new Map<string | number, DecisionPlan>();

  constructor(registry: Registry) {
    this.#registry = registry;
  }

  get(granted: ReadonlySet<string>, hasSubject: boolean): DecisionPlan {
    const purposes = this.#registry.purposes;
    let key: string | number;
    if (purposes.length <= 30) {
      // A bit per purpose and one for the subject: a number, built without a string.
      key = hasSubject ? 1 : 0;
      for (let i = 0; i < purposes.length; i++) key = key * 2 + (granted.has(purposes[i]!) ? 1 : 0);
    } else {
      key = hasSubject ? 's' : 'a';
      for (let i = 0; i < purposes.length; i++) key += granted.has(purposes[i]!) ? '1' : '0';
    }
    let plan = this.#plans.get(key);
    if (!plan) {
      plan = planDecision(this.#registry, granted, hasSubject);
      // 2^n combinations at most; keep the cache bounded for configurations with many purposes.
      if (this.#plans.size < 1024) this.#plans.set(key, plan);
    }
    return plan;
  }
}

/** Code-unit order of plugin names: the tie-break that no configuration order changes. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
