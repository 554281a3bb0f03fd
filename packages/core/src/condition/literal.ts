import {
  type CompileContext,
  FORBIDDEN_KEYS,
  type RulePath,
  checkArrayLength,
  checkString,
  countNode,
  describe,
  fail,
  isPlainObject,
} from './compile-context.js';
import type { ConditionValue } from './types.js';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Checks that `value` is a JSON value fit for a rule (finite numbers, plain objects without `$` or
 * forbidden keys, within the caps) and returns a frozen copy of it.
 */
export function literal(ctx: CompileContext, value: unknown, at: RulePath, depth: number): ConditionValue {
  countNode(ctx, at, depth);
  switch (typeof value) {
    case 'string':
      checkString(ctx, at, value);
      return value;
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value))
        fail(ctx, at, `${describe(value)} is not allowed in a rule; use a finite number`);
      return value;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        checkArrayLength(ctx, at, value.length);
        const out: ConditionValue[] = [];
        for (let i = 0; i < value.length; i++) out.push(literal(ctx, value[i], [...at, i], depth + 1));
        return Object.freeze(out) as ConditionValue[];
      }
      if (!isPlainObject(value)) {
        fail(
          ctx,
          at,
          `${describe(value)} is not a JSON value; rules hold only strings, numbers, booleans, null, arrays and plain objects`,
        );
      }
      const out: Record<string, ConditionValue> = {};
      for (const key of Object.keys(value)) {
        checkString(ctx, [...at, key], key);
        if (FORBIDDEN_KEYS.has(key)) fail(ctx, [...at, key], `the key "${key}" is not allowed in a rule`);
        if (key.startsWith('$')) {
          fail(
            ctx,
            [...at, key],
            `"${key}" is not allowed inside a value; operators go directly under a path, not inside literal objects`,
          );
        }
        out[key] = literal(ctx, value[key], [...at, key], depth + 1);
      }
      return Object.freeze(out);
    }
    default:
      return fail(
        ctx,
        at,
        `${describe(value)} is not a JSON value; use a string, number, boolean, null, array or object`,
      );
  }
}

/**
 * Deep equality of a rule literal with a fact value: primitives by `===` (no coercion), arrays item
 * by item in order, objects by their own enumerable keys in any order. Bounded by the literal's
 * size, so cyclic facts are safe.
 */
export function deepEqual(expected: ConditionValue, actual: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return expected === actual;
  if (typeof actual !== 'object' || actual === null) return false;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    for (let i = 0; i < expected.length; i++) {
      if (!hasOwn.call(actual, i) || !deepEqual(expected[i] as ConditionValue, actual[i])) return false;
    }
    return true;
  }
  if (Array.isArray(actual)) return false;
  const keys = Object.keys(expected);
  if (Object.keys(actual).length !== keys.length) return false;
  for (const key of keys) {
    if (!hasOwn.call(actual, key)) return false;
    if (!deepEqual(expected[key] as ConditionValue, (actual as Record<string, unknown>)[key])) return false;
  }
  return true;
}
