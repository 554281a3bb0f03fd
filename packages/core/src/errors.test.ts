import { describe, expect, it } from 'vitest';
import { ERROR_CODES, TactfulError, formatPath, isTactfulError, isTactfulErrorCode } from '@tactful/core';

describe('TactfulError', () => {
  it('carries a stable code, the plugin, the path, issues and the cause', () => {
    const cause = new Error('driver failed');
    const error = new TactfulError('STORE_FAILED', 'consent store unreadable', {
      plugin: 'tactful-consent',
      path: ['records', 3],
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TactfulError');
    expect(error.code).toBe('STORE_FAILED');
    expect(error.plugin).toBe('tactful-consent');
    expect(error.path).toEqual(['records', 3]);
    expect(error.issues).toEqual([{ path: ['records', 3], message: 'consent store unreadable' }]);
    expect(error.cause).toBe(cause);
  });

  it('has no issues unless given a path or issues', () => {
    expect(new TactfulError('ABORTED', 'aborted').issues).toEqual([]);
    const issues = [
      { path: ['a'], message: 'bad a' },
      { path: ['b', 0], message: 'bad b' },
    ];
    expect(new TactfulError('INVALID_INPUT', 'two problems', { issues }).issues).toEqual(issues);
  });

  it('serialises to a plain object without the cause', () => {
    const error = new TactfulError('INVALID_OPTIONS', 'segments: bad', {
      plugin: 'segments',
      path: ['rules'],
      cause: 1,
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'INVALID_OPTIONS',
      message: 'segments: bad',
      plugin: 'segments',
      issues: [{ path: ['rules'], message: 'segments: bad' }],
    });
    expect(new TactfulError('NOT_FOUND', 'no such subject').toJSON()).toEqual({
      code: 'NOT_FOUND',
      message: 'no such subject',
      issues: [],
    });
  });
});

describe('isTactfulError', () => {
  it('recognises errors of this copy of core', () => {
    expect(isTactfulError(new TactfulError('CONFLICT', 'x'))).toBe(true);
  });

  it('recognises errors made by another copy of core (global symbol brand, not instanceof)', () => {
    // What a duplicate install produces: a different class carrying the same registered symbol.
    class OtherCopyError extends Error {
      readonly code = 'PLUGIN_TIMEOUT';
      constructor() {
        super('timed out');
        Object.defineProperty(this, Symbol.for('tactful.error'), { value: true });
      }
    }
    const foreign = new OtherCopyError();
    expect(foreign instanceof TactfulError).toBe(false);
    expect(isTactfulError(foreign)).toBe(true);
  });

  it('rejects look-alikes without the brand', () => {
    for (const value of [
      new Error('x'),
      { code: 'CONFLICT', message: 'x' },
      null,
      undefined,
      'CONFLICT',
      42,
    ]) {
      expect(isTactfulError(value)).toBe(false);
    }
    expect(isTactfulError({ [Symbol.for('tactful.error')]: 'yes' })).toBe(false);
  });
});

describe('error codes', () => {
  it('are UPPER_SNAKE and unique', () => {
    for (const code of ERROR_CODES) expect(code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expect(ERROR_CODES).toContain('INVALID_CONDITION');
  });

  it('isTactfulErrorCode accepts only known codes', () => {
    expect(isTactfulErrorCode('INVALID_MANIFEST')).toBe(true);
    expect(isTactfulErrorCode('invalid_manifest')).toBe(false);
    expect(isTactfulErrorCode('NOPE')).toBe(false);
    expect(isTactfulErrorCode(3)).toBe(false);
  });
});

describe('formatPath', () => {
  it('formats paths as a.b[2].c', () => {
    expect(formatPath(['segments', 2, 'condition', 'age'])).toBe('segments[2].condition.age');
    expect(formatPath([0, 'a'])).toBe('[0].a');
    expect(formatPath([])).toBe('(root)');
  });
});
