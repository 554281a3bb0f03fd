import { type Clause, type ScalarSpec, clauseOnValue, clausesOnValue } from './operators.js';
import { type FieldPath, MULTI, type ValueTest, anyAt, deepGetter } from './path.js';

/** A compiled predicate over facts. */
export type Predicate = (facts: unknown) => boolean;

/**
 * The predicate of a path of three or more segments and its clauses. Shorter paths are steps of a
 * program, read and decided inline by its closures (`closures.ts`), so they never come here. The
 * path is read by a getter specialised for its depth (own properties only); a path that crosses an
 * array goes through the general walk, which gives the same answers.
 */
export function fieldPredicate(path: FieldPath, clauses: readonly Clause[]): Predicate {
  const { onValue, slow } = analyse(path, clauses);
  const get = deepGetter(path);
  return (facts) => {
    const v = get(facts);
    return v === MULTI ? slow(facts) : onValue(v);
  };
}

/** What a field predicate needs, computed once per path and clauses. */
export interface FieldPlan {
  /** The clauses as a test of the value found (arrays included). */
  readonly onValue: ValueTest;
  /** The clauses with the general walk, for paths that cross arrays. */
  readonly slow: Predicate;
  /** The answer when the path finds nothing. */
  readonly missing: boolean;
  /** The one simple operator, when the clauses are just that (possibly negated: `$ne`, `$nin`). */
  readonly scalar: ScalarSpec | undefined;
  /** The one operator on the value itself (`$exists`, `$size`), possibly negated. */
  readonly whole: ScalarSpec | undefined;
  readonly negate: boolean;
}

/** Analyses clauses for a field predicate. */
export function analyse(path: FieldPath, clauses: readonly Clause[]): FieldPlan {
  const onValue = clausesOnValue(clauses);
  let single = clauses.length === 1 ? clauses[0]! : undefined;
  let negate = false;
  if (single?.kind === 'not' && single.clauses.length === 1) {
    single = single.clauses[0]!;
    negate = true;
  }
  return {
    onValue,
    slow: clausesOnFacts(path, clauses),
    missing: onValue(undefined),
    scalar: single?.kind === 'test' && single.elementwise ? single.scalar : undefined,
    whole: single?.kind === 'test' && !single.elementwise ? single.scalar : undefined,
    negate,
  };
}

/** Clauses evaluated with the general walk: each positive clause finds its own candidate (MongoDB semantics). */
export function clausesOnFacts(path: FieldPath, clauses: readonly Clause[]): Predicate {
  const parts = clauses.map((clause): Predicate => {
    if (clause.kind === 'not') {
      const inner = clausesOnFacts(path, clause.clauses);
      return (facts) => !inner(facts);
    }
    const test: ValueTest = clauseOnValue(clause);
    return (facts) => anyAt(facts, path, 0, test);
  });
  return (facts) => {
    for (let i = 0; i < parts.length; i++) if (!parts[i]!(facts)) return false;
    return true;
  };
}
