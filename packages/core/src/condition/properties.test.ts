import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import {
  compileCondition as compileWithoutEngine,
  compileConditionSet as compileSetWithoutEngine,
  type CompileConditionOptions,
  plainRegex,
} from '@tactful/core';
import { re2Regex } from '@tactful/core/regex';

// These suites prove the language with its RE2 engine; the regex ones prove plainRegex too.
const compileCondition = (rule: unknown, options: CompileConditionOptions = {}) =>
  compileWithoutEngine(rule, { regex: re2Regex, ...options });
const compileConditionSet = (rules: readonly unknown[], options: CompileConditionOptions = {}) =>
  compileSetWithoutEngine(rules, { regex: re2Regex, ...options });

const KEYS = ['a', 'b', 'c'];
const scalar = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom('x', 'y', 'z', '10', ''),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.sparseArray(scalar, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), scalar, { maxKeys: 2 }) },
);
/** Facts: a few keys, values nested one level (so dotted paths and arrays of objects occur). */
const facts = fc.dictionary(
  fc.constantFrom(...KEYS),
  fc.oneof(
    value,
    fc.array(fc.dictionary(fc.constantFrom(...KEYS), scalar, { maxKeys: 2 }), { maxLength: 3 }),
  ),
  { maxKeys: 3 },
);
const path = fc.oneof(
  fc.constantFrom(...KEYS),
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...KEYS)).map(([x, y]) => `${x}.${y}`),
);
const finite = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constantFrom('x', 'y', '10'));
/** Operator expressions for one field. */
const expression: fc.Arbitrary<unknown> = fc.oneof(
  scalar,
  fc.record({ $eq: scalar }),
  fc.record({ $ne: scalar }),
  fc.record({ $gt: finite }),
  fc.record({ $gte: finite }),
  fc.record({ $lt: finite }),
  fc.record({ $lte: finite }),
  fc.record({ $in: fc.array(scalar, { maxLength: 6 }) }),
  fc.record({ $nin: fc.array(scalar, { maxLength: 6 }) }),
  fc.record({ $exists: fc.boolean() }),
  fc.record({ $size: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ $all: fc.array(scalar, { maxLength: 2 }) }),
  fc.record({ $regex: fc.constantFrom('^x', 'y$', 'x|z', '1', '^$', '[xy]') }),
  fc.record({ $elemMatch: fc.record({ $gte: fc.integer({ min: -5, max: 5 }) }) }),
  fc.record({ $gte: fc.integer({ min: -5, max: 0 }), $lt: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ $not: fc.record({ $size: fc.integer({ min: 0, max: 3 }) }) }),
  fc.record({ $not: fc.record({ $gt: finite }) }),
  fc.record({ $not: fc.record({ $in: fc.array(scalar, { maxLength: 3 }) }) }),
  fc.record({ $not: fc.record({ $exists: fc.boolean() }) }),
);
const field = fc.tuple(path, expression).map(([p, e]) => ({ [p]: e }));
const rule: fc.Arbitrary<Record<string, unknown>> = fc.letrec((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    field,
    fc.tuple(field, field).map(([x, y]) => ({ ...x, ...y })),
    fc.record({ $and: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ $or: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ $nor: fc.array(tie('rule'), { minLength: 1, maxLength: 2 }) }),
    fc.record({ $not: tie('rule') }),
  ),
})).rule as fc.Arbitrary<Record<string, unknown>>;

describe('condition properties', () => {
  it('$not is the negation of its operand', () => {
    fc.assert(
      fc.property(path, expression.filter(isOperatorObject), facts, (p, e, f) => {
        expect(compileCondition({ [p]: { $not: e } })(f)).toBe(!compileCondition({ [p]: e })(f));
      }),
    );
  });

  it('$not on a rule, and $nor, are the negation of the rule', () => {
    fc.assert(
      fc.property(rule, facts, (r, f) => {
        const answer = compileCondition(r)(f);
        expect(compileCondition({ $not: r })(f)).toBe(!answer);
        expect(compileCondition({ $nor: [r] })(f)).toBe(!answer);
      }),
    );
  });

  it('$nin is the negation of $in, and $ne of $eq', () => {
    fc.assert(
      fc.property(path, fc.array(scalar, { maxLength: 6 }), scalar, facts, (p, list, v, f) => {
        expect(compileCondition({ [p]: { $nin: list } })(f)).toBe(
          !compileCondition({ [p]: { $in: list } })(f),
        );
        expect(compileCondition({ [p]: { $ne: v } })(f)).toBe(!compileCondition({ [p]: { $eq: v } })(f));
      }),
    );
  });

  it('$in is the $or of equalities', () => {
    fc.assert(
      fc.property(path, fc.array(scalar, { minLength: 1, maxLength: 6 }), facts, (p, list, f) => {
        const or = compileCondition({ $or: list.map((v) => ({ [p]: v })) });
        expect(compileCondition({ [p]: { $in: list } })(f)).toBe(or(f));
      }),
    );
  });

  it('compiling is pure and idempotent: recompiling or compiling the frozen copy gives the same answers', () => {
    fc.assert(
      fc.property(rule, fc.array(facts, { maxLength: 5 }), (r, many) => {
        const before = JSON.stringify(r);
        const first = compileCondition(r);
        const again = compileCondition(r);
        const ofCopy = compileCondition(first.rule);
        expect(JSON.stringify(r)).toBe(before);
        expect(again.paths).toEqual(first.paths);
        for (const f of many) {
          const answer = first(f);
          expect(first(f)).toBe(answer);
          expect(again(f)).toBe(answer);
          expect(ofCopy(f)).toBe(answer);
        }
      }),
    );
  });

  it('a condition set gives the same answers as its conditions one by one', () => {
    fc.assert(
      fc.property(
        fc.array(rule, { minLength: 1, maxLength: 6 }),
        fc.array(facts, { maxLength: 5 }),
        (rules, many) => {
          const set = compileConditionSet(rules);
          for (const f of many) {
            expect(set.evaluate(f)).toEqual(set.conditions.map((c) => c(f)));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('no rule, on any facts, makes ({}).polluted defined', () => {
    const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'a');
    const hostileFacts = fc
      .dictionary(hostileKey, fc.oneof(scalar, fc.dictionary(hostileKey, scalar)), { maxKeys: 3 })
      .map((f) => JSON.parse(JSON.stringify(f)) as unknown);
    const hostileRule = fc.dictionary(
      fc.oneof(
        hostileKey,
        fc.tuple(hostileKey, hostileKey).map(([x, y]) => `${x}.${y}`),
      ),
      fc.oneof(scalar, fc.dictionary(hostileKey, scalar)),
      { maxKeys: 3 },
    );
    fc.assert(
      fc.property(hostileRule, hostileFacts, (r, f) => {
        try {
          compileCondition(r)(f);
        } catch {
          // Rejected rules are fine; what matters is that nothing leaked into prototypes.
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        expect(Object.getPrototypeOf({})).toBe(Object.prototype);
      }),
    );
  });

  it('plain-text regexes (specialised to string methods) agree with RE2, under re2Regex and plainRegex', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '.', '|', '\n', 'x'), maxLength: 6 });
    const literal = fc.string({ unit: fc.constantFrom('a', 'b', 'x'), maxLength: 3 });
    const pattern = fc.oneof(
      literal,
      literal.map((l) => `^${l}`),
      literal.map((l) => `${l}$`),
      literal.map((l) => `^${l}$`),
      fc.tuple(literal, literal).map(([x, y]) => `${x}|${y}`),
      literal.map((l) => `${l}\\.`),
    );
    fc.assert(
      fc.property(pattern, text, (p, s) => {
        const expected = RE2JS.compile(p).test(s);
        expect(compileCondition({ s: { $regex: p } })({ s })).toBe(expected);
        expect(compileWithoutEngine({ s: { $regex: p } }, { regex: plainRegex })({ s })).toBe(expected);
      }),
    );
  });
});

describe('bounded regexes', () => {
  it('patterns of the bounded subset give RE2 answers on the platform engine, under re2Regex and plainRegex', () => {
    const atom = fc.oneof(
      fc.constantFrom(
        'a',
        'b',
        'x',
        '1',
        '@',
        '-',
        ' ',
        '\\.',
        '\\d',
        '[ab]',
        '[0-9]',
        '[a-c_]',
        '(a|bb)',
        '(?:x|)',
        '()',
      ),
    );
    const quantified = fc
      .tuple(atom, fc.constantFrom('', '', '?', '{2}', '{0,2}', '{1,3}'))
      .map(([a, q]) => a + q);
    const pattern = fc
      .tuple(fc.array(quantified, { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([parts, end]) => `^${parts.join('')}${end ? '$' : ''}`);
    const text = fc.string({
      unit: fc.constantFrom('a', 'b', 'x', '1', '9', '@', '-', ' ', '.', '_', '\n', 'é', '😀'),
      maxLength: 8,
    });
    fc.assert(
      fc.property(pattern, text, (p, s) => {
        const expected = RE2JS.compile(p).test(s);
        expect(compileCondition({ s: { $regex: p } })({ s })).toBe(expected);
        expect(compileWithoutEngine({ s: { $regex: p } }, { regex: plainRegex })({ s })).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves everything else to RE2', () => {
    // Unbounded or unanchored patterns, dots, negated classes and flags never use the platform engine;
    // these answers are RE2's (a JS engine would differ on some of them, or backtrack on others).
    expect(compileCondition({ s: { $regex: '^a.c$' } })({ s: 'a\u2028c' })).toBe(
      RE2JS.compile('^a.c$').test('a\u2028c'),
    );
    expect(compileCondition({ s: { $regex: '^(a+)+$' } })({ s: `${'a'.repeat(40)}!` })).toBe(false);
    expect(compileCondition({ s: { $regex: '^[^a]$' } })({ s: '😀' })).toBe(true);
    expect(compileCondition({ s: { $regex: '^\\s$' } })({ s: '\u00a0' })).toBe(false);
  });
});

function isOperatorObject(e: unknown): boolean {
  return (
    typeof e === 'object' && e !== null && !Array.isArray(e) && Object.keys(e).every((k) => k.startsWith('$'))
  );
}
