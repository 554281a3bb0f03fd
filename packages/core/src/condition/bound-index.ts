/**
 * The comparison atoms (`$gt $gte $lt $lte`) of one path of a condition set, for one operand type
 * (numbers, or strings such as ISO dates), answered for a value with a single binary search: the
 * value's place among the distinct bounds tells, for each operator, how many of its atoms (sorted by
 * bound) hold — a prefix for `$gt`/`$gte`, a suffix for `$lt`/`$lte`.
 */
export interface BoundIndex<T extends number | string> {
  /** The distinct bounds of all four operators, sorted. */
  readonly bounds: ArrayLike<T>;
  readonly gt: Cuts;
  readonly gte: Cuts;
  readonly lt: Cuts;
  readonly lte: Cuts;
}

/** The atoms of one operator, sorted by bound, with where each distinct bound cuts them. */
interface Cuts {
  /** The rule of each atom, in the order of their bounds. */
  readonly rules: Int32Array;
  /** Per distinct bound `k` (and past the last one): how many atoms have a bound below it. */
  readonly below: Int32Array;
  /** Per distinct bound `k` (and past the last one): how many atoms have a bound below or equal to it. */
  readonly upTo: Int32Array;
}

/** Atoms of one operator as `[bound, rule]` pairs. */
export type BoundAtoms<T> = Array<[T, number]>;

function order<T extends number | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How many of the sorted `bounds` are below `v` (strictly, or with `orEqual` also equal to it). */
function countBelow<T extends number | string>(bounds: ArrayLike<T>, v: T, orEqual: boolean): number {
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

/** Builds the index of the four operators' atoms; `store` makes the sorted bounds array (typed for numbers). */
export function indexBounds<T extends number | string>(
  atoms: { gt: BoundAtoms<T>; gte: BoundAtoms<T>; lt: BoundAtoms<T>; lte: BoundAtoms<T> },
  store: (sorted: T[]) => ArrayLike<T>,
): BoundIndex<T> {
  const all = [...atoms.gt, ...atoms.gte, ...atoms.lt, ...atoms.lte].map((x) => x[0]);
  const distinct = [...new Set(all)].sort(order);
  const cuts = (pairs: BoundAtoms<T>): Cuts => {
    const sorted = [...pairs].sort((x, y) => order(x[0], y[0]));
    const bounds = sorted.map((x) => x[0]);
    const below = new Int32Array(distinct.length + 1);
    const upTo = new Int32Array(distinct.length + 1);
    distinct.forEach((b, k) => {
      below[k] = countBelow(bounds, b, false);
      upTo[k] = countBelow(bounds, b, true);
    });
    below[distinct.length] = sorted.length;
    upTo[distinct.length] = sorted.length;
    return { rules: Int32Array.from(sorted, (x) => x[1]), below, upTo };
  };
  return {
    bounds: store(distinct),
    gt: cuts(atoms.gt),
    gte: cuts(atoms.gte),
    lt: cuts(atoms.lt),
    lte: cuts(atoms.lte),
  };
}

/** Counts one atom as holding for each rule of `rules[from..to)`. */
function hold(count: Int32Array, rules: Int32Array, from: number, to: number): void {
  for (let k = from; k < to; k++) count[rules[k]!]! += 1;
}

/** Counts the atoms holding for the value at place `lo` among the bounds (`equal` when it is that bound). */
function holdAt(count: Int32Array, index: BoundIndex<number | string>, lo: number, equal: boolean): void {
  const { gt, gte, lt, lte } = index;
  // $gt b holds for bounds below the value, $gte for bounds below or equal, $lt and $lte the others.
  if (gt.rules.length > 0) hold(count, gt.rules, 0, gt.below[lo]!);
  if (gte.rules.length > 0) hold(count, gte.rules, 0, equal ? gte.upTo[lo]! : gte.below[lo]!);
  if (lt.rules.length > 0) hold(count, lt.rules, equal ? lt.upTo[lo]! : lt.below[lo]!, lt.rules.length);
  if (lte.rules.length > 0) hold(count, lte.rules, lte.below[lo]!, lte.rules.length);
}

/** Counts the comparisons holding for the number `v` (not NaN). */
export function holdNumber(count: Int32Array, index: BoundIndex<number>, v: number): void {
  const bounds = index.bounds;
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bounds[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  holdAt(count, index, lo, lo < bounds.length && bounds[lo] === v);
}

/** Counts the comparisons holding for the string `v` (compared by UTF-16 code units, as `<` does). */
export function holdString(count: Int32Array, index: BoundIndex<string>, v: string): void {
  const bounds = index.bounds;
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bounds[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  holdAt(count, index, lo, lo < bounds.length && bounds[lo] === v);
}
