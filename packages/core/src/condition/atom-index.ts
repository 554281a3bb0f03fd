import { ScalarCode } from './operators.js';
import { MULTI } from './path.js';
import { type Program, StepKind, decideStep, stepHolds } from './program.js';

/**
 * Evaluation of a whole condition set by counting (the classic matching algorithm of
 * publish/subscribe systems): every rule is a conjunction of steps, and each step that tests a
 * shared path (an "atom") is answered for all rules at once, per path, from an index of operands —
 * one map lookup for equality and membership, a binary search over sorted bounds for comparisons.
 * A rule holds when all of its atoms hold (its count reaches its number of atoms) and then its
 * remaining steps (`$or`, `$nor`, `$not` on rules) hold; those run only for rules still alive.
 *
 * Atoms the index cannot answer from the value's type alone (regexes, `$exists`, `$size`,
 * negated comparisons, values that are objects, arrays or cross arrays) are decided one by one with
 * the same code as a single rule, so the answers are exactly those of running each rule's steps.
 */
export interface AtomIndex {
  /** Per atom: its rule, program and step. */
  readonly atomRule: Int32Array;
  readonly atomProgram: readonly Program[];
  readonly atomStep: Int32Array;
  /** The per-path indexes. */
  readonly slots: readonly SlotAtoms[];
  /** Per rule: how many atoms it has. */
  readonly need: Int32Array;
  /** Per rule: its steps that are not atoms (run last, only when every atom holds), or undefined. */
  readonly residual: ReadonlyArray<Int32Array | undefined>;
  /** Scratch of one evaluation: per rule, how many of its atoms hold. */
  readonly count: Int32Array;
  /** Scratch of one evaluation: per atom, the stamp of the array value it was last counted for. */
  readonly stamps: Uint32Array;
  epoch: number;
}

/** The rules of comparison atoms, sorted by their bound. */
interface Bounds<T> {
  readonly bounds: ArrayLike<T>;
  readonly rules: Int32Array;
}

/** The atoms testing one shared path. Lists named `...Rules` hold rule indexes, the others atom indexes. */
interface SlotAtoms {
  readonly slot: number;
  /** Equality and membership: value → atoms holding for it. */
  readonly equal: ReadonlyMap<unknown, Int32Array>;
  /** `$ne` and `$nin`: value → atoms failing for it. */
  readonly unequal: ReadonlyMap<unknown, Int32Array>;
  /** Every `$ne` and `$nin` atom. */
  readonly unequalAll: Int32Array;
  readonly gt: Bounds<number>;
  readonly gte: Bounds<number>;
  readonly lt: Bounds<number>;
  readonly lte: Bounds<number>;
  readonly sgt: Bounds<string>;
  readonly sgte: Bounds<string>;
  readonly slt: Bounds<string>;
  readonly slte: Bounds<string>;
  readonly numbers: boolean;
  readonly strings: boolean;
  /** `$exists: true`: holds for any value found. */
  readonly existsRules: Int32Array;
  /** `$size`: array length → rules holding for it. */
  readonly size: ReadonlyMap<number, Int32Array>;
  /** `$not: { $size }`: array length → rules failing for it. */
  readonly unsize: ReadonlyMap<number, Int32Array>;
  /** Every `$not: { $size }` rule. */
  readonly unsizeAllRules: Int32Array;
  /** Atoms decided one by one on an array value (comparisons: elementwise). */
  readonly otherOnArray: Int32Array;
  /** Rules of the atoms holding when the path finds nothing. */
  readonly missingRules: Int32Array;
  /** Every atom of the path (decided one by one on objects and on paths that cross arrays). */
  readonly all: Int32Array;
}

type Comparison = 'gt' | 'gte' | 'lt' | 'lte' | 'sgt' | 'sgte' | 'slt' | 'slte';

const COMPARISONS: ReadonlyMap<number, Comparison> = new Map([
  [ScalarCode.NumGt, 'gt'],
  [ScalarCode.NumGte, 'gte'],
  [ScalarCode.NumLt, 'lt'],
  [ScalarCode.NumLte, 'lte'],
  [ScalarCode.StrGt, 'sgt'],
  [ScalarCode.StrGte, 'sgte'],
  [ScalarCode.StrLt, 'slt'],
  [ScalarCode.StrLte, 'slte'],
]);

interface SlotDraft {
  equal: Map<unknown, number[]>;
  unequal: Map<unknown, number[]>;
  unequalAll: number[];
  cmp: Map<Comparison, Array<[number | string, number]>>;
  existsRules: number[];
  size: Map<number, number[]>;
  unsize: Map<number, number[]>;
  unsizeAllRules: number[];
  otherOnArray: number[];
  missingRules: number[];
  all: number[];
}

const newDraft = (): SlotDraft => ({
  equal: new Map(),
  unequal: new Map(),
  unequalAll: [],
  cmp: new Map(),
  existsRules: [],
  size: new Map(),
  unsize: new Map(),
  unsizeAllRules: [],
  otherOnArray: [],
  missingRules: [],
  all: [],
});

/** The operand values of an equality or membership step. */
function operandValues(p: Program, i: number): readonly unknown[] {
  const spec = p.specs[i]!;
  const code = p.codes[i]!;
  return code === ScalarCode.Eq ? [spec.value] : code === ScalarCode.InList ? spec.list! : [...spec.set!];
}

function push<K>(map: Map<K, number[]>, key: K, atom: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [atom]);
  else list.push(atom);
}

const INDEXED = new Set<number>([
  ScalarCode.Eq,
  ScalarCode.InList,
  ScalarCode.InSet,
  ScalarCode.NumGt,
  ScalarCode.NumGte,
  ScalarCode.NumLt,
  ScalarCode.NumLte,
  ScalarCode.StrGt,
  ScalarCode.StrGte,
  ScalarCode.StrLt,
  ScalarCode.StrLte,
]);

/**
 * Steps the index answers: one simple operator on a shared path (equality, membership, their
 * negations, comparisons that are not negated, `$exists`, `$size`). The others are run last, for
 * live rules only.
 */
function isAtom(p: Program, i: number): boolean {
  if (p.kinds[i] === StepKind.Whole) return true;
  if (p.kinds[i] !== StepKind.Scalar || !INDEXED.has(p.codes[i]!)) return false;
  return p.negates[i] === 0 || !COMPARISONS.has(p.codes[i]!);
}

/** The order of the steps run last: regexes and negated comparisons, then the rest. */
function cost(p: Program, i: number): number {
  const kind = p.kinds[i]!;
  return kind === StepKind.Whole ? 0 : kind === StepKind.Scalar ? 1 : kind === StepKind.Value ? 2 : 3;
}

/** Builds the atom index of a set's programs. */
export function indexAtoms(programs: readonly Program[]): AtomIndex {
  const atomRule: number[] = [];
  const atomProgram: Program[] = [];
  const atomStep: number[] = [];
  const need = new Int32Array(programs.length);
  const residual: Array<Int32Array | undefined> = [];
  const drafts = new Map<number, SlotDraft>();
  programs.forEach((p, rule) => {
    const rest: number[] = [];
    for (let i = 0; i < p.length; i++) {
      const kind = p.kinds[i]!;
      const slot = p.slots[i]!;
      if (slot < 0 || !isAtom(p, i)) {
        rest.push(i);
        continue;
      }
      const atom = atomRule.length;
      atomRule.push(rule);
      atomProgram.push(p);
      atomStep.push(i);
      need[rule] = need[rule]! + 1;
      let d = drafts.get(slot);
      if (d === undefined) {
        d = newDraft();
        drafts.set(slot, d);
      }
      d.all.push(atom);
      if (p.missing[i] === 1) d.missingRules.push(rule);
      const code = p.codes[i]!;
      const negated = p.negates[i] === 1;
      if (kind === StepKind.Whole) {
        if (code === ScalarCode.Exists) {
          // $exists: false holds only when missing (in missingRules).
          if (!negated) d.existsRules.push(rule);
        } else {
          const size = p.specs[i]!.value as number;
          push(negated ? d.unsize : d.size, size, rule);
          if (negated) d.unsizeAllRules.push(rule);
        }
        continue;
      }
      const comparison = COMPARISONS.get(code);
      if (comparison === undefined) {
        for (const value of new Set(operandValues(p, i))) push(negated ? d.unequal : d.equal, value, atom);
        if (negated) d.unequalAll.push(atom);
        continue;
      }
      d.otherOnArray.push(atom);
      const list = d.cmp.get(comparison) ?? [];
      list.push([p.specs[i]!.value as number | string, rule]);
      d.cmp.set(comparison, list);
    }
    rest.sort((x, y) => cost(p, x) - cost(p, y));
    residual.push(rest.length > 0 ? Int32Array.from(rest) : undefined);
  });
  const sorted = (pairs: Array<[number | string, number]> = []) =>
    pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const numbers = (pairs?: Array<[number | string, number]>): Bounds<number> => {
    const list = sorted(pairs);
    return {
      bounds: Float64Array.from(list, (x) => x[0] as number),
      rules: Int32Array.from(list, (x) => x[1]),
    };
  };
  const strings = (pairs?: Array<[number | string, number]>): Bounds<string> => {
    const list = sorted(pairs);
    return { bounds: list.map((x) => x[0] as string), rules: Int32Array.from(list, (x) => x[1]) };
  };
  const frozen = <K>(map: Map<K, number[]>) =>
    new Map([...map].map(([value, list]) => [value, Int32Array.from(list)]));
  const slots = [...drafts].map(
    ([slot, d]): SlotAtoms => ({
      slot,
      equal: frozen(d.equal),
      unequal: frozen(d.unequal),
      unequalAll: Int32Array.from(d.unequalAll),
      gt: numbers(d.cmp.get('gt')),
      gte: numbers(d.cmp.get('gte')),
      lt: numbers(d.cmp.get('lt')),
      lte: numbers(d.cmp.get('lte')),
      sgt: strings(d.cmp.get('sgt')),
      sgte: strings(d.cmp.get('sgte')),
      slt: strings(d.cmp.get('slt')),
      slte: strings(d.cmp.get('slte')),
      numbers: ['gt', 'gte', 'lt', 'lte'].some((c) => d.cmp.has(c as Comparison)),
      strings: ['sgt', 'sgte', 'slt', 'slte'].some((c) => d.cmp.has(c as Comparison)),
      existsRules: Int32Array.from(d.existsRules),
      size: frozen(d.size),
      unsize: frozen(d.unsize),
      unsizeAllRules: Int32Array.from(d.unsizeAllRules),
      otherOnArray: Int32Array.from(d.otherOnArray),
      missingRules: Int32Array.from(d.missingRules),
      all: Int32Array.from(d.all),
    }),
  );
  return {
    atomRule: Int32Array.from(atomRule),
    atomProgram,
    atomStep: Int32Array.from(atomStep),
    slots,
    need,
    residual,
    count: new Int32Array(programs.length),
    stamps: new Uint32Array(atomRule.length),
    epoch: 0,
  };
}

/** How many numeric bounds are below `v` (strictly, or with `orEqual` also equal to it). */
function belowNumber(bounds: ArrayLike<number>, v: number, orEqual: boolean): number {
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

/** How many string bounds are below `v` (strictly, or with `orEqual` also equal to it). */
function belowString(bounds: ArrayLike<string>, v: string, orEqual: boolean): number {
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

/** Counts one atom as holding for each rule of `rules[from..to)`. */
function hold(count: Int32Array, rules: Int32Array, from: number, to: number): void {
  for (let k = from; k < to; k++) count[rules[k]!]! += 1;
}

/** Counts the comparisons holding for the number `v`: bounds below it (`$gt`, `$gte`) or above it (`$lt`, `$lte`). */
function compareNumber(count: Int32Array, s: SlotAtoms, v: number): void {
  const { gt, gte, lt, lte } = s;
  if (gt.rules.length > 0) hold(count, gt.rules, 0, belowNumber(gt.bounds, v, false));
  if (gte.rules.length > 0) hold(count, gte.rules, 0, belowNumber(gte.bounds, v, true));
  if (lt.rules.length > 0) hold(count, lt.rules, belowNumber(lt.bounds, v, true), lt.rules.length);
  if (lte.rules.length > 0) hold(count, lte.rules, belowNumber(lte.bounds, v, false), lte.rules.length);
}

/** The same for strings (ISO dates). */
function compareString(count: Int32Array, s: SlotAtoms, v: string): void {
  const { sgt, sgte, slt, slte } = s;
  if (sgt.rules.length > 0) hold(count, sgt.rules, 0, belowString(sgt.bounds, v, false));
  if (sgte.rules.length > 0) hold(count, sgte.rules, 0, belowString(sgte.bounds, v, true));
  if (slt.rules.length > 0) hold(count, slt.rules, belowString(slt.bounds, v, true), slt.rules.length);
  if (slte.rules.length > 0) hold(count, slte.rules, belowString(slte.bounds, v, false), slte.rules.length);
}

/** Decides the atoms one by one for the value `v`, with the code of a single rule. */
function decide(index: AtomIndex, atoms: Int32Array, v: unknown, facts: unknown): void {
  const count = index.count;
  for (let k = 0; k < atoms.length; k++) {
    const atom = atoms[k]!;
    const p = index.atomProgram[atom]!;
    const i = index.atomStep[atom]!;
    if (decideStep(p, i, p.kinds[i]!, v, facts)) count[index.atomRule[atom]!]! += 1;
  }
}

/** `$size` and its negation for a value found (`length` -1 when it is not an array). */
function sizes(count: Int32Array, s: SlotAtoms, length: number): void {
  if (s.size.size > 0) {
    const rules = s.size.get(length);
    if (rules !== undefined) hold(count, rules, 0, rules.length);
  }
  if (s.unsizeAllRules.length > 0) {
    hold(count, s.unsizeAllRules, 0, s.unsizeAllRules.length);
    const failing = s.unsize.get(length);
    if (failing !== undefined) for (let k = 0; k < failing.length; k++) count[failing[k]!]! -= 1;
  }
}

/**
 * A field holding an array: equality and membership hold when one of its own scalar elements does
 * (each atom counted once, however many elements match, thanks to the stamps); comparisons are
 * decided one by one.
 */
function onArray(index: AtomIndex, s: SlotAtoms, v: unknown[], facts: unknown): void {
  const count = index.count;
  const atomRule = index.atomRule;
  const stamps = index.stamps;
  const unequal = s.unequalAll.length > 0;
  if (s.equal.size > 0 || unequal) {
    // Wrap the stamps around before the epoch overflows.
    if (index.epoch === 0xffffffff) {
      stamps.fill(0);
      index.epoch = 0;
    }
    const epoch = ++index.epoch;
    for (let k = 0; k < s.unequalAll.length; k++) count[atomRule[s.unequalAll[k]!]!]! += 1;
    for (let j = 0; j < v.length; j++) {
      const e: unknown = v[j];
      if ((typeof e === 'object' && e !== null) || !Object.hasOwn(v, j)) continue;
      const equal = s.equal.get(e);
      if (equal !== undefined) {
        for (let k = 0; k < equal.length; k++) {
          const atom = equal[k]!;
          if (stamps[atom] === epoch) continue;
          stamps[atom] = epoch;
          count[atomRule[atom]!]! += 1;
        }
      }
      // A failing `$ne`/`$nin` atom may be counted down more than once: its rule fails either way.
      const failing = unequal ? s.unequal.get(e) : undefined;
      if (failing !== undefined) for (let k = 0; k < failing.length; k++) count[atomRule[failing[k]!]!]! -= 1;
    }
  }
  hold(count, s.existsRules, 0, s.existsRules.length);
  sizes(count, s, v.length);
  if (s.otherOnArray.length > 0) decide(index, s.otherOnArray, v, facts);
}

/** A scalar value found: index lookups and binary searches only. */
function onScalar(index: AtomIndex, s: SlotAtoms, v: unknown): void {
  const count = index.count;
  if (s.equal.size > 0) {
    const equal = s.equal.get(v);
    if (equal !== undefined) for (let k = 0; k < equal.length; k++) count[index.atomRule[equal[k]!]!]! += 1;
  }
  if (s.unequalAll.length > 0) {
    const all = s.unequalAll;
    for (let k = 0; k < all.length; k++) count[index.atomRule[all[k]!]!]! += 1;
    const failing = s.unequal.get(v);
    if (failing !== undefined) {
      for (let k = 0; k < failing.length; k++) count[index.atomRule[failing[k]!]!]! -= 1;
    }
  }
  if (typeof v === 'number') {
    // NaN is neither above nor below any bound.
    if (s.numbers && !Number.isNaN(v)) compareNumber(count, s, v);
  } else if (typeof v === 'string') {
    if (s.strings) compareString(count, s, v);
  }
  hold(count, s.existsRules, 0, s.existsRules.length);
  sizes(count, s, -1);
}

/**
 * Evaluates every rule of a set into `out`; the values of the shared paths must already be read
 * into `values`. Gives exactly the answers of running each rule's program in full.
 */
export function evaluateAtoms(
  index: AtomIndex,
  programs: readonly Program[],
  facts: unknown,
  values: readonly unknown[],
  out: boolean[],
): void {
  const count = index.count;
  count.fill(0);
  const slots = index.slots;
  for (let k = 0; k < slots.length; k++) {
    const s = slots[k]!;
    const v = values[s.slot];
    if (v === undefined) hold(count, s.missingRules, 0, s.missingRules.length);
    else if (v === MULTI || (typeof v === 'object' && v !== null && !Array.isArray(v))) {
      // Paths that cross arrays, and objects: every atom one by one.
      decide(index, s.all, v, facts);
    } else if (typeof v !== 'object' || v === null) onScalar(index, s, v);
    else onArray(index, s, v as unknown[], facts);
  }
  const need = index.need;
  const residual = index.residual;
  for (let r = 0; r < programs.length; r++) {
    if (count[r] !== need[r]) {
      out[r] = false;
      continue;
    }
    const rest = residual[r];
    let holds = true;
    if (rest !== undefined) {
      const p = programs[r]!;
      for (let j = 0; j < rest.length; j++) {
        if (!stepHolds(p, rest[j]!, facts, values)) {
          holds = false;
          break;
        }
      }
    }
    out[r] = holds;
  }
}
