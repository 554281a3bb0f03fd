import type { Predicate } from './field.js';
import { MULTI } from './path.js';
import { type Program, decideStep, run } from './program.js';
import { decideScalar } from './scalar.js';
import * as ScalarCode from './scalar-code.js';
import * as StepKind from './step-kind.js';

const hasOwn = Object.hasOwn;
const isArray = Array.isArray;

/** A step of a rule and the steps after it. */
type Chain = (facts: unknown) => boolean;

/** The end of every chain. */
const HOLDS: Chain = () => true;

/** Facts that paths can be read from directly (anything else goes to {@link run}). */
function isPlain(o: unknown): o is Record<string, unknown> {
  return typeof o === 'object' && o !== null && !isArray(o);
}

/**
 * A program as a chain of closures, one per step, each specialised at compile time for its operator,
 * its operand and the depth of its path (keys and operands are constants of the closure; no code is
 * generated), and calling the next step when it holds. The common case — a scalar value at a path of
 * one or two segments — is decided inside the step's closure; anything else (arrays of objects,
 * objects, paths crossing arrays, missing values) goes through {@link decideStep}, the code every
 * other evaluator uses, so the answers are the same. Facts that are not a plain object go to
 * {@link run} (only the first step can meet them).
 */
export function compileProgram(p: Program): Predicate {
  if (p.length === 0) return () => true;
  let next = HOLDS;
  for (let i = p.length - 1; i >= 0; i--) {
    if (i > 0 && isRange(p, i - 1, i)) {
      next = rangeTest(p, i - 1, i, next);
      i--;
    } else {
      next = stepTest(p, i, next);
    }
  }
  return next;
}

/** The value at a path of two segments (own properties only), {@link MULTI} when it crosses an array. */
function read2(o: Record<string, unknown>, a: string, b: string): unknown {
  const w = hasOwn(o, a) ? o[a] : undefined;
  if (typeof w !== 'object' || w === null) return undefined;
  if (isArray(w)) return MULTI;
  return hasOwn(w, b) ? (w as Record<string, unknown>)[b] : undefined;
}

/**
 * The answer of a step on a one-segment path, given its answer `ok` for the value read at `a`,
 * whether own or inherited: when `ok` is the answer for a missing value, it is right either way;
 * otherwise it stands only when `a` is an own property of `o`. So inherited values never decide an
 * answer, and the own-property check runs only when it matters (a failing step skips it).
 */
function settle(ok: boolean, missing: boolean, o: object, a: string): boolean {
  return ok === missing || hasOwn(o, a) ? ok : missing;
}

const LOWER = new Set<number>([ScalarCode.NumGt, ScalarCode.NumGte]);
const UPPER = new Set<number>([ScalarCode.NumLt, ScalarCode.NumLte]);

/** True when steps `i` and `j` bound the same one-segment path from below and above (`$gte`, `$lt`). */
function isRange(p: Program, i: number, j: number): boolean {
  const simple = (k: number) =>
    p.kinds[k] === StepKind.Scalar && p.depths[k] === 1 && p.negates[k] === 0 && p.slots[k]! < 0;
  if (!simple(i) || !simple(j) || p.keysA[i] !== p.keysA[j]) return false;
  const a = p.codes[i]!;
  const b = p.codes[j]!;
  return (LOWER.has(a) && UPPER.has(b)) || (UPPER.has(a) && LOWER.has(b));
}

/** Steps `i` and `j` (see {@link isRange}) as one closure reading the path once. */
function rangeTest(p: Program, i: number, j: number, next: Chain): Chain {
  const [low, high] = LOWER.has(p.codes[i]!) ? [i, j] : [j, i];
  const a = p.keysA[i]!;
  const lo = p.specs[low]!.value as number;
  const hi = p.specs[high]!.value as number;
  const loStrict = p.codes[low] === ScalarCode.NumGt;
  const hiStrict = p.codes[high] === ScalarCode.NumLt;
  const kind = StepKind.Scalar;
  return (o) => {
    if (!isPlain(o)) return run(p, o);
    const v = o[a];
    const ok =
      typeof v === 'number'
        ? (loStrict ? v > lo : v >= lo) && (hiStrict ? v < hi : v <= hi)
        : decideStep(p, i, kind, v, o) && decideStep(p, j, kind, v, o);
    // Comparisons never hold for a missing value.
    return settle(ok, false, o, a) && next(o);
  };
}

/** The closure of step `i`, followed by `next`. */
function stepTest(p: Program, i: number, next: Chain): Chain {
  const kind = p.kinds[i]!;
  if (kind === StepKind.Predicate) {
    const predicate = p.predicates[i]!;
    return (o) => predicate(o) && next(o);
  }
  const a = p.keysA[i]!;
  const negate = p.negates[i] === 1;
  const missing = p.missing[i] === 1;
  const spec = p.specs[i]!;
  if (p.depths[i] !== 1) {
    const b = p.keysB[i]!;
    const code = spec.code;
    return (o) => {
      if (!isPlain(o)) return run(p, o);
      const v = read2(o, a, b);
      const simple = kind === StepKind.Scalar && typeof v !== 'object' && v !== undefined && v !== MULTI;
      return (simple ? decideScalar(spec, code, v) !== negate : decideStep(p, i, kind, v, o)) && next(o);
    };
  }
  if (kind === StepKind.Whole) {
    if (p.codes[i] === ScalarCode.Exists) {
      return (o) => {
        if (!isPlain(o)) return run(p, o);
        return (o[a] !== undefined ? settle(!negate, missing, o, a) : missing) && next(o);
      };
    }
    const size = spec.value as number;
    return (o) => {
      if (!isPlain(o)) return run(p, o);
      const v = o[a];
      const ok = isArray(v) ? (v.length === size) !== negate : decideStep(p, i, kind, v, o);
      return settle(ok, missing, o, a) && next(o);
    };
  }
  if (kind !== StepKind.Scalar) {
    return (o) => {
      if (!isPlain(o)) return run(p, o);
      return settle(decideStep(p, i, kind, o[a], o), missing, o, a) && next(o);
    };
  }
  // One simple operator on a one-segment path: the scalar case inline.
  switch (p.codes[i]) {
    case ScalarCode.Eq: {
      const value = spec.value;
      return (o) => {
        if (!isPlain(o)) return run(p, o);
        const v = o[a];
        let ok: boolean;
        if (v === value) ok = !negate;
        else if (typeof v !== 'object' && v !== undefined) ok = negate;
        else if (isArray(v)) {
          // An own element equal to the operand (a hole reads the prototype: it never counts).
          ok = negate;
          for (let k = 0; k < v.length; k++) {
            if (v[k] === value && hasOwn(v, k)) {
              ok = !negate;
              break;
            }
          }
        } else ok = decideStep(p, i, kind, v, o);
        return settle(ok, missing, o, a) && next(o);
      };
    }
    case ScalarCode.NumGt: {
      const n = spec.value as number;
      return (o) => {
        if (!isPlain(o)) return run(p, o);
        const v = o[a];
        return (
          settle(typeof v === 'number' ? v > n !== negate : decideStep(p, i, kind, v, o), missing, o, a) &&
          next(o)
        );
      };
    }
    case ScalarCode.NumGte: {
      const n = spec.value as number;
      return (o) => {
        if (!isPlain(o)) return run(p, o);
        const v = o[a];
        return (
          settle(typeof v === 'number' ? v >= n !== negate : decideStep(p, i, kind, v, o), missing, o, a) &&
          next(o)
        );
      };
    }
    case ScalarCode.NumLt: {
      const n = spec.value as number;
      return (o) => {
        if (!isPlain(o)) return run(p, o);
        const v = o[a];
        return (
          settle(typeof v === 'number' ? v < n !== negate : decideStep(p, i, kind, v, o), missing, o, a) &&
          next(o)
        );
      };
    }
    case ScalarCode.NumLte: {
      const n = spec.value as number;
      return (o) => {
        if (!isPlain(o)) return run(p, o);
        const v = o[a];
        return (
          settle(typeof v === 'number' ? v <= n !== negate : decideStep(p, i, kind, v, o), missing, o, a) &&
          next(o)
        );
      };
    }
    case ScalarCode.InList: {
      const list = spec.list!;
      return (o) => {
        if (!isPlain(o)) return run(p, o);
        const v = o[a];
        let ok = negate;
        if (isArray(v)) {
          search: for (let j = 0; j < v.length; j++) {
            const e = v[j];
            for (let k = 0; k < list.length; k++) {
              if (list[k] === e && hasOwn(v, j)) {
                ok = !negate;
                break search;
              }
            }
          }
        } else if (typeof v === 'object' || v === undefined) ok = decideStep(p, i, kind, v, o);
        else {
          for (let k = 0; k < list.length; k++) {
            if (list[k] === v) {
              ok = !negate;
              break;
            }
          }
        }
        return settle(ok, missing, o, a) && next(o);
      };
    }
    case ScalarCode.InSet: {
      const set = spec.set!;
      return (o) => {
        if (!isPlain(o)) return run(p, o);
        const v = o[a];
        const simple = typeof v !== 'object' && v !== undefined;
        return (
          settle(simple ? set.has(v) !== negate : decideStep(p, i, kind, v, o), missing, o, a) && next(o)
        );
      };
    }
    case ScalarCode.Regex: {
      const match = spec.match!;
      return (o) => {
        if (!isPlain(o)) return run(p, o);
        const v = o[a];
        return (
          settle(typeof v === 'string' ? match(v) !== negate : decideStep(p, i, kind, v, o), missing, o, a) &&
          next(o)
        );
      };
    }
    default:
      return (o) => {
        if (!isPlain(o)) return run(p, o);
        return settle(decideStep(p, i, kind, o[a], o), missing, o, a) && next(o);
      };
  }
}
