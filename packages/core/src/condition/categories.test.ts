import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { categoriesOf, compileCondition, isTactfulError, nestCategories } from '@tactful/core';

describe('categoriesOf', () => {
  it('maps each path to the longest category that is a whole-segment prefix', () => {
    expect(
      categoriesOf(
        [
          'behavior.purchases.length',
          'context.location.coarse.country',
          'context.locale',
          'behaviorx',
          'other.thing',
        ],
        ['behavior.purchases', 'context', 'context.location.coarse', 'behavior'],
      ),
    ).toEqual(['behavior.purchases', 'context', 'context.location.coarse']);
  });

  it('defaults to the built-in categories in compileCondition', () => {
    const c = compileCondition({
      'location.precise.latitude': { $gt: 10 },
      'health.condition': 'x',
      'unknown.path': 1,
    });
    expect(c.categories).toEqual(['health', 'location.precise']);
  });
});

describe('nestCategories', () => {
  it('nests category-keyed data into facts conditions can read', () => {
    const purchases = [{ at: '2026-01-02T00:00:00Z', amount: 10 }];
    const facts = nestCategories({
      'behavior.purchases': purchases,
      'profile.attributes': { tier: 'gold' },
      'context.time': { now: '2026-01-02T08:00:00+07:00' },
    });
    expect(facts).toEqual({
      behavior: { purchases },
      profile: { attributes: { tier: 'gold' } },
      context: { time: { now: '2026-01-02T08:00:00+07:00' } },
    });
    expect((facts.behavior as { purchases: unknown }).purchases).toBe(purchases);
    expect(
      compileCondition({ 'behavior.purchases.amount': { $gte: 10 }, 'profile.attributes.tier': 'gold' })(
        facts,
      ),
    ).toBe(true);
  });

  it('merges objects that meet at the same place, in any order, without mutating the inputs', () => {
    const context = { locale: { locale: 'vi' } };
    const a = nestCategories({ context, 'context.time': { now: 'x' } });
    const b = nestCategories({ 'context.time': { now: 'x' }, context });
    expect(a).toEqual({ context: { locale: { locale: 'vi' }, time: { now: 'x' } } });
    expect(b).toEqual(a);
    expect(context).toEqual({ locale: { locale: 'vi' } });
  });

  it('rejects forbidden or empty segments and collisions with non-objects, with INVALID_INPUT', () => {
    for (const data of [
      { '__proto__.x': 1 },
      { 'a.constructor': 1 },
      { 'a..b': 1 },
      { a: 5, 'a.b': 1 },
      { 'a.b': 1, a: [1] },
    ]) {
      try {
        nestCategories(data);
        throw new Error('expected an error');
      } catch (error) {
        expect(isTactfulError(error) && error.code).toBe('INVALID_INPUT');
      }
    }
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('keeps an own "__proto__" key of a value as data, never as a prototype', () => {
    const value = JSON.parse('{ "__proto__": { "polluted": true }, "ok": 1 }');
    const facts = nestCategories({ 'profile.attributes': { other: 0 }, profile: { attributes: value } });
    const attributes = (facts.profile as { attributes: Record<string, unknown> }).attributes;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.hasOwn(attributes, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps every name Object.prototype has as an own data property, at any depth', () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
    const value = JSON.parse(
      `{ ${names.map((n) => `"${n}": { "${n}": "${n}" }`).join(', ')}, "ok": 1 }`,
    ) as Record<string, unknown>;
    const facts = nestCategories({ 'profile.attributes': { other: 0 }, profile: { attributes: value } });
    const attributes = (facts.profile as { attributes: Record<string, unknown> }).attributes;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    for (const n of names) {
      expect(Object.getOwnPropertyDescriptor(attributes, n)).toEqual({
        value: { [n]: n },
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    expect(attributes['ok']).toBe(1);
    expect(typeof ({} as { toString: unknown }).toString).toBe('function');
  });

  it('never runs a setter planted on Object.prototype: the value still lands as own data', () => {
    const calls: unknown[] = [];
    Object.defineProperty(Object.prototype, 'planted', {
      set(v) {
        calls.push(v);
      },
      configurable: true,
    });
    try {
      const facts = nestCategories({
        'a.planted': 1,
        a: { b: 2 },
        'c.d': { planted: 3 },
        c: { d: { e: 4 } },
      });
      expect(calls).toEqual([]);
      expect(Object.getOwnPropertyDescriptor(facts['a'], 'planted')?.value).toBe(1);
      const d = (facts['c'] as Record<string, Record<string, unknown>>)['d']!;
      expect(Object.getOwnPropertyDescriptor(d, 'planted')?.value).toBe(3);
      expect(d['e']).toBe(4);
    } finally {
      delete (Object.prototype as Record<string, unknown>)['planted'];
    }
  });

  it('nests as defining every property did, for any keys and values (property)', () => {
    const define = (t: Record<string, unknown>, k: string, v: unknown) =>
      Object.defineProperty(t, k, { value: v, writable: true, enumerable: true, configurable: true });
    const refMerge = (existing: unknown, value: unknown): unknown => {
      if (existing === undefined) return value;
      const out: Record<string, unknown> = { ...(existing as object) };
      for (const k of Object.keys(value as object))
        define(
          out,
          k,
          refMerge(Object.hasOwn(out, k) ? out[k] : undefined, (value as Record<string, unknown>)[k]),
        );
      return out;
    };
    const reference = (data: Record<string, unknown>) => {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(data)) {
        const segments = key.split('.');
        let node = out;
        for (const segment of segments.slice(0, -1)) {
          const existing = Object.hasOwn(node, segment) ? node[segment] : undefined;
          const child = existing === undefined ? {} : { ...(existing as object) };
          define(node, segment, child);
          node = child as Record<string, unknown>;
        }
        const last = segments[segments.length - 1]!;
        define(node, last, refMerge(Object.hasOwn(node, last) ? node[last] : undefined, data[key]));
      }
      return out;
    };
    const name = fc.constantFrom('a', 'b', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'x');
    const key = fc.array(fc.constantFrom('a', 'b', 'toString', 'valueOf', 'x'), {
      minLength: 1,
      maxLength: 3,
    });
    const leaf = fc.oneof(fc.integer(), fc.dictionary(name, fc.integer(), { maxKeys: 3 }));
    const value = fc.oneof(leaf, fc.dictionary(name, leaf, { maxKeys: 3 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 5 }), (entries) => {
        const data: Record<string, unknown> = {};
        for (const [k, v] of entries) data[k.join('.')] = JSON.parse(JSON.stringify(v));
        let expected: unknown;
        let expectedError = false;
        try {
          expected = reference(data);
        } catch {
          expectedError = true;
        }
        let got: unknown;
        try {
          got = nestCategories(data);
        } catch (error) {
          // Collisions with non-objects are refused; the reference (which checks nothing) then differs.
          expect(isTactfulError(error) && error.code).toBe('INVALID_INPUT');
          return;
        }
        expect(expectedError).toBe(false);
        expect(JSON.stringify(got)).toBe(JSON.stringify(expected));
        expect(got).toStrictEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
