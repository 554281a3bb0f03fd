import { TactfulError, type TactfulErrorCode, formatPath } from './errors.js';

/**
 * Keys refused in every value that crosses a trust boundary (configuration, plugin options, HTTP
 * bodies, plugin output). `JSON.parse` turns `"__proto__"` into an own key, and the first copy by
 * assignment (zod's included) turns it into a prototype change that silently drops the key: a rule
 * `{ "__proto__": { ... } }` would become `{}`, which matches everyone. Refusing the keys, with the
 * path, is the only answer that neither drops nor rewrites what the author wrote.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** True for a key of {@link FORBIDDEN_KEYS}. */
export function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/** Size bounds of a structured value. Every bound keeps the walk (and what reads it next) linear and shallow. */
export interface ValueBounds {
  /** Deepest nesting of objects and arrays (the value itself is depth 0). */
  readonly maxDepth: number;
  /** Most objects, arrays and primitives in the whole value. */
  readonly maxNodes: number;
  /** Longest array anywhere in the value. */
  readonly maxArrayLength: number;
  /** Longest string (and object key) anywhere in the value. */
  readonly maxStringLength: number;
}

/**
 * The default bounds: deep enough for any configuration, catalog or slot content a person writes
 * (nesting of 64, a hundred thousand values, arrays of 10,000, strings of 64 KiB), shallow enough that
 * every recursive reader (zod, the condition compiler, `JSON.stringify`) stays far from the stack limit.
 */
export const VALUE_BOUNDS: ValueBounds = Object.freeze({
  maxDepth: 64,
  maxNodes: 100_000,
  maxArrayLength: 10_000,
  maxStringLength: 65_536,
});

/** What is wrong with a value, and where. */
export interface UnsafeValue {
  /** Path of the offending key or value, from the value's root. */
  readonly path: ReadonlyArray<string | number>;
  /** `forbidden-key`, `too-deep`, `too-large`, `not-plain-data`. */
  readonly problem: 'forbidden-key' | 'too-deep' | 'too-large' | 'not-plain-data';
  /** A sentence that says what is wrong and how to fix it. */
  readonly message: string;
}

/** Options of {@link inspectValue}. */
export interface InspectOptions {
  /** Bounds (each defaults to {@link VALUE_BOUNDS}). */
  readonly bounds?: Partial<ValueBounds>;
  /** Refuse anything but JSON data: plain objects, arrays, strings, finite numbers, booleans, null. */
  readonly plainData?: boolean;
  /** Freeze every object and array on the way (one walk for the check and the freeze). */
  readonly freeze?: boolean;
}

interface Frame {
  readonly value: unknown;
  readonly depth: number;
  readonly parent: Frame | undefined;
  readonly key: string | number | undefined;
}

function pathOf(frame: Frame | undefined, last?: string | number): Array<string | number> {
  const out: Array<string | number> = last === undefined ? [] : [last];
  for (let f = frame; f !== undefined && f.key !== undefined; f = f.parent) out.push(f.key);
  return out.reverse();
}

/**
 * Walks a value once, without recursion (so no input can overflow the stack), and returns the first
 * problem found or `undefined`: a forbidden key ({@link FORBIDDEN_KEYS}), nesting deeper than
 * `maxDepth` (which also catches cycles), more than `maxNodes` values, a longer array or string, or
 * (with `plainData`) anything that is not JSON data. With `freeze`, freezes what it walked.
 */
export function inspectValue(value: unknown, options: InspectOptions = {}): UnsafeValue | undefined {
  const b = options.bounds;
  const maxDepth = b?.maxDepth ?? VALUE_BOUNDS.maxDepth;
  const maxNodes = b?.maxNodes ?? VALUE_BOUNDS.maxNodes;
  const maxArray = b?.maxArrayLength ?? VALUE_BOUNDS.maxArrayLength;
  const maxString = b?.maxStringLength ?? VALUE_BOUNDS.maxStringLength;
  const plain = options.plainData === true;
  const freeze = options.freeze === true;
  const stack: Frame[] = [{ value, depth: 0, parent: undefined, key: undefined }];
  let nodes = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (++nodes > maxNodes)
      return {
        path: pathOf(frame),
        problem: 'too-large',
        message: `more than ${maxNodes} values in all; split it or make it smaller`,
      };
    if (typeof v === 'string') {
      if (v.length > maxString)
        return {
          path: pathOf(frame),
          problem: 'too-large',
          message: `a string of ${v.length} characters; at most ${maxString}`,
        };
      continue;
    }
    if (typeof v !== 'object' || v === null) {
      if (plain && !(v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))))
        return {
          path: pathOf(frame),
          problem: 'not-plain-data',
          message: `a ${typeof v === 'number' ? 'non-finite number' : typeof v} is not JSON data`,
        };
      continue;
    }
    if (frame.depth > maxDepth)
      return {
        path: pathOf(frame),
        problem: 'too-deep',
        message: `nested deeper than ${maxDepth} levels (or circular); flatten it`,
      };
    const depth = frame.depth + 1;
    if (Array.isArray(v)) {
      if (v.length > maxArray)
        return {
          path: pathOf(frame),
          problem: 'too-large',
          message: `an array of ${v.length} entries; at most ${maxArray}`,
        };
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth, parent: frame, key: i });
    } else {
      if (plain) {
        const proto: unknown = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null)
          return {
            path: pathOf(frame),
            problem: 'not-plain-data',
            message: 'only plain objects, arrays and primitives are allowed',
          };
      }
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (isForbiddenKey(key))
          return {
            path: pathOf(frame, key),
            problem: 'forbidden-key',
            message: `the key "${key}" is not allowed (it could change an object's prototype); rename it`,
          };
        if (key.length > maxString)
          return {
            path: pathOf(frame, key.slice(0, 32)),
            problem: 'too-large',
            message: `a key of ${key.length} characters; at most ${maxString}`,
          };
        stack.push({ value: (v as Record<string, unknown>)[key], depth, parent: frame, key });
      }
    }
    if (freeze) Object.freeze(v);
  }
  return undefined;
}

/** Where a checked value came from, for the error. */
export interface SafeValueContext extends InspectOptions {
  /** The error code (`INVALID_CONFIG`, `INVALID_OPTIONS`, `INVALID_REQUEST`, `INVALID_OUTPUT` ...). */
  readonly code: TactfulErrorCode;
  /** What the value is, for the message (`configuration`, `request body`, `segments options`). */
  readonly what: string;
  /** Path of the value itself, prefixed to the problem's path. */
  readonly path?: ReadonlyArray<string | number>;
  /** The plugin, when a plugin's options or output. */
  readonly plugin?: string;
}

/**
 * Checks a value with {@link inspectValue} and throws a {@link TactfulError} (the given `code`, the
 * full path, a message that says how to fix it) when anything is wrong. Returns the value, frozen
 * with `freeze: true`.
 *
 * @example
 * ```ts
 * assertSafeValue(JSON.parse(text), { code: 'INVALID_CONFIG', what: 'configuration' });
 * ```
 */
export function assertSafeValue<T>(value: T, context: SafeValueContext): T {
  const found = inspectValue(value, context);
  if (found === undefined) return value;
  const path = [...(context.path ?? []), ...found.path];
  const who = context.plugin === undefined ? '' : `${context.plugin}: `;
  throw new TactfulError(
    context.code,
    `${who}invalid ${context.what}: ${path.length > 0 ? `${formatPath(path)}: ` : ''}${found.message}`,
    { path, ...(context.plugin === undefined ? {} : { plugin: context.plugin }) },
  );
}

/**
 * `JSON.parse` of untrusted text, then {@link assertSafeValue} (plain data, bounds, forbidden keys).
 * Text that is not JSON gets the same typed error, at the root path.
 */
export function parseJsonSafely(text: string, context: SafeValueContext): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const who = context.plugin === undefined ? '' : `${context.plugin}: `;
    throw new TactfulError(context.code, `${who}invalid ${context.what}: not valid JSON`, {
      path: [...(context.path ?? [])],
      cause,
    });
  }
  return assertSafeValue(value, { plainData: true, ...context });
}
