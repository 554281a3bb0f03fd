import { describe, expect, it } from 'vitest';
import { compileCondition, compileConditionSet } from '@tactful/core';

const rules = [
  { 'profile.attributes.tier': 'gold' },
  { 'behavior.purchases': { $size: 0 } },
  { 'behavior.purchases.amount': { $gte: 100 }, 'profile.attributes.tier': { $ne: 'gold' } },
  { $or: [{ 'session.events.type': 'search' }, { 'profile.attributes.age': { $lt: 25 } }] },
];

describe('compileConditionSet', () => {
  it('evaluates every rule against the same facts, in order', () => {
    const set = compileConditionSet(rules);
    const facts = {
      profile: { attributes: { tier: 'silver', age: 22 } },
      behavior: { purchases: [{ amount: 150 }, { amount: 20 }] },
    };
    expect(set.evaluate(facts)).toEqual([false, false, true, true]);
    expect(set.matching(facts)).toEqual([2, 3]);
    expect(set.matching({ profile: { attributes: { tier: 'gold' } }, behavior: { purchases: [] } })).toEqual([
      0, 1,
    ]);
    expect(set.matching(null)).toEqual([]);
  });

  it('writes into a given array without allocating a new one', () => {
    const set = compileConditionSet(rules);
    const out: boolean[] = [];
    expect(set.evaluate({}, out)).toBe(out);
    expect(out).toEqual([false, false, false, false]);
  });

  it('agrees with the conditions compiled one by one, and exposes them', () => {
    const set = compileConditionSet(rules, { categories: ['profile.attributes', 'behavior.purchases'] });
    expect(set.conditions).toHaveLength(4);
    expect(set.categories).toEqual(['behavior.purchases', 'profile.attributes']);
    expect(set.paths).toEqual([
      'profile.attributes.tier',
      'behavior.purchases',
      'behavior.purchases.amount',
      'session.events.type',
      'profile.attributes.age',
    ]);
    const facts = { profile: { attributes: { tier: 'gold' } }, behavior: { purchases: [] } };
    expect(set.evaluate(facts)).toEqual(rules.map((r) => compileCondition(r)(facts)));
  });

  it('keeps nothing of the facts between evaluations', () => {
    const set = compileConditionSet([{ a: 1 }, { a: { $exists: true } }]);
    expect(set.evaluate({ a: 1 })).toEqual([true, true]);
    expect(set.evaluate({})).toEqual([false, false]);
    expect(set.evaluate({ a: 2 })).toEqual([false, true]);
  });

  it('names the rule index in errors', () => {
    expect(() => compileConditionSet([{ a: 1 }, { b: { $where: 'x' } }], { path: ['segments'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONDITION', path: ['segments', 1, 'b', '$where'] }),
    );
  });

  it('stays correct when re-entered from an accessor in the facts', () => {
    const set = compileConditionSet([{ a: 1 }, { b: 2 }]);
    let inner: boolean[] = [];
    const facts = {
      get a() {
        inner = set.evaluate({ a: 1, b: 3 });
        return 1;
      },
      b: 2,
    };
    expect(set.evaluate(facts)).toEqual([true, true]);
    expect(inner).toEqual([true, false]);
  });

  it('answers like the conditions one by one on arrays with repeated and missing elements', () => {
    const set = compileConditionSet([
      { tags: { $nin: ['x'] } },
      { tags: { $ne: 'x' }, n: { $gt: 1 } },
      { tags: { $in: ['x', 'y'] }, n: { $lt: 5 } },
      { tags: 'x', n: { $gte: 2, $lte: 2 } },
      { tags: { $all: ['x', 'y'] } },
      { tags: { $size: 2 } },
      { tags: { $not: { $size: 2 } } },
      { tags: { $exists: true }, d: { $gte: '2026-01-01' } },
      { tags: { $exists: false } },
      { n: { $gt: 1 }, tags: { $nin: ['z'] } },
    ]);
    const holey: unknown[] = ['x'];
    holey[2] = 'y';
    const cases: unknown[] = [
      { tags: ['x', 'x'], n: 2, d: '2026-02-01' },
      { tags: ['y', 'x', 'y'], n: 3 },
      { tags: holey, n: 2 },
      { tags: [], n: 0 },
      { tags: 'x', n: 2, d: '2025-12-31' },
      { tags: [['x'], { a: 1 }], n: 2 },
      { tags: { x: 1 }, n: [1, 4] },
      { n: Number.NaN },
      [{ tags: ['x'] }],
      'facts',
    ];
    const expected = [
      [false, false, true, true, false, true, false, true, false, true],
      [false, false, true, false, true, false, true, false, false, true],
      [false, false, true, true, true, false, true, false, false, true],
      [true, false, false, false, false, false, true, false, false, false],
      [false, false, true, true, false, false, true, false, false, true],
      [true, true, false, false, false, true, false, false, false, true],
      [true, true, false, false, false, false, true, false, false, true],
      [true, false, false, false, false, false, true, false, true, false],
      [false, false, false, false, false, false, true, false, false, false],
      [true, false, false, false, false, false, true, false, true, false],
    ];
    cases.forEach((facts, i) => {
      expect(set.evaluate(facts)).toEqual(set.conditions.map((c) => c(facts)));
      expect([i, set.evaluate(facts)]).toEqual([i, expected[i]]);
    });
  });

  it('never coerces in indexed comparisons: NaN, strings against numbers, numbers against strings', () => {
    const set = compileConditionSet([
      { n: { $lt: 5 } },
      { n: { $lte: 5 } },
      { n: { $gt: 0 } },
      { n: { $gte: '1' } },
      { n: { $lt: 'b' } },
    ]);
    expect(set.evaluate({ n: Number.NaN })).toEqual([false, false, false, false, false]);
    expect(set.evaluate({ n: '3' })).toEqual([false, false, false, true, true]);
    expect(set.evaluate({ n: 3 })).toEqual([true, true, true, false, false]);
    expect(set.evaluate({ n: true })).toEqual([false, false, false, false, false]);
  });

  it('answers comparisons at, between and beyond shared bounds like the conditions one by one', () => {
    const rules: Record<string, unknown>[] = [];
    for (const op of ['$gt', '$gte', '$lt', '$lte']) {
      for (const bound of [0, 2, 2, 4]) rules.push({ n: { [op]: bound } });
      for (const bound of ['2024-01-01', '2025-06-01', '2025-06-01']) rules.push({ d: { [op]: bound } });
    }
    const set = compileConditionSet(rules);
    for (const n of [-1, 0, 1, 2, 2.5, 4, 5]) {
      for (const d of ['2023-12-31', '2024-01-01', '2025-01-01', '2025-06-01', '2026-01-01']) {
        const facts = { n, d };
        expect(set.evaluate(facts)).toEqual(set.conditions.map((c) => c(facts)));
      }
    }
    expect(set.matching({ n: 2, d: '2025-06-01' })).toEqual([
      0, 4, 7, 8, 9, 11, 12, 13, 17, 22, 23, 24, 26, 27,
    ]);
  });
});
