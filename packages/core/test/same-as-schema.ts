import { expect } from 'vitest';
import { type Check, CheckFailure } from '../src/check.js';
import { safeParseWithMessages } from '../src/validation.js';

/**
 * Asserts that a zod-free check and its schema agree on `input`: same verdict, same output, same
 * first path. Core's own copy of `expectSameAsSchema` from `@tactful/testing` (which depends on core).
 */
export function sameAsSchema(
  check: Check<unknown>,
  schema: Parameters<typeof safeParseWithMessages>[0],
  input: unknown,
) {
  const z = safeParseWithMessages(schema, input);
  let out: unknown;
  let failure: CheckFailure | undefined;
  try {
    out = check(input, []);
  } catch (e) {
    if (!(e instanceof CheckFailure)) throw e;
    failure = e;
  }
  if (z.success) {
    expect(failure).toBeUndefined();
    expect(out).toEqual(z.data);
  } else expect(failure?.path).toEqual(z.error.issues[0]?.path);
}
