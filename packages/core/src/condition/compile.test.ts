import { describe, expect, it } from 'vitest';
import { compileCondition as compileWithoutEngine, type CompileConditionOptions } from '@tactful/core';
import { re2Regex } from '@tactful/core/regex';

// These suites prove the language with its RE2 engine; regex.test.ts proves the page path without it.
const compileCondition = (rule: unknown, options: CompileConditionOptions = {}) =>
  compileWithoutEngine(rule, { regex: re2Regex, ...options });

const person = {
  age: 34,
  name: 'Lan',
  plan: 'pro',
  vip: true,
  score: 0.75,
  nickname: null,
  signupDate: '2025-03-14',
  tags: ['kids', 'toys', 'sale'],
  sizes: [38, 39],
  address: { city: 'Hanoi', country: 'VN', geo: { lat: 21.03 } },
  purchases: [
    { productId: 'p1', amount: 120, topics: ['kids'] },
    { productId: 'p2', amount: 40, topics: ['books', 'kids'] },
  ],
  matrix: [
    [1, 2],
    [3, 4],
  ],
};

const matches = (rule: unknown, facts: unknown = person) => compileCondition(rule)(facts);

describe('compileCondition: equality', () => {
  it('matches a literal by strict equality (implicit $eq)', () => {
    expect(matches({ plan: 'pro' })).toBe(true);
    expect(matches({ plan: 'free' })).toBe(false);
    expect(matches({ age: 34 })).toBe(true);
    expect(matches({ vip: true })).toBe(true);
    expect(matches({ $and: [{ plan: { $eq: 'pro' } }, { age: { $eq: 34 } }] })).toBe(true);
  });

  it('matches an array field when one element equals the value', () => {
    expect(matches({ tags: 'toys' })).toBe(true);
    expect(matches({ tags: { $eq: 'sale' } })).toBe(true);
    expect(matches({ tags: 'garden' })).toBe(false);
  });

  it('matches a whole array or object by deep equality (arrays in order, object keys in any order)', () => {
    expect(matches({ sizes: [38, 39] })).toBe(true);
    expect(matches({ sizes: [39, 38] })).toBe(false);
    expect(matches({ address: { geo: { lat: 21.03 }, country: 'VN', city: 'Hanoi' } })).toBe(true);
    expect(matches({ address: { city: 'Hanoi' } })).toBe(false);
    expect(matches({ matrix: [3, 4] })).toBe(true);
  });

  it('treats null as "null or missing"', () => {
    expect(matches({ nickname: null })).toBe(true);
    expect(matches({ middleName: null })).toBe(true);
    expect(matches({ name: null })).toBe(false);
    expect(matches({ middleName: { $ne: null } })).toBe(false);
  });

  it('$ne holds for missing fields and for arrays with no equal element', () => {
    expect(matches({ plan: { $ne: 'free' } })).toBe(true);
    expect(matches({ plan: { $ne: 'pro' } })).toBe(false);
    expect(matches({ missing: { $ne: 'x' } })).toBe(true);
    expect(matches({ tags: { $ne: 'kids' } })).toBe(false);
    expect(matches({ tags: { $ne: 'garden' } })).toBe(true);
  });
});

describe('compileCondition: comparisons', () => {
  it('compares numbers with numbers', () => {
    expect(matches({ age: { $gt: 30 } })).toBe(true);
    expect(matches({ age: { $gt: 34 } })).toBe(false);
    expect(matches({ age: { $gte: 34 } })).toBe(true);
    expect(matches({ age: { $lt: 34 } })).toBe(false);
    expect(matches({ age: { $lte: 34 } })).toBe(true);
    expect(matches({ age: { $gte: 18, $lt: 65 } })).toBe(true);
    expect(matches({ age: { $gte: 40, $lt: 65 } })).toBe(false);
  });

  it('compares strings with strings, so ISO dates compare in time order', () => {
    expect(matches({ signupDate: { $gte: '2025-01-01' } })).toBe(true);
    expect(matches({ signupDate: { $lt: '2025-03-01' } })).toBe(false);
    expect(matches({ name: { $gt: 'K' } })).toBe(true);
  });

  it('never coerces: a string bound never matches a number and vice versa', () => {
    expect(matches({ n: { $gt: '10' } }, { n: 9 })).toBe(false);
    expect(matches({ n: { $gt: '10' } }, { n: 11 })).toBe(false);
    expect(matches({ n: { $lt: 10 } }, { n: '9' })).toBe(false);
    expect(matches({ n: 1 }, { n: '1' })).toBe(false);
    expect(matches({ n: true }, { n: 1 })).toBe(false);
    expect(matches({ n: { $gte: 0 } }, { n: null })).toBe(false);
    expect(matches({ n: { $gte: 0 } }, { n: false })).toBe(false);
  });

  it('matches an array field when one element satisfies the comparison', () => {
    expect(matches({ sizes: { $gt: 38 } })).toBe(true);
    expect(matches({ sizes: { $gt: 39 } })).toBe(false);
    expect(matches({ 'purchases.amount': { $gte: 100 } })).toBe(true);
    expect(matches({ 'purchases.amount': { $gt: 500 } })).toBe(false);
  });

  it('is false for missing fields', () => {
    expect(matches({ height: { $gt: 0 } })).toBe(false);
    expect(matches({ height: { $lt: 0 } })).toBe(false);
  });
});

describe('compileCondition: membership', () => {
  it('$in matches a scalar in the list, or an array sharing an element with it', () => {
    expect(matches({ plan: { $in: ['pro', 'enterprise'] } })).toBe(true);
    expect(matches({ plan: { $in: ['free', 'basic'] } })).toBe(false);
    expect(matches({ tags: { $in: ['garden', 'toys'] } })).toBe(true);
    expect(matches({ tags: { $in: ['garden'] } })).toBe(false);
    expect(matches({ plan: { $in: [] } })).toBe(false);
  });

  it('$in works with long lists, mixed types, objects and null', () => {
    const many = Array.from({ length: 50 }, (_, i) => `plan-${i}`);
    expect(matches({ plan: { $in: [...many, 'pro'] } })).toBe(true);
    expect(matches({ plan: { $in: many } })).toBe(false);
    expect(matches({ age: { $in: ['34', 35] } })).toBe(false);
    expect(matches({ middleName: { $in: [null, 'x'] } })).toBe(true);
    expect(matches({ sizes: { $in: [[38, 39]] } })).toBe(true);
  });

  it('$nin is the negation of $in and holds for missing fields', () => {
    expect(matches({ plan: { $nin: ['free', 'basic'] } })).toBe(true);
    expect(matches({ plan: { $nin: ['pro'] } })).toBe(false);
    expect(matches({ tags: { $nin: ['toys'] } })).toBe(false);
    expect(matches({ missing: { $nin: ['x'] } })).toBe(true);
  });

  it('$all needs every value among the elements', () => {
    expect(matches({ tags: { $all: ['kids', 'sale'] } })).toBe(true);
    expect(matches({ tags: { $all: ['kids', 'garden'] } })).toBe(false);
    expect(matches({ plan: { $all: ['pro'] } })).toBe(true);
    expect(matches({ tags: { $all: [] } })).toBe(false);
  });
});

describe('compileCondition: arrays', () => {
  it('$size matches the length of an array', () => {
    expect(matches({ tags: { $size: 3 } })).toBe(true);
    expect(matches({ tags: { $size: 2 } })).toBe(false);
    expect(matches({ plan: { $size: 3 } })).toBe(false);
    expect(matches({ empty: { $size: 0 } }, { empty: [] })).toBe(true);
  });

  it('$elemMatch with operators tests each element as a value', () => {
    expect(matches({ sizes: { $elemMatch: { $gt: 38, $lt: 40 } } })).toBe(true);
    expect(matches({ sizes: { $elemMatch: { $gt: 39 } } })).toBe(false);
  });

  it('$elemMatch with fields needs one element to satisfy all of them', () => {
    expect(matches({ purchases: { $elemMatch: { productId: 'p2', amount: { $lt: 50 } } } })).toBe(true);
    // p1 has amount 120 and p2 has productId p2, but no single element has both.
    expect(matches({ purchases: { $elemMatch: { productId: 'p2', amount: { $gt: 100 } } } })).toBe(false);
    expect(matches({ purchases: { $elemMatch: { topics: 'books' } } })).toBe(true);
    expect(matches({ purchases: { $elemMatch: { $or: [{ amount: 1 }, { productId: 'p1' }] } } })).toBe(true);
    expect(matches({ plan: { $elemMatch: { $eq: 'pro' } } })).toBe(false);
  });

  it('lets each operator match a different element through an array, unlike $elemMatch', () => {
    expect(matches({ 'purchases.amount': { $gt: 100, $lt: 50 } })).toBe(true);
    expect(matches({ purchases: { $elemMatch: { amount: { $gt: 100, $lt: 50 } } } })).toBe(false);
  });

  it('reads through arrays of objects on the way (any element)', () => {
    expect(matches({ 'purchases.productId': 'p2' })).toBe(true);
    expect(matches({ 'purchases.topics': 'books' })).toBe(true);
    expect(matches({ 'purchases.productId': { $exists: true } })).toBe(true);
    expect(matches({ 'purchases.coupon': { $exists: true } })).toBe(false);
  });

  it('indexes arrays with numeric segments and measures them with length', () => {
    expect(matches({ 'tags.0': 'kids' })).toBe(true);
    expect(matches({ 'tags.1': 'kids' })).toBe(false);
    expect(matches({ 'tags.9': { $exists: true } })).toBe(false);
    expect(matches({ 'purchases.1.amount': 40 })).toBe(true);
    expect(matches({ 'tags.length': { $gte: 3 } })).toBe(true);
    expect(matches({ 'purchases.length': 2 })).toBe(true);
  });

  it('evaluates facts that are arrays or primitives without throwing', () => {
    expect(matches({ productId: 'p1' }, person.purchases)).toBe(true);
    expect(matches({ productId: 'p9' }, person.purchases)).toBe(false);
    for (const facts of [null, undefined, 42, 'text', true]) {
      expect(compileCondition({ plan: 'pro' })(facts)).toBe(false);
      expect(compileCondition({ 'a.b': { $gt: 1 } })(facts)).toBe(false);
      expect(compileCondition({ plan: { $exists: false } })(facts)).toBe(true);
    }
  });
});

describe('compileCondition: $exists, $regex', () => {
  it('$exists tells present (even null) from missing', () => {
    expect(matches({ nickname: { $exists: true } })).toBe(true);
    expect(matches({ middleName: { $exists: true } })).toBe(false);
    expect(matches({ middleName: { $exists: false } })).toBe(true);
    expect(matches({ 'address.city': { $exists: true } })).toBe(true);
    expect(matches({ 'address.zip': { $exists: false } })).toBe(true);
    expect(matches({ 'name.first': { $exists: true } })).toBe(false);
  });

  it('$regex matches strings (and string elements), with options i, m and s', () => {
    expect(matches({ name: { $regex: '^La' } })).toBe(true);
    expect(matches({ name: { $regex: '^la' } })).toBe(false);
    expect(matches({ name: { $regex: '^la', $options: 'i' } })).toBe(true);
    expect(matches({ tags: { $regex: '^to' } })).toBe(true);
    expect(matches({ age: { $regex: '34' } })).toBe(false);
    expect(matches({ text: { $regex: '^b$', $options: 'm' } }, { text: 'a\nb\nc' })).toBe(true);
    expect(matches({ text: { $regex: '^b$' } }, { text: 'a\nb\nc' })).toBe(false);
    expect(matches({ text: { $regex: 'a.b', $options: 's' } }, { text: 'a\nb' })).toBe(true);
    expect(matches({ text: { $regex: 'a.b' } }, { text: 'a\nb' })).toBe(false);
    expect(matches({ email: { $regex: '@(gmail|yahoo)\\.com$' } }, { email: 'lan@gmail.com' })).toBe(true);
    expect(matches({ ref: { $regex: 'facebook|zalo' } }, { ref: 'https://zalo.me/x' })).toBe(true);
  });
});

describe('compileCondition: logic', () => {
  it('requires every field of an object ($and of fields)', () => {
    expect(matches({ plan: 'pro', age: { $gt: 30 }, 'address.country': 'VN' })).toBe(true);
    expect(matches({ plan: 'pro', age: { $gt: 40 } })).toBe(false);
  });

  it('$and, $or and $nor combine rules', () => {
    expect(matches({ $or: [{ plan: 'free' }, { age: 34 }] })).toBe(true);
    expect(matches({ $or: [{ plan: 'free' }, { age: 35 }] })).toBe(false);
    expect(matches({ $and: [{ plan: 'pro' }, { $or: [{ vip: false }, { score: { $gte: 0.5 } }] }] })).toBe(
      true,
    );
    expect(matches({ $nor: [{ plan: 'free' }, { age: 99 }] })).toBe(true);
    expect(matches({ $nor: [{ plan: 'pro' }] })).toBe(false);
  });

  it('$not negates an operator expression, and holds for missing fields', () => {
    expect(matches({ age: { $not: { $gt: 40 } } })).toBe(true);
    expect(matches({ age: { $not: { $gt: 30 } } })).toBe(false);
    expect(matches({ height: { $not: { $gt: 30 } } })).toBe(true);
    expect(matches({ name: { $not: { $regex: '^X' } } })).toBe(true);
  });

  it('$not on a rule negates the whole rule', () => {
    expect(matches({ $not: { plan: 'pro', vip: true } })).toBe(false);
    expect(matches({ $not: { plan: 'free' } })).toBe(true);
  });

  it('an empty rule matches everything', () => {
    expect(matches({})).toBe(true);
    expect(matches({}, null)).toBe(true);
  });
});

describe('compileCondition: the compiled value', () => {
  it('is a frozen function carrying its paths, categories and a frozen copy of the rule', () => {
    const rule = {
      'profile.attributes.age': { $gte: 18 },
      $or: [{ 'behavior.purchases': { $size: 0 } }, { x: 1 }],
    };
    const compiled = compileCondition(rule);
    expect(Object.isFrozen(compiled)).toBe(true);
    expect(compiled.paths).toEqual(['profile.attributes.age', 'behavior.purchases', 'x']);
    expect(compiled.categories).toEqual(['behavior.purchases', 'profile.attributes']);
    expect(compiled.rule).toEqual(rule);
    expect(compiled.rule).not.toBe(rule);
    expect(Object.isFrozen(compiled.rule)).toBe(true);
    rule['profile.attributes.age'].$gte = 99;
    expect(compiled({ profile: { attributes: { age: 20 } }, x: 1 })).toBe(true);
  });

  it('reports paths inside $elemMatch documents joined to the array path', () => {
    const compiled = compileCondition({
      'behavior.purchases': { $elemMatch: { amount: { $gt: 5 }, 'item.sku': 'a' } },
    });
    expect(compiled.paths).toEqual([
      'behavior.purchases',
      'behavior.purchases.amount',
      'behavior.purchases.item.sku',
    ]);
    expect(compiled.categories).toEqual(['behavior.purchases']);
  });

  it('reports categories by the longest whole-segment prefix among the given ones', () => {
    const compiled = compileCondition(
      {
        'context.location.coarse.country': 'VN',
        'context.time.hour': { $gt: 18 },
        'contextual.x': 1,
        other: 1,
      },
      { categories: ['context', 'context.location.coarse', 'context.time'] },
    );
    expect(compiled.categories).toEqual(['context.location.coarse', 'context.time']);
  });

  it('gives the same answers through long paths', () => {
    const facts = { a: { b: { c: { d: [{ e: 5 }, { e: 7 }] } } } };
    expect(matches({ 'a.b.c.d.e': 7 }, facts)).toBe(true);
    expect(matches({ 'a.b.c.d.e': { $gt: 7 } }, facts)).toBe(false);
    expect(matches({ 'a.b.c.d': { $size: 2 } }, facts)).toBe(true);
    expect(matches({ 'a.b.c': { $exists: true }, 'a.b.x.y': { $exists: false } }, facts)).toBe(true);
  });
});

describe('ranges (a lower and an upper bound on one path)', () => {
  it('hold when each bound is met, by the value or, in an array, by any element', () => {
    const inherited = Object.create({ n: 3 }) as Record<string, unknown>;
    const values: unknown[] = [1, 2, 3, 5, 6, 2.5, '3', null, [1, 6], [0, 1], [3], [[3]], { n: 3 }];
    const cmp: Record<string, (v: number, b: number) => boolean> = {
      $gt: (v, b) => v > b,
      $gte: (v, b) => v >= b,
      $lt: (v, b) => v < b,
      $lte: (v, b) => v <= b,
    };
    const meets = (v: unknown, op: string, b: number): boolean =>
      Array.isArray(v)
        ? v.some((e) => typeof e === 'number' && cmp[op]!(e, b))
        : typeof v === 'number' && cmp[op]!(v, b);
    for (const lower of ['$gt', '$gte']) {
      for (const upper of ['$lt', '$lte']) {
        for (const rule of [{ n: { [lower]: 2, [upper]: 5 } }, { n: { [upper]: 5, [lower]: 2 } }]) {
          const test = compileCondition(rule);
          for (const v of values) {
            expect([rule, v, test({ n: v })]).toEqual([rule, v, meets(v, lower, 2) && meets(v, upper, 5)]);
          }
          expect(test({})).toBe(false);
          expect(test(inherited)).toBe(false);
        }
      }
    }
  });
});
