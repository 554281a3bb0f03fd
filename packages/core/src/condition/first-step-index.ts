import { ScalarCode } from './operators.js';
import { MULTI } from './path.js';
import { type Program, type SlotReader, StepKind, runShared } from './program.js';

/** Rules whose first step compares one slot with a number, sorted by their bound. */
interface Bounds {
  readonly bounds: Float64Array;
  readonly rules: Int32Array;
}

/** The rules of a condition set whose first step is a simple test of one slot, indexed by operand. */
interface SlotIndex {
  readonly slot: number;
  /** Equality and membership: value → rules whose first step holds for it. */
  readonly equal: ReadonlyMap<unknown, Int32Array>;
  readonly gt: Bounds;
  readonly gte: Bounds;
  readonly lt: Bounds;
  readonly lte: Bounds;
  /** Every rule of this index (evaluated in full when the slot holds an object or crosses an array). */
  readonly all: Int32Array;
  /** The rules with a numeric first step (evaluated in full when the slot holds an array). */
  readonly compared: Int32Array;
}

/**
 * An index over the first step of a condition set's rules, so that rules whose first step fails are
 * never run. Each simple first step (`equal`, `$in`, numeric comparisons) is answered for all rules
 * at once — one map lookup, or a binary search over sorted bounds — and only the rules it lets
 * through run their remaining steps. Rules without such a first step run in full.
 */
export interface FirstStepIndex {
  readonly plain: Int32Array;
  readonly slots: readonly SlotIndex[];
}

const INDEXABLE = new Set<number>([
  ScalarCode.Eq,
  ScalarCode.InList,
  ScalarCode.InSet,
  ScalarCode.NumGt,
  ScalarCode.NumGte,
  ScalarCode.NumLt,
  ScalarCode.NumLte,
]);

/** Builds the index of a set's programs. */
export function indexFirstSteps(programs: readonly Program[]): FirstStepIndex {
  const plain: number[] = [];
  const bySlot = new Map<
    number,
    {
      equal: Map<unknown, number[]>;
      cmp: Map<number, Array<[number, number]>>;
      all: number[];
      compared: number[];
    }
  >();
  programs.forEach((p, rule) => {
    const slot = p.slots[0] ?? -1;
    const code = p.codes[0]!;
    if (
      p.length === 0 ||
      p.kinds[0] !== StepKind.Scalar ||
      slot < 0 ||
      p.negates[0] === 1 ||
      !INDEXABLE.has(code)
    ) {
      plain.push(rule);
      return;
    }
    let entry = bySlot.get(slot);
    if (entry === undefined) {
      entry = { equal: new Map(), cmp: new Map(), all: [], compared: [] };
      bySlot.set(slot, entry);
    }
    entry.all.push(rule);
    const spec = p.specs[0]!;
    if (code === ScalarCode.Eq || code === ScalarCode.InList || code === ScalarCode.InSet) {
      const values =
        code === ScalarCode.Eq ? [spec.value] : code === ScalarCode.InList ? spec.list! : [...spec.set!];
      for (const value of new Set(values)) {
        const list = entry.equal.get(value);
        if (list === undefined) entry.equal.set(value, [rule]);
        else list.push(rule);
      }
      return;
    }
    entry.compared.push(rule);
    const list = entry.cmp.get(code) ?? [];
    list.push([spec.value as number, rule]);
    entry.cmp.set(code, list);
  });
  const bounds = (pairs: Array<[number, number]> = []): Bounds => {
    pairs.sort((a, b) => a[0] - b[0]);
    return { bounds: Float64Array.from(pairs, (x) => x[0]), rules: Int32Array.from(pairs, (x) => x[1]) };
  };
  const slots = [...bySlot].map(([slot, e]) => ({
    slot,
    equal: new Map([...e.equal].map(([value, rules]) => [value, Int32Array.from(rules)])),
    gt: bounds(e.cmp.get(ScalarCode.NumGt)),
    gte: bounds(e.cmp.get(ScalarCode.NumGte)),
    lt: bounds(e.cmp.get(ScalarCode.NumLt)),
    lte: bounds(e.cmp.get(ScalarCode.NumLte)),
    all: Int32Array.from(e.all),
    compared: Int32Array.from(e.compared),
  }));
  return { plain: Int32Array.from(plain), slots };
}

/** How many bounds are below `v` (strictly, or with `orEqual` also equal to it). */
function countBelow(bounds: Float64Array, v: number, orEqual: boolean): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const b = bounds[mid]!;
    if (b < v || (orEqual && b === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function runFrom(
  programs: readonly Program[],
  rules: Int32Array,
  from: number,
  to: number,
  facts: unknown,
  reader: SlotReader,
  out: boolean[],
  step: number,
): void {
  for (let k = from; k < to; k++) {
    const rule = rules[k]!;
    out[rule] = runShared(programs[rule]!, facts, reader, step);
  }
}

/**
 * Evaluates every rule of a set into `out` using the index; the slot values must already be read
 * into `reader.values`. Gives exactly the answers of running each program in full.
 */
export function evaluateIndexed(
  index: FirstStepIndex,
  programs: readonly Program[],
  facts: unknown,
  reader: SlotReader,
  out: boolean[],
): void {
  for (let i = 0; i < programs.length; i++) out[i] = false;
  runFrom(programs, index.plain, 0, index.plain.length, facts, reader, out, 0);
  const values = reader.values;
  const slots = index.slots;
  for (let k = 0; k < slots.length; k++) {
    const s = slots[k]!;
    const v = values[s.slot];
    // Missing: no simple, non-negated first step holds, so every rule of this slot is false.
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      // A field holding an array: an equality or membership first step holds when one of its own
      // scalar elements is in the operand (a rule reached twice just runs twice, same answer).
      if (s.equal.size > 0) {
        for (let j = 0; j < v.length; j++) {
          const e: unknown = v[j];
          if (typeof e === 'object' && e !== null) continue;
          const rules = s.equal.get(e);
          if (rules !== undefined && Object.hasOwn(v, j))
            runFrom(programs, rules, 0, rules.length, facts, reader, out, 1);
        }
      }
      // Comparisons keep their own array semantics: run those rules in full.
      runFrom(programs, s.compared, 0, s.compared.length, facts, reader, out, 0);
      continue;
    }
    if (v === MULTI || (typeof v === 'object' && v !== null)) {
      // Objects, and paths that cross arrays: run the rules in full.
      runFrom(programs, s.all, 0, s.all.length, facts, reader, out, 0);
      continue;
    }
    if (s.equal.size > 0) {
      const equal = s.equal.get(v);
      if (equal !== undefined) runFrom(programs, equal, 0, equal.length, facts, reader, out, 1);
    }
    if (s.compared.length > 0 && typeof v === 'number' && !Number.isNaN(v)) {
      // $gt b holds for bounds below v; $gte for bounds below or equal; $lt and $lte the rest.
      const { gt, gte, lt, lte } = s;
      if (gt.rules.length > 0)
        runFrom(programs, gt.rules, 0, countBelow(gt.bounds, v, false), facts, reader, out, 1);
      if (gte.rules.length > 0) {
        runFrom(programs, gte.rules, 0, countBelow(gte.bounds, v, true), facts, reader, out, 1);
      }
      if (lt.rules.length > 0) {
        runFrom(programs, lt.rules, countBelow(lt.bounds, v, true), lt.rules.length, facts, reader, out, 1);
      }
      if (lte.rules.length > 0) {
        runFrom(
          programs,
          lte.rules,
          countBelow(lte.bounds, v, false),
          lte.rules.length,
          facts,
          reader,
          out,
          1,
        );
      }
    }
  }
}
