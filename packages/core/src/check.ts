import { TactfulError, type TactfulErrorCode, formatPath } from './errors.js';

/**
 * Small hand-written validators for code that runs in a page.
 *
 * The zod schemas stay the source of truth (configuration, the server, JSON Schema); a page should
 * not carry zod to check a few options. A validator built from these pieces accepts exactly what
 * its schema accepts, returns the same output (unknown keys stripped, defaults applied) and, on the
 * first problem, names the same field path as the schema's first issue — each use has a property
 * test against its schema that proves it.
 */

/** A path into the value being checked. */
export type CheckPath = ReadonlyArray<string | number>;

/** A validator: returns the checked value (defaults applied) or throws a {@link CheckFailure}. */
export type Check<T> = (value: unknown, path: CheckPath) => T;

/** The first problem a {@link Check} found: where, and what to do. */
export class CheckFailure {
  constructor(
    /** The field path, as the schema names it. */
    readonly path: CheckPath,
    /** What is wrong and how to fix it. */
    readonly message: string,
  ) {}
}

function fail(path: CheckPath, message: string): never {
  throw new CheckFailure(path, message);
}

/** What `typeof`-like word zod uses for a received value. */
function received(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return typeof v;
}

function expected(path: CheckPath, type: string, v: unknown): never {
  return fail(path, `Invalid input: expected ${type}, received ${received(v)}`);
}

/** Options of {@link str}. */
export interface StringRules {
  min?: number;
  max?: number;
  /** A pattern and the message saying how to match it. */
  pattern?: readonly [RegExp, string];
  /** A predicate (after length and pattern) and its message. */
  refine?: readonly [(s: string) => boolean, string];
}

/** A string (zod `z.string().check(minLength, maxLength, regex, refine)`). */
export function str(rules: StringRules = {}): Check<string> {
  const { min, max, pattern, refine } = rules;
  return (v, path) => {
    if (typeof v !== 'string') expected(path, 'string', v);
    if (min !== undefined && v.length < min)
      fail(path, `Too small: expected string to have >=${min} characters`);
    if (max !== undefined && v.length > max)
      fail(path, `Too big: expected string to have <=${max} characters`);
    if (pattern) {
      pattern[0].lastIndex = 0;
      if (!pattern[0].test(v)) fail(path, pattern[1]);
    }
    if (refine && !refine[0](v)) fail(path, refine[1]);
    return v;
  };
}

/** Options of {@link num}. */
export interface NumberRules {
  /** A safe integer (zod `z.int()`). */
  int?: boolean;
  gte?: number;
  lte?: number;
  /** Greater than 0 (zod `z.positive()`). */
  positive?: boolean;
}

/** A finite number (zod `z.number().check(...)`). */
export function num(rules: NumberRules = {}): Check<number> {
  const { int, gte, lte, positive } = rules;
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) expected(path, 'number', v);
    if (int && !Number.isSafeInteger(v)) fail(path, 'Invalid input: expected int, received number');
    if (gte !== undefined && v < gte) fail(path, `Too small: expected number to be >=${gte}`);
    if (positive && v <= 0) fail(path, 'Too small: expected number to be >0');
    if (lte !== undefined && v > lte) fail(path, `Too big: expected number to be <=${lte}`);
    return v;
  };
}

/** A boolean. */
export const bool: Check<boolean> = (v, path) => (typeof v === 'boolean' ? v : expected(path, 'boolean', v));

/** One of a fixed list of strings (zod `z.enum`). */
export function oneOf<const T extends string>(values: readonly T[]): Check<T> {
  const set: ReadonlySet<unknown> = new Set(values);
  const list = values.map((x) => JSON.stringify(x)).join('|');
  return (v, path) => (set.has(v) ? (v as T) : fail(path, `Invalid option: expected one of ${list}`));
}

/** A value the predicate accepts (zod `z.custom`). */
export function custom<T>(test: (v: unknown) => boolean, message: string): Check<T> {
  return (v, path) => (test(v) ? (v as T) : fail(path, message));
}

/** What `check` accepts and `test` then holds for (zod `.check(z.refine(...))` after the type). */
export function refine<T>(check: Check<T>, test: (v: T) => boolean, message: string): Check<T> {
  return (v, path) => {
    const out = check(v, path);
    return test(out) ? out : fail(path, message);
  };
}

/** Anything at all. */
export const anything: Check<unknown> = (v) => v;

/** `undefined`, or what `check` accepts (zod `z.optional`). */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v, path) => (v === undefined ? undefined : check(v, path));
}

/** `fallback()` when `undefined`, else what `check` accepts (zod `z._default`; the default isn't checked). */
export function withDefault<T>(check: Check<T>, fallback: () => T): Check<T> {
  return (v, path) => (v === undefined ? fallback() : check(v, path));
}

/** Options of {@link arr}. */
export interface ArrayRules {
  min?: number;
  max?: number;
  /** The message when shorter than `min` (default zod's). */
  minMessage?: string;
}

/** An array of items `item` accepts (zod `z.array(item).check(minLength, maxLength)`). */
export function arr<T>(item: Check<T>, rules: ArrayRules = {}): Check<T[]> {
  const { min, max, minMessage } = rules;
  return (v, path) => {
    if (!Array.isArray(v)) expected(path, 'array', v);
    const out: T[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = item(v[i], [...path, i]);
    if (min !== undefined && v.length < min)
      fail(path, minMessage ?? `Too small: expected array to have >=${min} items`);
    if (max !== undefined && v.length > max) fail(path, `Too big: expected array to have <=${max} items`);
    return out;
  };
}

type Shape = Record<string, Check<unknown>>;
type Out<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/** A non-array object, as zod's objects take it. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An object with these fields, unknown keys dropped (zod `z.object`) or refused when `strict`
 * (zod `z.strictObject`). Fields are checked in the order given, as zod does.
 */
export function obj<S extends Shape>(shape: S, strict = false): Check<Out<S>> {
  const keys = Object.keys(shape);
  const known = new Set(keys);
  return (v, path) => {
    if (!isObject(v)) expected(path, 'object', v);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const value = v[key];
      const r = (shape[key] as Check<unknown>)(value, [...path, key]);
      if (r !== undefined || key in v) out[key] = r;
    }
    if (strict) {
      // As zod: every enumerable key `for...in` yields (inherited ones too) that the shape lacks.
      for (const key in v)
        if (!known.has(key))
          fail(path, `Unrecognized key: "${key}" (remove it; known keys: ${keys.join(', ')})`);
    }
    return out as Out<S>;
  };
}

/** A plain object, as zod's records take it (`isPlainObject`). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!isObject(v)) return false;
  const ctor = (v as { constructor?: unknown }).constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const proto = (ctor as { prototype?: unknown }).prototype;
  return isObject(proto) && Object.hasOwn(proto, 'isPrototypeOf');
}

/**
 * A record of string keys (zod `z.record(key, value)`; with `closed`, zod `z.partialRecord` over an
 * enum, where a key outside the enum is an unrecognized key of the record itself).
 */
export function rec<K extends string, V>(
  key: Check<K>,
  value: Check<V>,
  closed = false,
): Check<Record<K, V>> {
  return (v, path) => {
    if (!isPlainObject(v)) expected(path, 'record', v);
    const out: Record<string, V> = {};
    const unknown: string[] = [];
    for (const k of Reflect.ownKeys(v)) {
      if (k === '__proto__' || !Object.prototype.propertyIsEnumerable.call(v, k)) continue;
      if (typeof k === 'symbol') fail([...path, String(k)], 'Invalid key in record');
      try {
        key(k, [...path, k]);
      } catch (error) {
        if (!(error instanceof CheckFailure)) throw error;
        if (!closed) fail([...path, k], `Invalid key in record: ${error.message}`);
        unknown.push(k);
        continue;
      }
      out[k] = value(v[k], [...path, k]);
    }
    if (unknown.length > 0) fail(path, `Unrecognized key: "${unknown[0]}" (remove it)`);
    return out as Record<K, V>;
  };
}

/** An object with every key kept, shallow-copied (zod `z.looseObject({})`): own and inherited enumerable keys but `__proto__`. */
export const looseObject: Check<Record<string, unknown>> = (v, path) => {
  if (!isObject(v)) expected(path, 'object', v);
  const out: Record<string, unknown> = {};
  for (const key in v) if (key !== '__proto__') out[key] = v[key];
  return out;
};

/**
 * Runs `check` on `input`; on failure throws a {@link TactfulError} in the form `parseOrThrow`
 * gives, e.g. `gpc-consent: invalid options: honorDnt: Invalid input: expected boolean, received string`.
 */
export function checkOrThrow<T>(
  check: Check<T>,
  input: unknown,
  context: { code: TactfulErrorCode; what: string; plugin?: string; path?: CheckPath },
): T {
  try {
    return check(input, context.path ?? []);
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    const path = [...error.path];
    const who = context.plugin ? `${context.plugin}: ` : '';
    throw new TactfulError(
      context.code,
      `${who}invalid ${context.what}: ${formatPath(path)}: ${error.message}`,
      {
        issues: [{ path, message: error.message }],
        path,
        ...(context.plugin === undefined ? {} : { plugin: context.plugin }),
      },
    );
  }
}
