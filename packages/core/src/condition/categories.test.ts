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
});
