import { type BoundAtoms, type BoundIndex, indexBounds } from './bound-index.js';
import type { Program } from './program.js';
import * as ScalarCode from './scalar-code.js';
import * as StepKind from './step-kind.js';

/**
 * Evaluation of a whole condition set by counting (the classic matching algorithm of
 * publish/subscribe systems): every rule is a conjunction of steps, and each step that tests a
 * shared path (an "atom") is answered for all rules at once, per path, from an index of operands —
 * one map lookup for equality and membership, a binary search over sorted bounds for comparisons.
 * A rule holds when all of its atoms hold (its count reaches its number of atoms) and then its
 * remaining steps hold; those run only for rules still alive.
 *
 * The sub-rules of `$or`, `$nor` and `$not` are conjunctions too ("terms", numbered after the
 * rules), counted by the same index: a logic step is then a loop over its terms' counts, in flat
 * typed arrays, with no closure call and no second read of a path.
 *
 * Atoms the index cannot answer from the value's type alone (regexes, `$exists`, `$size`,
 * negated comparisons, values that are objects, arrays or cross arrays) are decided one by one with
 * the same code as a single rule, so the answers are exactly those of running each rule's steps.
 */
export interface AtomIndex {
  /** Per atom: its term, program and step. */
  readonly atomRule: Int32Array;
  readonly atomProgram: readonly Program[];
  readonly atomStep: Int32Array;
  /** The per-path indexes. */
  readonly slots: readonly SlotAtoms[];
  /** Per term (the rules first, then the sub-rules of their logic steps): its program. */
  readonly termProgram: readonly Program[];
  /** Per term: how many atoms it has. */
  readonly need: Int32Array;
  /**
   * Per term: its steps that are not atoms (run last, only when every atom holds), or undefined.
   * An entry `i >= 0` is step `i` of the term's program, `~n` the logic node `n`.
   */
  readonly residual: ReadonlyArray<Int32Array | undefined>;
  /** Per logic node: 1 for `$nor`/`$not`, and its terms `nodeTerms[nodeFrom[n]..nodeFrom[n + 1])`. */
  readonly nodeNor: Uint8Array;
  readonly nodeFrom: Int32Array;
  readonly nodeTerms: Int32Array;
  /** Scratch of one evaluation: per term, how many of its atoms hold. */
  readonly count: Int32Array;
  /** Scratch of one evaluation: per atom, the stamp of the array value it was last counted for. */
  readonly stamps: Uint32Array;
  epoch: number;
}

/** The atoms testing one shared path. Lists named `...Rules` hold term indexes (rules and sub-rules), the others atom indexes. */
export interface SlotAtoms {
  readonly slot: number;
  /**
   * Equality and membership, and their negations (`$ne`, `$nin`): value → the atoms holding for it
   * (`atom`) and the negated atoms failing for it (`~atom`, negative).
   */
  readonly equal: ReadonlyMap<unknown, Int32Array>;
  /** Every `$ne` and `$nin` atom. */
  readonly unequalAll: Int32Array;
  /** Comparisons with numbers and with strings, or undefined when there are none. */
  readonly numbers: BoundIndex<number> | undefined;
  readonly strings: BoundIndex<string> | undefined;
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

type Comparison = 'gt' | 'gte' | 'lt' | 'lte';

const COMPARISONS: ReadonlyMap<number, { strings: boolean; op: Comparison }> = new Map([
  [ScalarCode.NumGt, { strings: false, op: 'gt' }],
  [ScalarCode.NumGte, { strings: false, op: 'gte' }],
  [ScalarCode.NumLt, { strings: false, op: 'lt' }],
  [ScalarCode.NumLte, { strings: false, op: 'lte' }],
  [ScalarCode.StrGt, { strings: true, op: 'gt' }],
  [ScalarCode.StrGte, { strings: true, op: 'gte' }],
  [ScalarCode.StrLt, { strings: true, op: 'lt' }],
  [ScalarCode.StrLte, { strings: true, op: 'lte' }],
]);

type Comparisons<T> = Record<Comparison, BoundAtoms<T>>;
const noComparisons = <T>(): Comparisons<T> => ({ gt: [], gte: [], lt: [], lte: [] });

interface SlotDraft {
  equal: Map<unknown, number[]>;
  unequalAll: number[];
  numbers: Comparisons<number> | undefined;
  strings: Comparisons<string> | undefined;
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
  unequalAll: [],
  numbers: undefined,
  strings: undefined,
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
  if (i < 0) return 4;
  const kind = p.kinds[i]!;
  return kind === StepKind.Whole ? 0 : kind === StepKind.Scalar ? 1 : kind === StepKind.Value ? 2 : 3;
}

/** Builds the atom index of a set's programs. */
export function indexAtoms(programs: readonly Program[]): AtomIndex {
  const atomRule: number[] = [];
  const atomProgram: Program[] = [];
  const atomStep: number[] = [];
  const need: number[] = [];
  const residual: Array<Int32Array | undefined> = [];
  const termProgram: Program[] = [...programs];
  const nodeNor: number[] = [];
  const nodeFrom: number[] = [];
  const nodeTerms: number[] = [];
  const drafts = new Map<number, SlotDraft>();
  // Terms are numbered as they are found: the rules, then the sub-rules of logic steps in turn.
  for (let rule = 0; rule < termProgram.length; rule++) {
    const p = termProgram[rule]!;
    const rest: number[] = [];
    let atoms = 0;
    for (let i = 0; i < p.length; i++) {
      const kind = p.kinds[i]!;
      const slot = p.slots[i]!;
      const logic = p.logic[i];
      if (logic !== undefined) {
        rest.push(~nodeNor.length);
        nodeNor.push(logic.nor ? 1 : 0);
        nodeFrom.push(nodeTerms.length);
        for (const term of logic.terms) {
          nodeTerms.push(termProgram.length);
          termProgram.push(term);
        }
        continue;
      }
      if (slot < 0 || !isAtom(p, i)) {
        rest.push(i);
        continue;
      }
      const atom = atomRule.length;
      atomRule.push(rule);
      atomProgram.push(p);
      atomStep.push(i);
      atoms++;
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
        for (const value of new Set(operandValues(p, i))) push(d.equal, value, negated ? ~atom : atom);
        if (negated) d.unequalAll.push(atom);
        continue;
      }
      d.otherOnArray.push(atom);
      const bound = p.specs[i]!.value;
      if (comparison.strings) {
        d.strings ??= noComparisons<string>();
        d.strings[comparison.op].push([bound as string, rule]);
      } else {
        d.numbers ??= noComparisons<number>();
        d.numbers[comparison.op].push([bound as number, rule]);
      }
    }
    need.push(atoms);
    // Logic steps (negative entries) last, the others cheapest first.
    rest.sort((x, y) => cost(p, x) - cost(p, y));
    residual.push(rest.length > 0 ? Int32Array.from(rest) : undefined);
  }
  nodeFrom.push(nodeTerms.length);
  const frozen = <K>(map: Map<K, number[]>) =>
    new Map([...map].map(([value, list]) => [value, Int32Array.from(list)]));
  const slots = [...drafts].map(
    ([slot, d]): SlotAtoms => ({
      slot,
      equal: frozen(d.equal),
      unequalAll: Int32Array.from(d.unequalAll),
      numbers: d.numbers && indexBounds(d.numbers, (sorted) => Float64Array.from(sorted)),
      strings: d.strings && indexBounds(d.strings, (sorted) => sorted),
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
    termProgram,
    need: Int32Array.from(need),
    residual,
    nodeNor: Uint8Array.from(nodeNor),
    nodeFrom: Int32Array.from(nodeFrom),
    nodeTerms: Int32Array.from(nodeTerms),
    count: new Int32Array(termProgram.length),
    stamps: new Uint32Array(atomRule.length),
    epoch: 0,
  };
}
