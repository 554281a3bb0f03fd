import { type CompileContext, FORBIDDEN_KEYS, type RulePath, checkString, fail } from './compile-context.js';

const hasOwn = Object.prototype.hasOwnProperty;
const isArray = Array.isArray;

/** A dotted path, split and pre-analysed once at compile time. */
export interface FieldPath {
  /** The path as written: `behavior.purchases.amount`. */
  readonly dotted: string;
  /** Its segments. */
  readonly keys: readonly string[];
  /** Per segment, the array index it denotes (`items.0`), or -1. */
  readonly indexes: readonly number[];
}

/** A test of one candidate value found at a path (`undefined` = missing). */
export type ValueTest = (value: unknown) => boolean;

/**
 * Returned by a fast getter when the path crosses an array before its last segment: the value is
 * then a set of candidates, walked by {@link anyAt}.
 */
export const MULTI: unique symbol = Symbol('tactful.condition.multi');

/** Reads the value at a path when no array lies on the way, else {@link MULTI}; `undefined` when missing. */
export type Getter = (facts: unknown) => unknown;

const INDEX = /^(0|[1-9][0-9]{0,8})$/;

/** Splits and checks a dotted path (no empty or forbidden segments, within the caps). */
export function parsePath(ctx: CompileContext, dotted: string, at: RulePath): FieldPath {
  checkString(ctx, at, dotted);
  const keys = dotted.split('.');
  if (keys.length > ctx.limits.maxPathSegments) {
    fail(
      ctx,
      at,
      `the path "${dotted}" has more than ${ctx.limits.maxPathSegments} segments (limits.maxPathSegments)`,
    );
  }
  for (const key of keys) {
    if (key === '')
      fail(ctx, at, `the path "${dotted}" has an empty segment; write segments separated by single dots`);
    if (FORBIDDEN_KEYS.has(key)) {
      fail(
        ctx,
        at,
        `the path "${dotted}" goes through "${key}", which is never read (it could reach object prototypes)`,
      );
    }
    if (key.startsWith('$')) {
      fail(
        ctx,
        at,
        `the path "${dotted}" has a segment starting with "$"; operators cannot appear inside a path`,
      );
    }
  }
  return { dotted, keys, indexes: keys.map((k) => (INDEX.test(k) ? Number(k) : -1)) };
}

/** Joins an `$elemMatch` document path to the path of its array. */
export function joinPath(outer: FieldPath, inner: FieldPath): FieldPath {
  return {
    dotted: `${outer.dotted}.${inner.dotted}`,
    keys: [...outer.keys, ...inner.keys],
    indexes: [...outer.indexes, ...inner.indexes],
  };
}

/**
 * A getter specialised for the path's depth. It reads own properties only, and returns
 * {@link MULTI} as soon as an array stands where an object is expected (the general walk
 * {@link anyAt} then handles indexes, `length` and fan-out over the elements).
 */
export function makeGetter(path: FieldPath): Getter {
  const k = path.keys;
  switch (k.length) {
    case 1: {
      const a = k[0]!;
      return (o) => {
        if (typeof o !== 'object' || o === null) return undefined;
        if (isArray(o)) return MULTI;
        return hasOwn.call(o, a) ? (o as Record<string, unknown>)[a] : undefined;
      };
    }
    case 2: {
      const a = k[0]!;
      const b = k[1]!;
      return (o) => {
        if (typeof o !== 'object' || o === null) return undefined;
        if (isArray(o)) return MULTI;
        if (!hasOwn.call(o, a)) return undefined;
        const v = (o as Record<string, unknown>)[a];
        if (typeof v !== 'object' || v === null) return undefined;
        if (isArray(v)) return MULTI;
        return hasOwn.call(v, b) ? (v as Record<string, unknown>)[b] : undefined;
      };
    }
    default:
      return deepGetter(path);
  }
}

/**
 * A getter for a path of three or more segments (any depth works), as {@link makeGetter} gives: the
 * only one a standalone rule needs, since its shorter paths are read inline by its closures.
 */
export function deepGetter(path: FieldPath): Getter {
  const k = path.keys;
  switch (k.length) {
    case 3: {
      const a = k[0]!;
      const b = k[1]!;
      const c = k[2]!;
      return (o) => {
        if (typeof o !== 'object' || o === null) return undefined;
        if (isArray(o)) return MULTI;
        if (!hasOwn.call(o, a)) return undefined;
        const v = (o as Record<string, unknown>)[a];
        if (typeof v !== 'object' || v === null) return undefined;
        if (isArray(v)) return MULTI;
        if (!hasOwn.call(v, b)) return undefined;
        const w = (v as Record<string, unknown>)[b];
        if (typeof w !== 'object' || w === null) return undefined;
        if (isArray(w)) return MULTI;
        return hasOwn.call(w, c) ? (w as Record<string, unknown>)[c] : undefined;
      };
    }
    default:
      return (o) => {
        let v = o;
        for (let i = 0; i < k.length; i++) {
          if (typeof v !== 'object' || v === null) return undefined;
          if (isArray(v)) return MULTI;
          const key = k[i]!;
          if (!hasOwn.call(v, key)) return undefined;
          v = (v as Record<string, unknown>)[key];
        }
        return v;
      };
  }
}

/**
 * The general walk: true when `test` holds for some candidate value at `path` from segment `from`.
 * An array met before the last segment is indexed by a numeric segment, measured by `length`, or
 * else fanned out over its elements (MongoDB semantics). A path that finds nothing yields one
 * `undefined` candidate.
 */
export function anyAt(value: unknown, path: FieldPath, from: number, test: ValueTest): boolean {
  const keys = path.keys;
  let v = value;
  for (let i = from; i < keys.length; i++) {
    if (typeof v !== 'object' || v === null) return test(undefined);
    const key = keys[i]!;
    if (isArray(v)) {
      const index = path.indexes[i]!;
      if (index >= 0) {
        v = hasOwn.call(v, index) ? v[index] : undefined;
        continue;
      }
      if (key === 'length') {
        v = v.length;
        continue;
      }
      if (v.length === 0) return test(undefined);
      for (let j = 0; j < v.length; j++) {
        if (anyAt(hasOwn.call(v, j) ? v[j] : undefined, path, i, test)) return true;
      }
      return false;
    }
    v = hasOwn.call(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  }
  return test(v);
}
