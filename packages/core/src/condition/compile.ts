import { BUILTIN_CATEGORY_IDS } from '../taxonomy-builtins.js';
import { checkOrThrow } from '../check.js';
import { categoriesOf } from './categories.js';
import {
  type CompileContext,
  type RulePath,
  checkArrayLength,
  countNode,
  describe,
  fail,
  isPlainObject,
} from './compile-context.js';
import { type Predicate, analyse, fieldPredicate } from './field.js';
import { compileFieldExpression, unknownOperatorMessage } from './operators.js';
import { type FieldPath, joinPath, parsePath } from './path.js';
import { compileProgram } from './closures.js';
import { compileConditionOptions } from './options-check.js';
import { type Program, type Step, pack } from './program.js';
import * as StepKind from './step-kind.js';
import {
  type CompileConditionOptions,
  type CompiledCondition,
  type Condition,
  type ConditionLimits,
  DEFAULT_CONDITION_LIMITS,
} from './types.js';

/**
 * Compiles a MongoDB-style JSON rule into a predicate over facts, once; evaluating it afterwards
 * allocates nothing in the common case and never uses `eval` or `new Function` (it runs under a
 * strict Content-Security-Policy and on edge runtimes).
 *
 * Operators: `$eq $ne $gt $gte $lt $lte $in $nin $exists $regex` (with `$options` `i m s`)
 * `$elemMatch $all $size $not` on fields, `$and $or $nor $not` on rules; a literal means equality;
 * several fields in one object must all hold. Paths are dotted (`behavior.purchases.amount`); an
 * array on the way is searched element by element, and a field holding an array matches
 * `{ field: v }`, `$in`, `$eq` ... when one of its elements does (`$size`, `$all`, `$elemMatch`
 * look at the array itself). No type coercion: `{ "$gt": "10" }` never matches the number 9.
 *
 * @param rule - the rule, usually parsed from JSON.
 * @param options - categories to report, caps, and where the rule sits in your configuration.
 * @throws TactfulError `INVALID_CONDITION` naming the path of the first problem (unknown operator,
 *   `$where`, a path through `__proto__`, NaN, an unsafe regex, a cap exceeded ...);
 *   `INVALID_OPTIONS` for bad options.
 *
 * @example
 * ```ts
 * const loyal = compileCondition(
 *   { 'behavior.purchases': { $size: 3 }, 'profile.preferences.interests': { $in: ['kids', 'toys'] } },
 *   { categories: ['behavior.purchases', 'profile.preferences'] },
 * );
 * loyal.categories; // ['behavior.purchases', 'profile.preferences']
 * loyal(nestCategories(input.data)); // true or false
 * ```
 */
export function compileCondition(rule: unknown, options: CompileConditionOptions = {}): CompiledCondition {
  return compileWith(rule, options, undefined).compiled;
}

/** Reads shared by the rules of a condition set: each distinct top-level path gets a slot. */
export interface SharedReads {
  slotOf(path: FieldPath): number;
}

/**
 * Compiles a rule into a standalone {@link CompiledCondition} and, when `shared` is given, into a
 * program whose top-level paths are read through the set's shared slots.
 */
export function compileWith(
  rule: unknown,
  options: CompileConditionOptions,
  shared: SharedReads | undefined,
): { compiled: CompiledCondition; program: Program } {
  const parsed = checkOrThrow(compileConditionOptions, options, {
    code: 'INVALID_OPTIONS',
    what: 'condition options',
  });
  const newContext = (): CompileContext => ({
    limits: resolveLimits(parsed.limits),
    prefix: parsed.path ?? [],
    regex: parsed.regex,
    nodes: 0,
    paths: [],
    seenPaths: new Set(),
  });
  const ctx = newContext();
  const standalone = pack(compileRule(ctx, rule, [], 0, undefined, undefined));
  const program =
    shared === undefined ? standalone : pack(compileRule(newContext(), rule, [], 0, undefined, shared));
  const paths = Object.freeze([...ctx.paths]);
  const categories = Object.freeze(categoriesOf(paths, parsed.categories ?? BUILTIN_CATEGORY_IDS));
  const compiled: Predicate = compileProgram(standalone);
  Object.defineProperties(compiled, {
    paths: { value: paths, enumerable: true },
    categories: { value: categories, enumerable: true },
    rule: { value: cloneFrozen(rule) as Condition, enumerable: true },
  });
  return { compiled: Object.freeze(compiled) as CompiledCondition, program };
}

function resolveLimits(
  overrides: Partial<Record<keyof ConditionLimits, number | undefined>> = {},
): ConditionLimits {
  const limits: ConditionLimits = { ...DEFAULT_CONDITION_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof ConditionLimits>) {
    const value = overrides[key];
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

/**
 * Compiles a rule object into the steps of its conjunction (`$and` is flattened into it). `base` is
 * the path of the array an `$elemMatch` document applies to: it only prefixes the paths reported in
 * `.paths`; evaluation is relative to each element, so those fields always read directly.
 */
function compileRule(
  ctx: CompileContext,
  rule: unknown,
  at: RulePath,
  depth: number,
  base: FieldPath | undefined,
  shared: SharedReads | undefined,
): Step[] {
  if (!isPlainObject(rule)) {
    fail(ctx, at, `a rule is an object such as { "age": { "$gte": 18 } }, not ${describe(rule)}`);
  }
  countNode(ctx, at, depth);
  const steps: Step[] = [];
  for (const key of Object.keys(rule)) {
    const keyAt = [...at, key];
    const value = rule[key];
    switch (key) {
      case '$and':
        for (const sub of subRules(ctx, key, value, keyAt, depth + 1, base, shared)) steps.push(...sub);
        break;
      case '$or':
      case '$nor':
        steps.push(
          logicStep(key !== '$or', subRules(ctx, key, value, keyAt, depth + 1, base, shared), shared),
        );
        break;
      case '$not':
        if (!isPlainObject(value)) {
          fail(ctx, keyAt, `$not on a rule takes a rule object, e.g. { "$not": { "plan": "free" } }`);
        }
        steps.push(logicStep(true, [compileRule(ctx, value, keyAt, depth + 1, base, shared)], shared));
        break;
      default: {
        if (key.startsWith('$')) fail(ctx, keyAt, unknownOperatorMessage(key));
        const path = parsePath(ctx, key, keyAt);
        const reported = base ? joinPath(base, path) : path;
        record(ctx, reported);
        const clauses = compileFieldExpression(ctx, value, keyAt, depth + 1, (sub, subAt, subDepth) =>
          toPredicate(compileRule(ctx, sub, subAt, subDepth + 1, reported, undefined)),
        );
        // Each operator of a field is its own step: MongoDB applies each one to the field on its own
        // (through arrays, each may match a different element), so this is exact.
        for (const clause of clauses) {
          const plan = analyse(path, [clause]);
          const kind =
            plan.scalar !== undefined
              ? StepKind.Scalar
              : plan.whole !== undefined
                ? StepKind.Whole
                : StepKind.Value;
          if (shared !== undefined && base === undefined) {
            steps.push({ kind, keys: path.keys, slot: shared.slotOf(path), plan });
          } else if (path.keys.length <= 2) {
            steps.push({ kind, keys: path.keys, slot: -1, plan });
          } else {
            steps.push({ kind: StepKind.Predicate, predicate: fieldPredicate(path, [clause]) });
          }
        }
      }
    }
  }
  return steps;
}

function subRules(
  ctx: CompileContext,
  op: string,
  value: unknown,
  at: RulePath,
  depth: number,
  base: FieldPath | undefined,
  shared: SharedReads | undefined,
): Step[][] {
  if (!Array.isArray(value) || value.length === 0) {
    fail(ctx, at, `${op} takes a non-empty array of rules, e.g. { "${op}": [{ "a": 1 }, { "b": 2 }] }`);
  }
  checkArrayLength(ctx, at, value.length);
  countNode(ctx, at, depth);
  return value.map((sub, i) => compileRule(ctx, sub, [...at, i], depth + 1, base, shared));
}

function record(ctx: CompileContext, path: FieldPath): void {
  if (ctx.seenPaths.has(path.dotted)) return;
  ctx.seenPaths.add(path.dotted);
  ctx.paths.push(path.dotted);
}

/** The predicate of a conjunction of steps. */
function toPredicate(steps: readonly Step[]): Predicate {
  if (steps.length === 1 && steps[0]!.kind === StepKind.Predicate) return steps[0]!.predicate;
  return compileProgram(pack(steps));
}

/**
 * `$or` (`nor` false), `$nor` or `$not` (`nor` true) over the conjunctions `terms`: a predicate, or
 * in a condition set their programs as data, which the set's index evaluates (see `atom-index.ts`).
 */
function logicStep(nor: boolean, terms: readonly Step[][], shared: SharedReads | undefined): Step {
  if (shared !== undefined) {
    return { kind: StepKind.Predicate, predicate: NEVER, logic: { nor, terms: terms.map(pack) } };
  }
  const either = any(terms.map(toPredicate));
  return { kind: StepKind.Predicate, predicate: nor ? not(either) : either };
}

/** The predicate of a set's logic step: never called, the index answers it. */
const NEVER: Predicate = () => false;

/** Disjunction, specialised for small arities. */
function any(ps: readonly Predicate[]): Predicate {
  switch (ps.length) {
    case 1:
      return ps[0]!;
    case 2: {
      const [a, b] = ps as [Predicate, Predicate];
      return (f) => a(f) || b(f);
    }
    default: {
      const list = ps.slice();
      return (f) => {
        for (let i = 0; i < list.length; i++) if (list[i]!(f)) return true;
        return false;
      };
    }
  }
}

function not(p: Predicate): Predicate {
  return (f) => !p(f);
}

/** A frozen deep copy of a rule that compiled (so it holds only JSON values and safe keys). */
function cloneFrozen(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(cloneFrozen));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = cloneFrozen((value as Record<string, unknown>)[key]);
  return Object.freeze(out);
}
