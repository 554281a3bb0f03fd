import { TactfulError, formatPath } from './errors.js';
import { fnv1a32 } from './fnv.js';

/**
 * Canonical JSON: object keys sorted, no whitespace, `undefined` (and function or symbol) members
 * left out (`null` in arrays), non-finite numbers as `null`, and a value with a `toJSON` method
 * (a `Date`) replaced by what that method returns, as `JSON.stringify` does — so parsing the
 * result gives what `JSON.parse(JSON.stringify(value))` gives. Two values that are equal as data
 * give the same string whatever the order their keys were written in: it is what consent records,
 * the notice and the audit trail hash.
 *
 * Values JSON has no faithful form for are refused rather than hashed as something else: a `Map`,
 * a `Set` or another non-plain object without `toJSON` (which `JSON.stringify` would write as `{}`),
 * a `bigint`, and a cycle.
 *
 * @throws TactfulError `INVALID_INPUT` naming the path of the value that has no JSON form.
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 * canonicalJson({ at: new Date(0) }); // '{"at":"1970-01-01T00:00:00.000Z"}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  const text = write(value, '', [], new Set());
  return text === SKIP ? 'null' : text;
}

function refuse(path: ReadonlyArray<string | number>, what: string): never {
  const where = path.length === 0 ? 'the value' : formatPath(path);
  throw new TactfulError(
    'INVALID_INPUT',
    `canonicalJson: ${where} is ${what}, which has no JSON form; convert it to plain data (strings, numbers, booleans, null, arrays, plain objects) first`,
    { path },
  );
}

/** `undefined` when the member is left out (undefined, a function, a symbol), else its JSON text. */
function write(input: unknown, key: string, path: Array<string | number>, ancestors: Set<object>): string {
  let value = input;
  if (value !== null && (typeof value === 'object' || typeof value === 'bigint')) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, key);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'bigint':
      return refuse(path, 'a bigint');
    case 'undefined':
    case 'function':
    case 'symbol':
      return SKIP;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.has(object)) refuse(path, 'a reference to one of its own ancestors (a cycle)');
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      const items = object.map((item, i) => {
        const text = write(item, String(i), [...path, i], ancestors);
        return text === SKIP ? 'null' : text;
      });
      return `[${items.join(',')}]`;
    }
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      refuse(path, `a ${object.constructor?.name ?? 'non-plain object'} without toJSON`);
    }
    const record = object as Record<string, unknown>;
    const members: string[] = [];
    for (const k of Object.keys(record).sort()) {
      const text = write(record[k], k, [...path, k], ancestors);
      if (text !== SKIP) members.push(`${JSON.stringify(k)}:${text}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(object);
  }
}

/** Marks a member left out (never a JSON text: JSON texts are non-empty). */
const SKIP = '';

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/**
 * A fingerprint of JSON data: FNV-1a ({@link fnv1a32}) of its {@link canonicalJson}, forwards and of
 * its reverse, with its length. It tells a changed or stale value from the one written (a compiled
 * plan, a prebuilt catalog); it is a checksum, not a signature.
 */
export function jsonFingerprint(value: unknown): string {
  const text = canonicalJson(value);
  let reversed = '';
  for (let i = text.length - 1; i >= 0; i--) reversed += text[i];
  return `${hex8(fnv1a32(text))}${hex8(fnv1a32(reversed))}-${text.length.toString(36)}`;
}
