import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTactfulError } from './errors.js';
import { FORBIDDEN_KEYS, assertSafeValue, inspectValue, parseJsonSafely } from './safe-value.js';

function nested(depth: number): unknown {
  let v: unknown = { leaf: true };
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe('inspectValue', () => {
  it('refuses every forbidden key at any depth, naming its path', () => {
    for (const key of FORBIDDEN_KEYS) {
      const parsed = JSON.parse(`{"rules":[{"when":{"${key}":{"x":1}}}]}`);
      const found = inspectValue(parsed);
      expect(found?.problem).toBe('forbidden-key');
      expect(found?.path).toEqual(['rules', 0, 'when', key]);
    }
  });

  it('refuses a forbidden key wherever fast-check puts it in any JSON value', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    fc.assert(
      fc.property(json, fc.constantFrom(...FORBIDDEN_KEYS), fc.nat(), (value, key, pick) => {
        // Put `{ key: ... }` as an own key somewhere in the value (as JSON.parse would).
        const text = JSON.stringify({
          wrap: [value, JSON.parse(`{"${key}": ${JSON.stringify(value) ?? 'null'}}`)],
        });
        const parsed = JSON.parse(text.replace('"wrap"', pick % 2 ? '"wrap"' : '"w"'));
        const found = inspectValue(parsed);
        expect(found?.problem).toBe('forbidden-key');
        // fast-check may put a forbidden key of its own in `value`, which comes first: then that one is named.
        const ownForbidden = /"(__proto__|constructor|prototype)":/.test(JSON.stringify(value) ?? '');
        if (ownForbidden) expect(FORBIDDEN_KEYS).toContain(found?.path.at(-1));
        else expect(found?.path.at(-1)).toBe(key);
      }),
    );
  });

  it('accepts every JSON value within the bounds, and freezes it all when asked', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const copy = JSON.parse(JSON.stringify(value) ?? 'null');
        // fast-check may generate "__proto__"/"constructor" keys itself: those must be refused.
        const hasForbidden = /"(__proto__|constructor|prototype)":/.test(JSON.stringify(value) ?? '');
        const found = inspectValue(copy, { plainData: true, freeze: true });
        if (hasForbidden) expect(found?.problem).toBe('forbidden-key');
        else {
          expect(found).toBeUndefined();
          const stack: unknown[] = [copy];
          while (stack.length) {
            const v = stack.pop();
            if (typeof v === 'object' && v !== null) {
              expect(Object.isFrozen(v)).toBe(true);
              stack.push(...Object.values(v));
            }
          }
        }
      }),
    );
  });

  it('walks 100,000 levels of nesting without a RangeError and reports the depth with a path', () => {
    const found = inspectValue(nested(100_000));
    expect(found?.problem).toBe('too-deep');
    expect(found?.path).toHaveLength(65);
  });

  it('reports a cycle as too deep instead of looping', () => {
    const a: Record<string, unknown> = {};
    a['self'] = a;
    expect(inspectValue(a)?.problem).toBe('too-deep');
  });

  it('bounds arrays, strings and the total number of values', () => {
    expect(inspectValue({ $in: new Array(10_001).fill(1) })).toMatchObject({
      problem: 'too-large',
      path: ['$in'],
    });
    expect(inspectValue({ s: 'x'.repeat(70_000) })?.problem).toBe('too-large');
    expect(inspectValue(new Array(200).fill(new Array(600).fill(0)))?.problem).toBe('too-large');
  });

  it('with plainData, refuses class instances, functions and non-finite numbers', () => {
    expect(inspectValue({ d: new Date() }, { plainData: true })?.path).toEqual(['d']);
    expect(inspectValue({ f: () => 1 }, { plainData: true })?.problem).toBe('not-plain-data');
    expect(inspectValue([Number.NaN], { plainData: true })?.path).toEqual([0]);
  });
});

describe('assertSafeValue / parseJsonSafely', () => {
  it('throws the given code with the full path', () => {
    try {
      assertSafeValue(JSON.parse('{"a":[{"__proto__":{}}]}'), {
        code: 'INVALID_CONFIG',
        what: 'configuration',
        path: ['file'],
      });
      expect.unreachable();
    } catch (error) {
      expect(isTactfulError(error) && error.code).toBe('INVALID_CONFIG');
      expect((error as { path: unknown }).path).toEqual(['file', 'a', 0, '__proto__']);
      expect((error as Error).message).toContain('file.a[0].__proto__');
    }
  });

  it('gives a typed error for text that is not JSON', () => {
    expect(() => parseJsonSafely('{', { code: 'INVALID_REQUEST', what: 'body' })).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }),
    );
  });
});
