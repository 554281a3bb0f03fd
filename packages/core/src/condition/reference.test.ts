import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import {
  type CompileConditionOptions,
  compileCondition as compileWithoutEngine,
  compileConditionSet as compileSetWithoutEngine,
} from '@tactful/core';
import { re2Regex } from '@tactful/core/regex';

// A straightforward interpreter of the condition language, written from its documented semantics
// (MongoDB's, without coercion), with none of the compiler's machinery: no programs, no index, no
// shared reads. Condition sets and single conditions must give its answers on every rule and facts.

const compileCondition = (rule: unknown, options: CompileConditionOptions = {}) =>
  compileWithoutEngine(rule, { regex: re2Regex, ...options });
const compileConditionSet = (rules: readonly unknown[], options: CompileConditionOptions = {}) =>
  compileSetWithoutEngine(rules, { regex: re2Regex, ...options });

type Json = unknown;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The candidate values at a dotted path: arrays on the way are indexed, measured or fanned out. */
function candidates(value: unknown, keys: readonly string[]): unknown[] {
  if (keys.length === 0) return [value];
  if (typeof value !== 'object' || value === null) return [undefined];
  const [key, ...rest] = keys as [string, ...string[]];
  if (Array.isArray(value)) {
    if (/^(0|[1-9][0-9]*)$/.test(key))
      return candidates(Object.hasOwn(value, key) ? value[Number(key)] : undefined, rest);
    if (key === 'length') return candidates(value.length, rest);
    if (value.length === 0) return [undefined];
    return Array.from(value, (_, j) => j).flatMap((j) =>
      candidates(Object.hasOwn(value, j) ? value[j] : undefined, keys),
    );
  }
  return candidates(Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined, rest);
}

/** Equality with a literal: `null` also matches a missing value; arrays and objects deeply, strictly inside. */
function equal(expected: Json, actual: unknown): boolean {
  return expected === null ? actual === null || actual === undefined : strictlyEqual(expected, actual);
}

function strictlyEqual(expected: Json, actual: unknown): boolean {
  if (typeof expected !== 'object' || expected === null) return expected === actual;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((e, i) => Object.hasOwn(actual, i) && strictlyEqual(e, actual[i]))
    );
  }
  if (!isObject(actual)) return false;
  const entries = Object.entries(expected);
  return (
    Object.keys(actual).length === entries.length &&
    entries.every(([k, e]) => Object.hasOwn(actual, k) && strictlyEqual(e, actual[k]))
  );
}

const isOperators = (e: Json): e is Record<string, Json> =>
  isObject(e) && Object.keys(e).length > 0 && Object.keys(e).every((k) => k.startsWith('$'));

/** A test of one value, also passing when the value is an array one of whose elements passes. */
const elementwise = (test: (v: unknown) => boolean) => (v: unknown) =>
  test(v) || (Array.isArray(v) && Array.from(v, (_, i) => v[i]).some(test));

const regexes = new Map<string, RE2JS>();
/** RE2's compiled pattern (with `$options` `i`), cached. */
function regexOf(pattern: string, options: string): RE2JS {
  const key = `${options}/${pattern}`;
  let re = regexes.get(key);
  if (re === undefined) {
    re = RE2JS.compile(pattern, options.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
    regexes.set(key, re);
  }
  return re;
}

/** True when every operator of `expression` holds for the candidates. */
function expressionHolds(expression: Json, found: readonly unknown[]): boolean {
  const some = (test: (v: unknown) => boolean) => found.some(test);
  if (!isOperators(expression)) return some(elementwise((v) => equal(expression, v)));
  const ops = expression;
  return Object.keys(ops).every((op) => {
    const x = ops[op] as Json;
    const typed = (check: (v: unknown) => boolean) => some(elementwise(check));
    const sameType = (v: unknown) =>
      typeof v === typeof x && (typeof x === 'number' || typeof x === 'string');
    switch (op) {
      case '$eq':
        return some(elementwise((v) => equal(x, v)));
      case '$ne':
        return !some(elementwise((v) => equal(x, v)));
      case '$gt':
        return typed((v) => sameType(v) && (v as number) > (x as number));
      case '$gte':
        return typed((v) => sameType(v) && (v as number) >= (x as number));
      case '$lt':
        return typed((v) => sameType(v) && (v as number) < (x as number));
      case '$lte':
        return typed((v) => sameType(v) && (v as number) <= (x as number));
      case '$in':
        return (x as Json[]).some((y) => some(elementwise((v) => equal(y, v))));
      case '$nin':
        return !(x as Json[]).some((y) => some(elementwise((v) => equal(y, v))));
      case '$all':
        return (x as Json[]).length > 0 && (x as Json[]).every((y) => some(elementwise((v) => equal(y, v))));
      case '$exists':
        return some((v) => v !== undefined) === x;
      case '$size':
        return some((v) => Array.isArray(v) && v.length === x);
      case '$regex': {
        const re = regexOf(x as string, (ops['$options'] as string | undefined) ?? '');
        return typed((v) => typeof v === 'string' && re.test(v));
      }
      case '$options':
        return true;
      case '$not':
        return !expressionHolds(x, found);
      case '$elemMatch': {
        const valueForm = isOperators(x);
        return some(
          (v) =>
            Array.isArray(v) &&
            Array.from(v, (_, i) => v[i]).some((e) =>
              valueForm ? expressionHolds(x, [e]) : isObject(e) && ruleHolds(x, e),
            ),
        );
      }
      default:
        throw new Error(`the reference has no ${op}`);
    }
  });
}

/** The reference answer of a rule on facts. */
function ruleHolds(rule: Json, facts: unknown): boolean {
  return Object.entries(rule as Record<string, Json>).every(([key, value]) => {
    switch (key) {
      case '$and':
        return (value as Json[]).every((r) => ruleHolds(r, facts));
      case '$or':
        return (value as Json[]).some((r) => ruleHolds(r, facts));
      case '$nor':
        return !(value as Json[]).some((r) => ruleHolds(r, facts));
      case '$not':
        return !ruleHolds(value, facts);
      default:
        return expressionHolds(value, candidates(facts, key.split('.')));
    }
  });
}

const KEYS = ['a', 'b', 'c'];
const scalar = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('x', 'y', 'Xy', '10', ''),
  fc.boolean(),
  fc.constant(null),
);
const literal = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), scalar, { maxKeys: 2 }) },
);
const value = fc.oneof(
  { weight: 5, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.sparseArray(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), scalar, { maxKeys: 2 }) },
  {
    weight: 1,
    arbitrary: fc.array(fc.dictionary(fc.constantFrom(...KEYS), scalar, { maxKeys: 2 }), { maxLength: 2 }),
  },
);
const plainFacts = fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 3 });
const facts: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: plainFacts },
  { weight: 1, arbitrary: fc.array(plainFacts, { maxLength: 2 }) },
  { weight: 1, arbitrary: scalar },
);
const path = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...KEYS) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...KEYS), fc.constantFrom(...KEYS, '0', 'length'))
      .map(([x, y]) => `${x}.${y}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('a.b.c', 'c.0.a') },
);
const bound = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('x', 'y', '10'));
const list = fc.array(literal, { maxLength: 10 });
/** Every field operator, alone, combined, and negated. */
const expression: fc.Arbitrary<unknown> = fc.oneof(
  literal,
  fc.record({ $eq: literal }),
  fc.record({ $ne: literal }),
  fc.record({ $gt: bound }),
  fc.record({ $gte: bound }),
  fc.record({ $lt: bound }),
  fc.record({ $lte: bound }),
  fc.record({ $in: list }),
  fc.record({ $nin: list }),
  fc.record({ $all: fc.array(literal, { maxLength: 2 }) }),
  fc.record({ $exists: fc.boolean() }),
  fc.record({ $size: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ $regex: fc.constantFrom('^x', 'y$', 'x|1', '^$', '[xy]') }),
  fc.record({ $regex: fc.constantFrom('^x', 'xy'), $options: fc.constant('i') }),
  fc.record({ $elemMatch: fc.record({ $gte: fc.integer({ min: -3, max: 3 }) }) }),
  fc.record({ $elemMatch: fc.record({ a: scalar }) }),
  fc.record({ $gte: bound, $lt: bound }),
  fc.record({
    $not: fc.oneof(
      fc.record({ $gt: bound }),
      fc.record({ $size: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ $in: list }),
      fc.record({ $exists: fc.boolean() }),
    ),
  }),
);
const field = fc.tuple(path, expression).map(([p, e]) => ({ [p]: e }));
const rule: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    field,
    fc.tuple(field, field).map(([x, y]) => ({ ...x, ...y })),
    fc
      .tuple(field, fc.array(tie('rule'), { minLength: 1, maxLength: 3 }))
      .map(([x, or]) => ({ ...x, $or: or })),
    fc.record({ $and: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ $or: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ $nor: fc.array(tie('rule'), { minLength: 1, maxLength: 2 }) }),
    fc.record({ $not: tie('rule') }),
  ),
})).rule as fc.Arbitrary<Record<string, unknown>>;

describe('conditions agree with a reference interpreter', () => {
  it('a condition set answers every rule as the reference does, on any facts', () => {
    fc.assert(
      fc.property(
        fc.array(rule, { minLength: 1, maxLength: 24 }),
        fc.array(facts, { minLength: 1, maxLength: 6 }),
        (rules, many) => {
          const set = compileConditionSet(rules);
          const out: boolean[] = [];
          for (const f of many) {
            const expected = rules.map((r) => ruleHolds(r, f));
            expect(set.evaluate(f)).toEqual(expected);
            // Reusing the output array and the set's scratch gives the same answers.
            expect(set.evaluate(f, out)).toEqual(expected);
            expect(set.matching(f)).toEqual(expected.flatMap((holds, i) => (holds ? [i] : [])));
          }
        },
      ),
      { numRuns: 400 },
    );
  }, 30_000);

  it('a compiled condition answers as the reference does, on any facts', () => {
    fc.assert(
      fc.property(rule, fc.array(facts, { minLength: 1, maxLength: 6 }), (r, many) => {
        const compiled = compileCondition(r);
        for (const f of many) expect(compiled(f)).toBe(ruleHolds(r, f));
      }),
      { numRuns: 400 },
    );
  }, 30_000);

  it('rules sharing sub-rules and operands across a set keep their own answers', () => {
    // Many rules built from few parts: the same atoms, `$or` branches and bounds recur across rules.
    const part = fc.constantFrom<Record<string, unknown>>(
      { a: 'x' },
      { a: { $in: ['x', 'y', 1, 2, 3, 4, 5, 6, 7, 8] } },
      { 'b.a': { $gt: 0 } },
      { b: { $size: 1 } },
      { c: { $ne: 'y' } },
      { c: { $exists: false } },
      { a: { $regex: '^x' } },
    );
    const composed = fc.letrec((tie) => ({
      r: fc.oneof(
        { depthSize: 'small' },
        part,
        fc.record({ $or: fc.array(tie('r'), { minLength: 1, maxLength: 3 }) }),
        fc.record({ $and: fc.array(tie('r'), { minLength: 1, maxLength: 3 }) }),
        fc.record({ $not: tie('r') }),
      ),
    })).r;
    fc.assert(
      fc.property(
        fc.array(composed, { minLength: 1, maxLength: 40 }),
        fc.array(facts, { minLength: 1, maxLength: 4 }),
        (rules, many) => {
          const set = compileConditionSet(rules);
          for (const f of many) expect(set.evaluate(f)).toEqual(rules.map((r) => ruleHolds(r, f)));
        },
      ),
      { numRuns: 200 },
    );
  }, 30_000);
});
