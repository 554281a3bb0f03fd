import { type Check, CheckFailure, safeParseWithMessages } from '@tactful/core';
import { expect } from 'vitest';

/** A zod schema, as `safeParseWithMessages` takes it. */
type Schema = Parameters<typeof safeParseWithMessages>[0];

/**
 * Asserts that a zod-free `Check` (from `@tactful/core`) and the zod schema it stands for agree on `input`: both
 * accept it with the same output, or both reject it and the check names the schema's first issue
 * path. Run it in a fast-check property over inputs near the schema's shape.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(optionsArbitrary, (input) => expectSameAsSchema(checkOptions, OptionsSchema, input)));
 * ```
 */
export function expectSameAsSchema(check: Check<unknown>, schema: Schema, input: unknown): void {
  const z = safeParseWithMessages(schema, input);
  let out: unknown;
  let failure: CheckFailure | undefined;
  try {
    out = check(input, []);
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    failure = error;
  }
  if (z.success) {
    expect(failure, 'the schema accepts this input; the check must too').toBeUndefined();
    expect(out).toEqual(z.data);
  } else {
    expect(failure, 'the schema rejects this input; the check must too').toBeInstanceOf(CheckFailure);
    const first = z.error.issues[0]?.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    expect(failure?.path).toEqual(first);
  }
}
