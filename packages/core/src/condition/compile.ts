import { BUILTIN_CATEGORIES } from '../taxonomy.js';
import { parseOrThrow } from '../validation.js';
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
import {
  type Clause,
  clauseOnValue,
  clausesOnValue,
  compileFieldExpression,
  unknownOperatorMessage,
} from './operators.js';
import { type FieldPath, MULTI, type ValueTest, anyAt, joinPath, makeGetter, parsePath } from './path.js';
import {
  type CompileConditionOptions,
  CompileConditionOptionsSchema,
  type CompiledCondition,
  type Condition,
  type ConditionLimits,
  DEFAULT_CONDITION_LIMITS,
} from './types.js';

type Predicate = (facts: unknown) => boolean;

const BUILTIN_CATEGORY_IDS: readonly string[] = BUILTIN_CATEGORIES.map((c) => c.id);

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
  const parsed = parseOrThrow(CompileConditionOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'condition options',
  });
  const ctx: CompileContext = {
    limits: resolveLimits(parsed.limits),
    prefix: parsed.path ?? [],
    nodes: 0,
    paths: [],
    seenPaths: new Set(),
  };
  const predicate = compileRule(ctx, rule, [], 0, undefined);
  const paths = Object.freeze([...ctx.paths]);
  const categories = Object.freeze(categoriesOf(paths, parsed.categories ?? BUILTIN_CATEGORY_IDS));
  const frozenRule = cloneFrozen(rule) as Condition;
  // A fresh function per compile, so the properties below never land on a shared one.
  const compiled: Predicate = predicate === always ? () => true : predicate;
  Object.defineProperties(compiled, {
    paths: { value: paths, enumerable: true },
    categories: { value: categories, enumerable: true },
    rule: { value: frozenRule, enumerable: true },
  });
  return Object.freeze(compiled) as CompiledCondition;
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
 * Compiles a rule object. `base` is the path of the array an `$elemMatch` document applies to: it
 * only prefixes the paths reported in `.paths`; evaluation is relative to each element.
 */
function compileRule(
  ctx: CompileContext,
  rule: unknown,
  at: RulePath,
  depth: number,
  base: FieldPath | undefined,
): Predicate {
  if (!isPlainObject(rule))
    fail(ctx, at, `a rule is an object such as { "age": { "$gte": 18 } }, not ${describe(rule)}`);
  countNode(ctx, at, depth);
  const parts: Predicate[] = [];
  for (const key of Object.keys(rule)) {
    const keyAt = [...at, key];
    const value = rule[key];
    switch (key) {
      case '$and':
      case '$or':
      case '$nor': {
        const subs = subRules(ctx, key, value, keyAt, depth + 1, base);
        parts.push(key === '$and' ? all(subs) : key === '$or' ? any(subs) : not(any(subs)));
        break;
      }
      case '$not':
        if (!isPlainObject(value))
          fail(ctx, keyAt, `$not on a rule takes a rule object, e.g. { "$not": { "plan": "free" } }`);
        parts.push(not(compileRule(ctx, value, keyAt, depth + 1, base)));
        break;
      default: {
        if (key.startsWith('$')) fail(ctx, keyAt, unknownOperatorMessage(key));
        const path = parsePath(ctx, key, keyAt);
        record(ctx, base ? joinPath(base, path) : path);
        const clauses = compileFieldExpression(ctx, value, keyAt, depth + 1, (sub, subAt, subDepth) =>
          compileRule(ctx, sub, subAt, subDepth + 1, base ? joinPath(base, path) : path),
        );
        parts.push(fieldPredicate(path, clauses));
      }
    }
  }
  return all(parts);
}

function subRules(
  ctx: CompileContext,
  op: string,
  value: unknown,
  at: RulePath,
  depth: number,
  base: FieldPath | undefined,
): Predicate[] {
  if (!Array.isArray(value) || value.length === 0) {
    fail(ctx, at, `${op} takes a non-empty array of rules, e.g. { "${op}": [{ "a": 1 }, { "b": 2 }] }`);
  }
  checkArrayLength(ctx, at, value.length);
  countNode(ctx, at, depth);
  return value.map((sub, i) => compileRule(ctx, sub, [...at, i], depth + 1, base));
}

function record(ctx: CompileContext, path: FieldPath): void {
  if (ctx.seenPaths.has(path.dotted)) return;
  ctx.seenPaths.add(path.dotted);
  ctx.paths.push(path.dotted);
}

/** The predicate of one path and its clauses: the fast getter when no array is on the way, else the general walk. */
function fieldPredicate(path: FieldPath, clauses: readonly Clause[]): Predicate {
  const get = makeGetter(path);
  const fast = clausesOnValue(clauses);
  const slow = clausesOnFacts(path, clauses);
  return (facts) => {
    const v = get(facts);
    return v === MULTI ? slow(facts) : fast(v);
  };
}

/** Clauses evaluated with the general walk: each positive clause finds its own candidate (MongoDB semantics). */
function clausesOnFacts(path: FieldPath, clauses: readonly Clause[]): Predicate {
  return all(
    clauses.map((clause): Predicate => {
      if (clause.kind === 'not') {
        const inner = clausesOnFacts(path, clause.clauses);
        return (facts) => !inner(facts);
      }
      const test: ValueTest = clauseOnValue(clause);
      return (facts) => anyAt(facts, path, 0, test);
    }),
  );
}

const always: Predicate = () => true;

/** Conjunction, specialised for small arities. */
function all(ps: readonly Predicate[]): Predicate {
  switch (ps.length) {
    case 0:
      return always;
    case 1:
      return ps[0]!;
    case 2: {
      const [a, b] = ps as [Predicate, Predicate];
      return (f) => a(f) && b(f);
    }
    case 3: {
      const [a, b, c] = ps as [Predicate, Predicate, Predicate];
      return (f) => a(f) && b(f) && c(f);
    }
    default: {
      const list = ps.slice();
      return (f) => {
        for (let i = 0; i < list.length; i++) if (!list[i]!(f)) return false;
        return true;
      };
    }
  }
}

/** Disjunction, specialised for small arities. */
function any(ps: readonly Predicate[]): Predicate {
  switch (ps.length) {
    case 1:
      return ps[0]!;
    case 2: {
      const [a, b] = ps as [Predicate, Predicate];
      return (f) => a(f) || b(f);
    }
    case 3: {
      const [a, b, c] = ps as [Predicate, Predicate, Predicate];
      return (f) => a(f) || b(f) || c(f);
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
