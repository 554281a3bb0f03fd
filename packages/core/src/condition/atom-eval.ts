import type { AtomIndex, SlotAtoms } from './atom-index.js';
import { holdNumber, holdString } from './bound-index.js';
import { MULTI } from './path.js';
import { decideStep, stepHolds } from './program.js';

// Evaluation of a condition set's atom index (built in atom-index.ts): counting, then the steps
// that are not atoms, for the terms still alive.

/** Counts one atom as holding for each rule of `rules[from..to)`. */
function hold(count: Int32Array, rules: Int32Array, from: number, to: number): void {
  for (let k = from; k < to; k++) count[rules[k]!]! += 1;
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
  if (s.equal.size > 0 || s.unequalAll.length > 0) {
    // Wrap the stamps around before the epoch overflows.
    const stamps = index.stamps;
    if (index.epoch === 0xffffffff) {
      stamps.fill(0);
      index.epoch = 0;
    }
    const epoch = ++index.epoch;
    const unequal = s.unequalAll;
    for (let k = 0; k < unequal.length; k++) count[atomRule[unequal[k]!]!]! += 1;
    for (let j = 0; j < v.length; j++) {
      const e: unknown = v[j];
      if ((typeof e === 'object' && e !== null) || !Object.hasOwn(v, j)) continue;
      const atoms = s.equal.get(e);
      if (atoms === undefined) continue;
      for (let k = 0; k < atoms.length; k++) {
        const atom = atoms[k]!;
        if (atom < 0) {
          // A failing `$ne`/`$nin` atom may be counted down more than once: its rule fails either way.
          count[atomRule[~atom]!]! -= 1;
        } else if (stamps[atom] !== epoch) {
          stamps[atom] = epoch;
          count[atomRule[atom]!]! += 1;
        }
      }
    }
  }
  hold(count, s.existsRules, 0, s.existsRules.length);
  sizes(count, s, v.length);
  if (s.otherOnArray.length > 0) decide(index, s.otherOnArray, v, facts);
}

/** A scalar value found: one map lookup, one binary search. */
function onScalar(index: AtomIndex, s: SlotAtoms, v: unknown): void {
  const count = index.count;
  const atomRule = index.atomRule;
  if (s.equal.size > 0 || s.unequalAll.length > 0) {
    const unequal = s.unequalAll;
    for (let k = 0; k < unequal.length; k++) count[atomRule[unequal[k]!]!]! += 1;
    const atoms = s.equal.get(v);
    if (atoms !== undefined) {
      for (let k = 0; k < atoms.length; k++) {
        const atom = atoms[k]!;
        if (atom < 0) count[atomRule[~atom]!]! -= 1;
        else count[atomRule[atom]!]! += 1;
      }
    }
  }
  if (typeof v === 'number') {
    // NaN is neither above nor below any bound.
    if (s.numbers !== undefined && !Number.isNaN(v)) holdNumber(count, s.numbers, v);
  } else if (typeof v === 'string') {
    if (s.strings !== undefined) holdString(count, s.strings, v);
  }
  hold(count, s.existsRules, 0, s.existsRules.length);
  sizes(count, s, -1);
}

/** True when every step of term `t` that is not an atom holds (its atoms do). */
function restHolds(index: AtomIndex, t: number, facts: unknown, values: readonly unknown[]): boolean {
  const rest = index.residual[t];
  if (rest === undefined) return true;
  const p = index.termProgram[t]!;
  for (let j = 0; j < rest.length; j++) {
    const e = rest[j]!;
    if (e >= 0) {
      if (!stepHolds(p, e, facts, values)) return false;
      continue;
    }
    // A logic node: does any of its terms hold (each term's atoms counted, then its own rest)?
    const n = ~e;
    const count = index.count;
    const need = index.need;
    const terms = index.nodeTerms;
    let any = false;
    for (let k = index.nodeFrom[n]!, to = index.nodeFrom[n + 1]!; k < to; k++) {
      const term = terms[k]!;
      if (count[term] === need[term] && restHolds(index, term, facts, values)) {
        any = true;
        break;
      }
    }
    if (any === (index.nodeNor[n] === 1)) return false;
  }
  return true;
}

/**
 * Evaluates every rule of a set into `out`; the values of the shared paths must already be read
 * into `values`. Gives exactly the answers of running each rule's program in full.
 */
export function evaluateAtoms(
  index: AtomIndex,
  rules: number,
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
  for (let r = 0; r < rules; r++) out[r] = count[r] === need[r] && restHolds(index, r, facts, values);
}
