import { expect } from 'vitest';
import { isTactfulError, type TactfulError } from '../src/index.js';

/** The `TactfulError` that `fn` throws; fails the test when it returns or throws anything else. */
export function thrown(fn: () => unknown): TactfulError {
  try {
    fn();
  } catch (error) {
    expect(isTactfulError(error)).toBe(true);
    return error as TactfulError;
  }
  throw new Error('expected a throw');
}
