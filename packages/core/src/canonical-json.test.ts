import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, isTactfulError } from './index.js';

/** JSON-like values with Dates and undefined members mixed in: what callers hand to canonicalJson. */
const value = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 2 }),
    fc.date({ noInvalidDate: true }),
    fc.constant(undefined),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('v'), { maxKeys: 4 }),
  ),
})).v;

function shuffledKeys(v: unknown, seed: number): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffledKeys(x, seed));
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  const keys = Object.keys(v);
  const order = keys
    .map((k, i) => [k, (i * 7919 + seed) % (keys.length + 1)] as const)
    .sort((a, b) => a[1] - b[1]);
  const out: Record<string, unknown> = {};
  for (const [k] of order)
    Object.defineProperty(out, k, {
      value: shuffledKeys((v as Record<string, unknown>)[k], seed),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

describe('canonicalJson', () => {
  it('for every value, parses back to what JSON.stringify gives (a Date is its ISO string, never {})', () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = canonicalJson(v);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v === undefined ? null : v) ?? 'null'));
      }),
      { numRuns: 500 },
    );
    expect(canonicalJson({ at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z"}');
    expect(canonicalJson([new Date(86_400_000)])).toBe('["1970-01-02T00:00:00.000Z"]');
  });

  it('for every value, is the same string whatever order the keys were written in', () => {
    fc.assert(
      fc.property(value, fc.nat(1000), (v, seed) => {
        expect(canonicalJson(shuffledKeys(v, seed))).toBe(canonicalJson(v));
      }),
      { numRuns: 300 },
    );
  });

  it('calls toJSON with the member name, as JSON.stringify does', () => {
    const seen: string[] = [];
    const probe = {
      toJSON(key: string) {
        seen.push(key);
        return `as ${key}`;
      },
    };
    expect(canonicalJson({ a: probe, list: [probe] })).toBe('{"a":"as a","list":["as 0"]}');
    expect(seen).toEqual(['a', '0']);
  });

  it('refuses what has no faithful JSON form (Map, Set, class instance, bigint, a cycle), naming the path', () => {
    class Point {
      x = 1;
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    for (const [bad, path] of [
      [{ m: new Map([[1, 2]]) }, 'm'],
      [{ list: [1, new Set([1])] }, 'list[1]'],
      [{ p: new Point() }, 'p'],
      [{ n: 10n }, 'n'],
      [cyclic, 'self'],
    ] as const) {
      try {
        canonicalJson(bad);
        expect.unreachable(path);
      } catch (error) {
        expect(isTactfulError(error) && error.code).toBe('INVALID_INPUT');
        expect((error as Error).message).toContain(path);
      }
    }
  });

  it('leaves out functions and symbols as members (null in arrays), like JSON.stringify', () => {
    expect(canonicalJson({ f: () => 1, s: Symbol('x'), u: undefined, k: 1 })).toBe('{"k":1}');
    expect(canonicalJson([() => 1, undefined])).toBe('[null,null]');
    expect(canonicalJson(Object.assign(Object.create(null), { b: 2, a: 1 }))).toBe('{"a":1,"b":2}');
  });
});
