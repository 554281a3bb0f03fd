import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { CheckFailure, arr, checkOrThrow, num, obj, rec, str } from './check.js';
import { ISO_DATETIME } from './name-checks.js';

describe('zod-free checks', () => {
  it('uses the same date-time pattern as zod', () => {
    const pattern = z.iso.datetime({ offset: true })._zod.def.pattern as RegExp;
    expect(ISO_DATETIME.source).toBe(pattern.source);
    expect(ISO_DATETIME.flags).toBe(pattern.flags);
  });

  it('names the first failing field in shape order and throws a TactfulError with its path', () => {
    const check = obj({ a: num({ int: true }), b: arr(str({ max: 2 })), c: rec(str(), num()) });
    expect(() => check({ a: 1, b: ['ok', 'long'], c: { x: 'no' } }, [])).toThrow(CheckFailure);
    expect(() =>
      checkOrThrow(
        check,
        { a: 1, b: ['ok', 'long'] },
        { code: 'INVALID_OPTIONS', what: 'options', plugin: 'p' },
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        path: ['b', 1],
        message: 'p: invalid options: b[1]: Too big: expected string to have <=2 characters',
      }),
    );
  });

  it('lets a throw that is not a check failure through (a hostile getter)', () => {
    const hostile = Object.defineProperty({}, 'a', {
      enumerable: true,
      get() {
        throw new RangeError('boom');
      },
    });
    expect(() =>
      checkOrThrow(obj({ a: num() }), hostile, { code: 'INVALID_OPTIONS', what: 'options' }),
    ).toThrow(RangeError);
  });
});
