import { describe, expect, it } from 'vitest';
import { compileCondition, isTactfulError } from '@tactful/core';
import { re2Regex } from '@tactful/core/regex';

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('$regex without the RE2 engine (the main entry point, as a page loads it)', () => {
  it('runs plain texts and the bounded subset on the platform, with the answers RE2 gives', () => {
    const cases: Array<[string, string, string]> = [
      ['^pro', 'product', ''],
      ['gmail\\.com$', 'lan@gmail.com', ''],
      ['facebook|zalo', 'https://zalo.me/x', ''],
      ['^vip$', 'vip', ''],
      ['^(kids|toys)/[a-z0-9]{1,20}$', 'kids/lego42', ''],
      ['^\\d{3}-\\d{4}$', '555-1234', ''],
      ['^\\d{3}-\\d{4}$', '555-12345', ''],
    ];
    for (const [pattern, value] of cases) {
      const without = compileCondition({ s: { $regex: pattern } });
      const withEngine = compileCondition({ s: { $regex: pattern } }, { regex: re2Regex });
      expect(without({ s: value }), pattern).toBe(withEngine({ s: value }));
    }
  });

  it('refuses a pattern that needs an engine with INVALID_CONDITION naming the rule and how to fix it', () => {
    for (const [pattern, options] of [
      ['(a+)+$', undefined],
      ['^la', 'i'],
      ['[[:alpha:]]+', undefined],
    ] as const) {
      const error = errorOf(() =>
        compileCondition(
          { 'context.page.url': { $regex: pattern, ...(options ? { $options: options } : {}) } },
          { path: ['segments', 0, 'condition'] },
        ),
      );
      expect(isTactfulError(error) && error.code).toBe('INVALID_CONDITION');
      const e = error as Error & { path: unknown };
      expect(e.path).toEqual(['segments', 0, 'condition', 'context.page.url', '$regex']);
      expect(e.message).toContain('@tactful/core/regex');
      expect(e.message).toContain(pattern);
    }
  });

  it('still refuses backreferences, lookaround and overlong patterns without an engine', () => {
    for (const pattern of ['(a)\\1', 'a(?=b)', 'a'.repeat(513)]) {
      const error = errorOf(() => compileCondition({ s: { $regex: pattern } }));
      expect(isTactfulError(error) && error.code).toBe('INVALID_CONDITION');
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
