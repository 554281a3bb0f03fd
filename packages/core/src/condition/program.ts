import type { FieldPlan, Predicate } from './field.js';
import type { ScalarSpec } from './operators.js';
import { decideScalar } from './scalar.js';
import * as ScalarCode from './scalar-code.js';
import * as StepKind from './step-kind.js';
import { MULTI, type ValueTest } from './path.js';

const hasOwn = Object.hasOwn;
const isArray = Array.isArray;

/** A step reading a path. */
interface FieldStep {
  readonly kind: typeof StepKind.Scalar | typeof StepKind.Whole | typeof StepKind.Value;
  readonly keys: readonly string[];
  readonly slot: number;
  readonly plan: FieldPlan;
}

/** A step calling a predicate, or in a condition set a {@link Logic} step. */
interface PredicateStep {
  readonly kind: typeof StepKind.Predicate;
  readonly predicate: Predicate;
  readonly logic?: Logic;
}

/** One conjunct of a rule, before packing. */
export type Step = FieldStep | PredicateStep;

/**
 * `$or`/`$nor` (and `$not` on a rule, a `$nor` of one) in a condition set, as data: the sub-rules
 * packed as programs reading the set's slots, so the set's index answers their atoms too.
 */
export interface Logic {
  /** True for `$nor` and `$not`: the step holds when none of the terms does. */
  readonly nor: boolean;
  readonly terms: readonly Program[];
}

/**
 * A rule object compiled to a flat conjunction of steps held in parallel arrays: evaluating it is a
 * loop with no indirect call for simple operators (no code generation: the "program" is data). The
 * arrays are plain packed arrays of small integers: as fast to read as typed arrays, and a fifth of
 * their memory for programs this short (a set holds thousands).
 */
export interface Program {
  readonly length: number;
  readonly kinds: readonly number[];
  /** Shared-read slot of the step's path (in a condition set), or -1 to read the facts directly. */
  readonly slots: readonly number[];
  /** Segments of a direct read (1 or 2). */
  readonly depths: readonly number[];
  readonly keysA: readonly string[];
  readonly keysB: readonly string[];
  readonly codes: readonly number[];
  readonly specs: readonly ScalarSpec[];
  readonly negates: readonly number[];
  readonly missing: readonly number[];
  readonly onValue: readonly ValueTest[];
  readonly slow: readonly Predicate[];
  readonly predicates: readonly Predicate[];
  /** Per step: its {@link Logic} in a condition set (else undefined). */
  readonly logic: ReadonlyArray<Logic | undefined>;
}

const NO_SPEC: ScalarSpec = Object.freeze({ code: ScalarCode.Eq });
const NEVER: Predicate = () => false;
const NO_TEST: ValueTest = () => false;

/**
 * The order of steps in a conjunction (pure tests may run in any order): cheap before costly, and
 * among simple operators the likely-to-fail first (equality and an exact `$size`, then membership,
 * then comparisons and `$exists`, then negations, which mostly hold), so that a failing rule stops
 * early.
 */
function rank(step: Step): number {
  if (step.kind === StepKind.Predicate) return 100;
  if (step.kind === StepKind.Value) return 50;
  const code =
    (step.kind === StepKind.Whole ? step.plan.whole?.code : step.plan.scalar?.code) ?? ScalarCode.Eq;
  const base =
    code === ScalarCode.Eq || code === ScalarCode.Size
      ? 0
      : code === ScalarCode.InList || code === ScalarCode.InSet
        ? 1
        : code === ScalarCode.Regex
          ? 3
          : 2;
  return step.plan.negate && code !== ScalarCode.Exists ? 10 + base : base;
}

/** Packs steps into a {@link Program}, ordered by {@link rank} (a stable sort keeps the rule's order otherwise). */
export function pack(steps: readonly Step[]): Program {
  const ordered = [...steps].sort((x, y) => rank(x) - rank(y));
  // One array per field, each of exactly the steps' length (`map` allocates no spare capacity).
  const field = <T>(ofStep: (step: FieldStep) => T, ofPredicate: (step: PredicateStep) => T): T[] =>
    ordered.map((step) => (step.kind === StepKind.Predicate ? ofPredicate(step) : ofStep(step)));
  const spec = (step: FieldStep) => step.plan.scalar ?? step.plan.whole;
  return {
    length: ordered.length,
    kinds: ordered.map((step) => step.kind),
    slots: field(
      (s) => s.slot,
      () => -1,
    ),
    depths: field(
      (s) => s.keys.length,
      () => 0,
    ),
    keysA: field(
      (s) => s.keys[0] ?? '',
      () => '',
    ),
    keysB: field(
      (s) => s.keys[1] ?? '',
      () => '',
    ),
    codes: field(
      (s) => spec(s)?.code ?? 0,
      () => 0,
    ),
    specs: field(
      (s) => spec(s) ?? NO_SPEC,
      () => NO_SPEC,
    ),
    negates: field(
      (s) => (s.plan.negate ? 1 : 0),
      () => 0,
    ),
    missing: field(
      (s) => (s.plan.missing ? 1 : 0),
      () => 0,
    ),
    onValue: field(
      (s) => s.plan.onValue,
      () => NO_TEST,
    ),
    slow: field(
      (s) => s.plan.slow,
      () => NEVER,
    ),
    predicates: field(
      () => NEVER,
      (p) => p.predicate,
    ),
    logic: field(
      () => undefined,
      (p) => p.logic,
    ),
  };
}

/** The answer of a field step (not {@link StepKind.Predicate}) for the value `v` found at its path. */
export function decideStep(p: Program, i: number, kind: number, v: unknown, facts: unknown): boolean {
  if (v === undefined) return p.missing[i] === 1;
  if (v === MULTI) return p.slow[i]!(facts);
  if (kind === StepKind.Whole) {
    // $exists: true holds for any value found; $size for an array of that length.
    const holds = p.codes[i] === ScalarCode.Exists || (isArray(v) && v.length === p.specs[i]!.value);
    return holds !== (p.negates[i] === 1);
  }
  if (kind === StepKind.Scalar) {
    if (typeof v !== 'object' || v === null)
      return decideScalar(p.specs[i]!, p.codes[i]!, v) !== (p.negates[i] === 1);
    if (isArray(v)) {
      // A field holding an array matches when one of its elements does (a scalar operator never
      // matches an array or an object itself). An element only counts when it is the array's own.
      const spec = p.specs[i]!;
      const code = p.codes[i]!;
      let any = false;
      for (let j = 0; j < v.length; j++) {
        const e = v[j];
        if ((typeof e !== 'object' || e === null) && decideScalar(spec, code, e) && hasOwn(v, j)) {
          any = true;
          break;
        }
      }
      return any !== (p.negates[i] === 1);
    }
  }
  return p.onValue[i]!(v);
}

/** Evaluates a program against facts, reading paths directly. */
export function run(p: Program, facts: unknown): boolean {
  const n = p.length;
  if (typeof facts !== 'object' || facts === null || isArray(facts)) return runOn(p, facts);
  for (let i = 0; i < n; i++) {
    const kind = p.kinds[i]!;
    if (kind === StepKind.Predicate) {
      if (!p.predicates[i]!(facts)) return false;
      continue;
    }
    const a = p.keysA[i]!;
    let v: unknown = hasOwn(facts, a) ? (facts as Record<string, unknown>)[a] : undefined;
    if (p.depths[i] === 2 && v !== undefined) {
      if (typeof v !== 'object' || v === null) v = undefined;
      else if (isArray(v)) v = MULTI;
      else {
        const b = p.keysB[i]!;
        v = hasOwn(v, b) ? (v as Record<string, unknown>)[b] : undefined;
      }
    }
    if (!decideStep(p, i, kind, v, facts)) return false;
  }
  return true;
}

/** Facts that are not a plain object: every direct path is missing, or fans out over the array. */
function runOn(p: Program, facts: unknown): boolean {
  const v = typeof facts === 'object' && facts !== null ? MULTI : undefined;
  for (let i = 0; i < p.length; i++) {
    const kind = p.kinds[i]!;
    if (kind === StepKind.Predicate) {
      if (!p.predicates[i]!(facts)) return false;
    } else if (!decideStep(p, i, kind, v, facts)) return false;
  }
  return true;
}

/** The answer of one step of a condition set's program, its slots read into `values`. */
export function stepHolds(p: Program, i: number, facts: unknown, values: readonly unknown[]): boolean {
  const kind = p.kinds[i]!;
  if (kind === StepKind.Predicate) return p.predicates[i]!(facts);
  const slot = p.slots[i]!;
  return decideStep(p, i, kind, slot >= 0 ? values[slot] : readDirect(p, i, facts), facts);
}

/** A direct read (steps of `$elemMatch` documents inside a set read the element, not a slot). */
function readDirect(p: Program, i: number, facts: unknown): unknown {
  if (typeof facts !== 'object' || facts === null) return undefined;
  if (isArray(facts)) return MULTI;
  const a = p.keysA[i]!;
  let v: unknown = hasOwn(facts, a) ? (facts as Record<string, unknown>)[a] : undefined;
  if (p.depths[i] === 2 && v !== undefined) {
    if (typeof v !== 'object' || v === null) return undefined;
    if (isArray(v)) return MULTI;
    const b = p.keysB[i]!;
    v = hasOwn(v, b) ? (v as Record<string, unknown>)[b] : undefined;
  }
  return v;
}
