import { describe, expect, it } from 'vitest';
import { RE2JS } from 're2js';
import { compileCondition, isTactfulError, plainRegex } from '@tactful/core';
import { re2Regex } from '@tactful/core/regex';

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('$regex engines', () => {
  it('compiles no $regex without an engine: INVALID_CONDITION naming the rule and both engines', () => {
    for (const pattern of ['^pro', 'gmail\\.com$', '(a+)+$']) {
      const error = errorOf(() =>
        compileCondition({ 'context.page.url': { $regex: pattern } }, { path: ['segments', 0, 'condition'] }),
      );
      expect(isTactfulError(error) && error.code).toBe('INVALID_CONDITION');
      const e = error as Error & { path: unknown };
      expect(e.path).toEqual(['segments', 0, 'condition', 'context.page.url', '$regex']);
      expect(e.message).toContain(pattern);
      expect(e.message).toContain('plainRegex');
      expect(e.message).toContain('@tactful/core/regex');
    }
    // Rules without $regex need no engine.
    expect(compileCondition({ plan: 'pro' })({ plan: 'pro' })).toBe(true);
  });

  it('plainRegex runs plain texts and the bounded subset on the platform, with the answers RE2 gives', () => {
    const cases: Array<[string, string]> = [
      ['^pro', 'product'],
      ['gmail\\.com$', 'lan@gmail.com'],
      ['facebook|zalo', 'https://zalo.me/x'],
      ['^vip$', 'vip'],
      ['^(kids|toys)/[a-z0-9]{1,20}$', 'kids/lego42'],
      ['^\\d{3}-\\d{4}$', '555-1234'],
      ['^\\d{3}-\\d{4}$', '555-12345'],
    ];
    for (const [pattern, value] of cases) {
      const plain = compileCondition({ s: { $regex: pattern } }, { regex: plainRegex });
      const re2 = compileCondition({ s: { $regex: pattern } }, { regex: re2Regex });
      expect(plain({ s: value }), pattern).toBe(re2({ s: value }));
      expect(plain({ s: value }), pattern).toBe(RE2JS.compile(pattern).test(value));
    }
  });

  it('plainRegex refuses a pattern that needs RE2 with INVALID_CONDITION naming the rule and how to fix it', () => {
    for (const [pattern, options] of [
      ['(a+)+$', undefined],
      ['^la', 'i'],
      ['[[:alpha:]]+', undefined],
    ] as const) {
      const error = errorOf(() =>
        compileCondition(
          { 'context.page.url': { $regex: pattern, ...(options ? { $options: options } : {}) } },
          { path: ['segments', 0, 'condition'], regex: plainRegex },
        ),
      );
      expect(isTactfulError(error) && error.code).toBe('INVALID_CONDITION');
      const e = error as Error & { path: unknown };
      expect(e.path).toEqual(['segments', 0, 'condition', 'context.page.url', '$regex']);
      expect(e.message).toContain('re2Regex');
      expect(e.message).toContain('@tactful/core/regex');
      expect(e.message).toContain(pattern);
    }
  });

  it('refuses backreferences, lookaround and overlong patterns with or without an engine', () => {
    for (const pattern of ['(a)\\1', 'a(?=b)', 'a'.repeat(513)]) {
      for (const regex of [undefined, plainRegex, re2Regex]) {
        const error = errorOf(() => compileCondition({ s: { $regex: pattern } }, regex ? { regex } : {}));
        expect(isTactfulError(error) && error.code).toBe('INVALID_CONDITION');
        expect((error as Error).message).not.toContain('needs a regex engine');
      }
    }
  });

  it('with the engine, checks every pattern with RE2 first (an invalid one is refused, even a plain-looking one)', () => {
    const error = errorOf(() => compileCondition({ s: { $regex: '^a{2,1}' } }, { regex: re2Regex }));
    expect(isTactfulError(error) && error.code).toBe('INVALID_CONDITION');
    expect((error as Error).message).toContain('not a valid RE2 regex');
    expect(
      compileCondition({ s: { $regex: '(a+)+$' } }, { regex: re2Regex })({ s: `${'a'.repeat(30)}!` }),
    ).toBe(false);
  });

  it('rejects a regex option that is not a function', () => {
    const error = errorOf(() => compileCondition({ s: 1 }, { regex: 're2' as never }));
    expect(isTactfulError(error) && error.code).toBe('INVALID_OPTIONS');
    expect((error as Error).message).toContain('regex');
  });
});
