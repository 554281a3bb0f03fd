import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONDITION_LIMITS,
  type TactfulError,
  compileCondition as compileWithoutEngine,
  compileConditionSet as compileSetWithoutEngine,
  isTactfulError,
  type CompileConditionOptions,
} from '@tactful/core';
import { re2Regex } from '@tactful/core/regex';

// These suites prove the language with its RE2 engine; regex.test.ts proves the page path without it.
const compileCondition = (rule: unknown, options: CompileConditionOptions = {}) =>
  compileWithoutEngine(rule, { regex: re2Regex, ...options });
const compileConditionSet = (rules: readonly unknown[], options: CompileConditionOptions = {}) =>
  compileSetWithoutEngine(rules, { regex: re2Regex, ...options });

/** Compiles `rule` expecting an INVALID_CONDITION error; returns it. */
function rejects(rule: unknown, options?: Parameters<typeof compileCondition>[1]): TactfulError {
  try {
    compileCondition(rule, options);
  } catch (error) {
    expect(isTactfulError(error)).toBe(true);
    const e = error as TactfulError;
    expect(e.code).toBe('INVALID_CONDITION');
    return e;
  }
  throw new Error(`expected ${JSON.stringify(rule)} to be rejected`);
}

describe('safety: operators', () => {
  it('rejects unknown operators at compile time, naming the path', () => {
    const e = rejects({ profile: { age: 3 }, 'profile.age': { $gt: 1, $near: [1, 2] } });
    expect(e.path).toEqual(['profile.age', '$near']);
    expect(e.message).toContain('profile.age.$near');
    expect(e.message).toContain('unknown operator "$near"');
    expect(rejects({ $foo: [] }).path).toEqual(['$foo']);
  });

  it('rejects code-running operators ($where, $function, $expr, $accumulator) anywhere', () => {
    for (const op of ['$where', '$function', '$expr', '$accumulator']) {
      const top = rejects({ [op]: 'return true' });
      expect(top.path).toEqual([op]);
      expect(top.message).toContain('never run code');
      const nested = rejects({ $or: [{ a: 1 }, { [op]: { body: 'x' } }] });
      expect(nested.path).toEqual(['$or', 1, op]);
      const inField = rejects({ a: { [op]: 'x' } });
      expect(inField.path).toEqual(['a', op]);
      const inElem = rejects({ a: { $elemMatch: { b: 1, [op]: 'x' } } });
      expect(inElem.path).toEqual(['a', '$elemMatch', op]);
    }
  });

  it('prefixes error paths with options.path', () => {
    const e = rejects({ age: { $gt: '1', $bad: 1 } }, { path: ['segments', 2, 'condition'] });
    expect(e.path).toEqual(['segments', 2, 'condition', 'age', '$bad']);
    expect(e.message).toContain('segments[2].condition.age.$bad');
  });

  it('rejects malformed operands with a message saying what is expected', () => {
    expect(rejects({ a: { $in: 'x' } }).message).toContain('$in takes an array');
    expect(rejects({ a: { $nin: { x: 1 } } }).message).toContain('$nin takes an array');
    expect(rejects({ a: { $all: 3 } }).message).toContain('$all takes an array');
    expect(rejects({ a: { $size: -1 } }).message).toContain('non-negative integer');
    expect(rejects({ a: { $size: 1.5 } }).message).toContain('non-negative integer');
    expect(rejects({ a: { $size: '2' } }).message).toContain('non-negative integer');
    expect(rejects({ a: { $exists: 1 } }).message).toContain('true or false');
    expect(rejects({ a: { $gt: true } }).message).toContain('number or a string');
    expect(rejects({ a: { $gt: null } }).message).toContain('number or a string');
    expect(rejects({ a: { $gt: [1] } }).message).toContain('number or a string');
    expect(rejects({ a: { $not: 5 } }).message).toContain('$not takes an operator object');
    expect(rejects({ a: { $elemMatch: 5 } }).message).toContain('$elemMatch takes a non-empty object');
    expect(rejects({ a: { $elemMatch: {} } }).message).toContain('$elemMatch takes a non-empty object');
    expect(rejects({ $and: [] }).message).toContain('non-empty array of rules');
    expect(rejects({ $or: {} }).message).toContain('non-empty array of rules');
    expect(rejects({ $and: [5] }).path).toEqual(['$and', 0]);
    expect(rejects({ $not: [] }).message).toContain('$not on a rule takes a rule object');
    expect(rejects({ a: { $options: 'i' } }).message).toContain('$options only goes with $regex');
    expect(rejects({ a: { $gt: 1, b: 2 } }).message).toContain('mixes operators and field names');
    expect(rejects([{ a: 1 }]).message).toContain('a rule is an object');
    expect(rejects('age > 3').message).toContain('a rule is an object');
  });

  it('rejects NaN and Infinity anywhere in a rule', () => {
    expect(rejects({ a: Number.NaN }).path).toEqual(['a']);
    expect(rejects({ a: { $gt: Number.POSITIVE_INFINITY } }).path).toEqual(['a', '$gt']);
    expect(rejects({ a: { $lt: Number.NEGATIVE_INFINITY } }).path).toEqual(['a', '$lt']);
    expect(rejects({ a: { $in: [1, Number.NaN] } }).path).toEqual(['a', '$in', 1]);
    expect(rejects({ a: { b: [{ c: Number.POSITIVE_INFINITY }] } }).path).toEqual(['a', 'b', 0, 'c']);
  });

  it('rejects values that are not JSON (functions, dates, regexps, class instances, undefined, bigint)', () => {
    class Point {
      x = 1;
    }
    for (const value of [() => true, new Date(), /x/, new Point(), undefined, 10n, Symbol('s'), new Map()]) {
      expect(rejects({ a: value }).path).toEqual(['a']);
    }
    expect(rejects({ a: { $in: [new Date()] } }).path).toEqual(['a', '$in', 0]);
  });

  it('rejects $-keys inside literal objects', () => {
    expect(rejects({ a: { b: { $gt: 1 } } }).path).toEqual(['a', 'b', '$gt']);
  });
});

describe('safety: prototypes', () => {
  it('rejects paths through __proto__, constructor or prototype', () => {
    for (const path of [
      '__proto__',
      'constructor',
      'a.__proto__.polluted',
      'a.constructor.prototype',
      'x.prototype',
    ]) {
      const e = rejects({ [path]: 1 });
      expect(e.path).toEqual([path]);
      expect(e.message).toContain('never read');
    }
    const nested = rejects({ a: { $elemMatch: { 'b.constructor': 1 } } });
    expect(nested.path).toEqual(['a', '$elemMatch', 'b.constructor']);
  });

  it('rejects forbidden keys in literal objects, even when made by JSON.parse', () => {
    const rule = JSON.parse('{ "a": { "__proto__": { "polluted": true } } }');
    expect(rejects(rule).path).toEqual(['a', '__proto__']);
    expect(rejects({ a: { $eq: { constructor: 1 } } }).path).toEqual(['a', '$eq', 'constructor']);
  });

  it('rejects empty path segments and operators inside paths', () => {
    expect(rejects({ 'a..b': 1 }).message).toContain('empty segment');
    expect(rejects({ '.a': 1 }).message).toContain('empty segment');
    expect(rejects({ '': 1 }).message).toContain('empty segment');
    expect(rejects({ 'a.$gt': 1 }).message).toContain('starting with "$"');
  });

  it('reads own properties of facts only: inherited values never match', () => {
    const proto = { plan: 'pro', tags: ['vip'], nested: { deep: 1 } };
    const facts = Object.create(proto) as Record<string, unknown>;
    facts.age = 30;
    expect(compileCondition({ plan: 'pro' })(facts)).toBe(false);
    expect(compileCondition({ plan: { $exists: true } })(facts)).toBe(false);
    expect(compileCondition({ tags: 'vip' })(facts)).toBe(false);
    expect(compileCondition({ 'nested.deep': 1 })(facts)).toBe(false);
    expect(compileCondition({ age: 30 })(facts)).toBe(true);
    // Names that exist on Object.prototype are missing unless own.
    expect(compileCondition({ toString: { $exists: true } })({})).toBe(false);
    expect(compileCondition({ hasOwnProperty: { $exists: true } })({ a: 1 })).toBe(false);
    expect(compileCondition({ 'a.valueOf': { $exists: true } })({ a: {} })).toBe(false);
    expect(compileCondition({ toString: 'x' })({ toString: 'x' })).toBe(true);
  });

  it('treats inherited values as missing for every operator, negated or not', () => {
    const inherited = { plan: 'pro', n: 5, tags: ['a'], coupon: 'x', mail: 'a@b.vn' };
    const facts = Object.create(inherited) as Record<string, unknown>;
    const own = { ...inherited };
    const cases: Array<[Record<string, unknown>, boolean, boolean]> = [
      // rule, answer on the inheriting facts (as if missing), answer with the same values own
      [{ plan: 'pro' }, false, true],
      [{ plan: { $ne: 'pro' } }, true, false],
      [{ plan: { $in: ['pro', 'x'] } }, false, true],
      [{ plan: { $nin: ['pro'] } }, true, false],
      [{ plan: { $in: ['pro', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] } }, false, true],
      [{ n: { $lt: 10 } }, false, true],
      [{ n: { $gte: 5 } }, false, true],
      [{ n: { $not: { $gt: 10 } } }, true, true],
      [{ n: { $not: { $lt: 10 } } }, true, false],
      [{ tags: 'a' }, false, true],
      [{ tags: { $size: 1 } }, false, true],
      [{ tags: { $not: { $size: 1 } } }, true, false],
      [{ coupon: { $exists: true } }, false, true],
      [{ coupon: { $exists: false } }, true, false],
      [{ mail: { $regex: '\\.vn$' } }, false, true],
      [{ mail: { $not: { $regex: '\\.vn$' } } }, true, false],
      [{ tags: { $elemMatch: { $eq: 'a' } } }, false, true],
    ];
    for (const [rule, onInherited, onOwn] of cases) {
      expect([rule, compileCondition(rule)(facts)]).toEqual([rule, onInherited]);
      expect([rule, compileCondition(rule)(own)]).toEqual([rule, onOwn]);
      const set = compileConditionSet([rule]);
      expect([rule, set.evaluate(facts)[0], set.evaluate(own)[0]]).toEqual([rule, onInherited, onOwn]);
    }
  });

  it('ignores a polluted Object.prototype or Array.prototype', () => {
    const objectProto = Object.prototype as Record<string, unknown>;
    const arrayProto = Array.prototype as unknown as Record<number, unknown>;
    objectProto.isAdmin = true;
    arrayProto[1] = 'vip';
    try {
      expect(compileCondition({ isAdmin: true })({})).toBe(false);
      expect(compileCondition({ 'user.isAdmin': true })({ user: {} })).toBe(false);
      expect(compileCondition({ isAdmin: { $exists: true } })({ a: 1 })).toBe(false);
      // A holey array: index 1 is missing, whatever Array.prototype says.
      // biome-ignore lint/suspicious/noSparseArray: a hole is the point of this test
      const holey = ['a', , 'c'];
      expect(compileCondition({ tags: 'vip' })({ tags: holey })).toBe(false);
      expect(compileCondition({ 'tags.1': 'vip' })({ tags: holey })).toBe(false);
      expect(compileCondition({ tags: { $in: ['vip', 'x'] } })({ tags: holey })).toBe(false);
      const set = compileConditionSet([{ isAdmin: true }, { tags: 'vip' }, { tags: { $in: ['vip'] }, x: 1 }]);
      expect(set.evaluate({ tags: holey, x: 1 })).toEqual([false, false, false]);
    } finally {
      delete objectProto.isAdmin;
      delete arrayProto[1];
    }
  });

  it('never pollutes: compiling and evaluating hostile rules and facts leaves prototypes untouched', () => {
    const hostileFacts = JSON.parse(
      '{ "__proto__": { "polluted": 1 }, "a": { "__proto__": { "polluted": 2 } } }',
    );
    const rules = [
      { a: { $exists: true } },
      { 'a.b': 1 },
      { a: { polluted: 2 } },
      { polluted: { $exists: true } },
    ];
    for (const rule of rules) compileCondition(rule)(hostileFacts);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // An own "__proto__" key of the facts is never read either: the path is rejected.
    expect(() => compileCondition({ '__proto__.polluted': 1 })).toThrow(/never read/);
  });
});

describe('safety: no code generation', () => {
  it('the condition compiler never uses eval or new Function (strict CSP, edge runtimes)', () => {
    const dir = new URL('.', import.meta.url);
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      // Code only: comments may mention what the code never does.
      const text = readFileSync(new URL(file, dir), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      expect(text, file).not.toMatch(/\beval\s*\(|new\s+Function\b|\bFunction\s*\(/);
      expect(text, file).not.toMatch(/from 'node:/);
    }
  });
});

describe('safety: caps', () => {
  it('documents defaults', () => {
    expect(DEFAULT_CONDITION_LIMITS).toEqual({
      maxDepth: 32,
      maxArrayLength: 1000,
      maxRegexLength: 512,
      maxNodes: 10_000,
      maxPathSegments: 32,
      maxStringLength: 4096,
    });
    expect(Object.isFrozen(DEFAULT_CONDITION_LIMITS)).toBe(true);
  });

  it('caps nesting depth', () => {
    let rule: Record<string, unknown> = { a: 1 };
    for (let i = 0; i < 40; i++) rule = { $and: [rule] };
    expect(rejects(rule).message).toContain('limits.maxDepth');
    let shallow: Record<string, unknown> = { a: 1 };
    for (let i = 0; i < 5; i++) shallow = { $and: [shallow] };
    expect(() => compileCondition(shallow)).not.toThrow();
    expect(rejects(shallow, { limits: { maxDepth: 4 } }).message).toContain('limits.maxDepth');
  });

  it('caps array length', () => {
    const big = Array.from({ length: 1001 }, (_, i) => i);
    const e = rejects({ a: { $in: big } });
    expect(e.path).toEqual(['a', '$in']);
    expect(e.message).toContain('limits.maxArrayLength');
    expect(() => compileCondition({ a: { $in: big.slice(0, 1000) } })).not.toThrow();
    expect(rejects({ a: [1, 2, 3] }, { limits: { maxArrayLength: 2 } }).message).toContain('maxArrayLength');
  });

  it('caps regex length', () => {
    const e = rejects({ a: { $regex: 'a'.repeat(513) } });
    expect(e.path).toEqual(['a', '$regex']);
    expect(e.message).toContain('limits.maxRegexLength');
    expect(() => compileCondition({ a: { $regex: 'a'.repeat(512) } })).not.toThrow();
  });

  it('caps the total number of nodes, path segments and string length', () => {
    const wide = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`f${i}`, { $in: [1, 2, 3] }]));
    expect(rejects(wide, { limits: { maxNodes: 100 } }).message).toContain('limits.maxNodes');
    expect(rejects({ [Array.from({ length: 33 }, () => 'a').join('.')]: 1 }).message).toContain(
      'maxPathSegments',
    );
    expect(rejects({ a: 'x'.repeat(4097) }).message).toContain('maxStringLength');
  });

  it('rejects bad options with INVALID_OPTIONS', () => {
    expect(() => compileCondition({}, { limits: { maxDepth: -1 } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => compileCondition({}, { limits: { maxDepht: 3 } as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(() => compileCondition({}, { categories: 'behavior' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});

describe('safety: regular expressions', () => {
  it('runs a catastrophic pattern in linear time: (a+)+$ against 60 a and "!"', () => {
    const evil = compileCondition({ s: { $regex: '(a+)+$' } });
    const input = `${'a'.repeat(60)}!`;
    const start = performance.now();
    expect(evil({ s: input })).toBe(false);
    expect(evil({ s: 'a'.repeat(60) })).toBe(true);
    // Generous: a backtracking engine takes minutes here; RE2 takes well under a millisecond.
    expect(performance.now() - start).toBeLessThan(100);
  });

  it('stays linear on long hostile inputs', () => {
    const evil = compileCondition({ s: { $regex: '^(\\w+\\s?)*$' } });
    expect(evil({ s: `${'word '.repeat(2000)}!` })).toBe(false);
    const nested = compileCondition({ s: { $regex: '(x+x+)+y' } });
    expect(nested({ s: 'x'.repeat(5000) })).toBe(false);
  });

  it('rejects backreferences and lookaround, which RE2 cannot run in linear time', () => {
    expect(rejects({ s: { $regex: '(a)\\1' } }).message).toContain('backreference');
    expect(rejects({ s: { $regex: '(?<x>a)\\k<x>' } }).message).toContain('backreference');
    expect(rejects({ s: { $regex: 'a(?=b)' } }).message).toContain('lookaround');
    expect(rejects({ s: { $regex: 'a(?!b)' } }).message).toContain('lookaround');
    expect(rejects({ s: { $regex: '(?<=a)b' } }).message).toContain('lookaround');
    expect(rejects({ s: { $regex: '(?<!a)b' } }).message).toContain('lookaround');
  });

  it('rejects invalid patterns and options', () => {
    expect(rejects({ s: { $regex: '(' } }).message).toContain('not a valid RE2 regex');
    expect(rejects({ s: { $regex: 5 } }).message).toContain('$regex takes a string');
    const e = rejects({ s: { $regex: 'a', $options: 'g' } });
    expect(e.message).toContain('$options takes a string of the letters');
    expect(e.path).toEqual(['s', '$options']);
  });
});
