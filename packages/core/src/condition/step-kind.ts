// How a step of a program is evaluated. Plain constants rather than an enum, imported as a
// namespace (`import * as StepKind`): a bundler inlines each use as its number.

/** Read the path, decide a scalar value inline (one simple operator). */
export const Scalar: 0 = 0;
/** Read the path, decide `$exists` or `$size` on the value itself, inline. */
export const Whole: 1 = 1;
/** Read the path, test the value with the clauses. */
export const Value: 2 = 2;
/** Call a predicate ($or, $nor, $not, long paths). */
export const Predicate: 3 = 3;

/** Any of the kinds. */
export type Kind = 0 | 1 | 2 | 3;
