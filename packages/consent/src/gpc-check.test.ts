import { type Check, CheckFailure, createTaxonomy, safeParseWithMessages } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGpcConsentOptions, gpcConsent } from './gpc.js';
import { GpcConsentOptionsSchema } from './gpc-schema.js';
import { memoryConsentStore } from './memory-store.js';

/** Runs the check and the schema on `input`: same verdict, same output, same first path. */
function same(
  check: Check<unknown>,
  schema: Parameters<typeof safeParseWithMessages>[0],
  input: unknown,
): void {
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
  } else {
    expect(failure?.path).toEqual(z.error.issues[0]?.path);
  }
}

const taxonomy = createTaxonomy();
const store = memoryConsentStore();
const value = fc.oneof(
  fc.anything(),
  fc.constantFrom(
    true,
    false,
    'gpc-consent',
    '@a/b',
    'Bad Name',
    '',
    taxonomy,
    store,
    {},
    null,
    [],
    ['a'],
    [1],
  ),
  fc.array(fc.oneof(fc.string(), fc.integer())),
);
const options = fc.dictionary(
  fc.constantFrom('purposes', 'taxonomy', 'honorDnt', 'store', 'name', 'extra'),
  value,
);

describe('gpcConsent options check', () => {
  it('accepts and rejects exactly what GpcConsentOptionsSchema does, naming the same first field', () => {
    fc.assert(
      fc.property(fc.oneof(options, fc.anything()), (input) =>
        same(checkGpcConsentOptions, GpcConsentOptionsSchema, input),
      ),
      { numRuns: 2000 },
    );
  });

  it('throws INVALID_OPTIONS naming the field and how to fix it', () => {
    expect(() => gpcConsent({ name: 'Bad Name' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        path: ['name'],
        message: expect.stringContaining('npm-style name'),
      }),
    );
    expect(() => gpcConsent({ honorDnt: 'yes' as never })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', path: ['honorDnt'] }),
    );
  });
});
