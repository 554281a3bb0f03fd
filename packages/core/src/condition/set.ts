import { type SharedReads, compileWith } from './compile.js';
import { type FieldPath, makeGetter } from './path.js';
import { evaluateAtoms } from './atom-eval.js';
import { indexAtoms } from './atom-index.js';
import type { Program } from './program.js';
import type { CompileConditionOptions, CompiledCondition } from './types.js';

/**
 * Many conditions compiled together, evaluated against the same facts: each distinct path is read
 * once per evaluation and shared by every rule that tests it. This is what a segments strategy
 * wants (all segment rules against one person's facts) and is several times faster than calling
 * each compiled condition in turn.
 */
export interface CompiledConditionSet {
  /** The conditions, compiled one by one as {@link compileCondition} does (same answers). */
  readonly conditions: readonly CompiledCondition[];
  /** Every path the rules read, in order of first appearance. */
  readonly paths: readonly string[];
  /** The union of the rules' categories, sorted. */
  readonly categories: readonly string[];
  /**
   * Evaluates every rule against `facts`: `result[i]` is rule `i`'s answer. Writes into `out` when
   * given (no allocation), else into a new array.
   */
  evaluate(facts: unknown, out?: boolean[]): boolean[];
  /** The indexes of the rules that `facts` satisfy, in order. */
  matching(facts: unknown): number[];
}

/**
 * Compiles many rules into a {@link CompiledConditionSet}. Errors name the rule's index in their
 * path (`[2, "age", "$gt"]`, after `options.path` when given).
 *
 * @example
 * ```ts
 * const segments = compileConditionSet([{ 'profile.attributes.tier': 'gold' }, { 'behavior.cart.items': { $size: 0 } }]);
 * segments.matching(nestCategories(input.data)); // e.g. [0]
 * ```
 */
export function compileConditionSet(
  rules: readonly unknown[],
  options: CompileConditionOptions = {},
): CompiledConditionSet {
  const prefix = options.path ?? [];
  // The values at each distinct top-level path, read once at the start of each evaluation and
  // cleared at its end (nothing about the facts is kept between evaluations).
  const slots = new Map<string, number>();
  const paths: FieldPath[] = [];
  const slotOf = (path: FieldPath): number => {
    let slot = slots.get(path.dotted);
    if (slot === undefined) {
      slot = paths.length;
      slots.set(path.dotted, slot);
      paths.push(path);
    }
    return slot;
  };
  const shared: SharedReads = { slotOf };
  const conditions: CompiledCondition[] = [];
  const programs: Program[] = [];
  rules.forEach((rule, i) => {
    const { compiled, program } = compileWith(rule, { ...options, path: [...prefix, i] }, shared);
    conditions.push(compiled);
    programs.push(program);
  });
  const getters = paths.map(makeGetter);
  const topKeys = paths.map((path) => (path.keys.length === 1 ? path.keys[0] : undefined));
  const values: unknown[] = [];
  for (let i = 0; i < getters.length; i++) values.push(undefined);
  const index = indexAtoms(programs);
  const allPaths = [...new Set(conditions.flatMap((c) => c.paths))];
  const categories = [...new Set(conditions.flatMap((c) => c.categories))].sort();
  let busy = false;

  const evaluate = (facts: unknown, out: boolean[] = new Array<boolean>(programs.length)): boolean[] => {
    if (busy) {
      // Re-entered from inside an evaluation (an accessor in the facts): use the standalone predicates.
      for (let i = 0; i < conditions.length; i++) out[i] = conditions[i]!(facts);
      return out;
    }
    busy = true;
    try {
      if (typeof facts === 'object' && facts !== null && !Array.isArray(facts)) {
        // One-segment paths are read inline; longer ones through their getters.
        for (let s = 0; s < getters.length; s++) {
          const key = topKeys[s];
          values[s] =
            key === undefined
              ? getters[s]!(facts)
              : Object.hasOwn(facts, key)
                ? (facts as Record<string, unknown>)[key]
                : undefined;
        }
      } else {
        for (let s = 0; s < getters.length; s++) values[s] = getters[s]!(facts);
      }
      evaluateAtoms(index, programs.length, facts, values, out);
    } finally {
      values.fill(undefined);
      busy = false;
    }
    return out;
  };
  const scratch: boolean[] = [];
  return Object.freeze({
    conditions: Object.freeze(conditions),
    paths: Object.freeze(allPaths),
    categories: Object.freeze(categories),
    evaluate,
    matching(facts: unknown): number[] {
      const answers = evaluate(facts, busy ? [] : scratch);
      const out: number[] = [];
      for (let i = 0; i < programs.length; i++) if (answers[i]) out.push(i);
      return out;
    },
  });
}
