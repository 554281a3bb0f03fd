import { createTaxonomy } from '@tactful/core';
import { expectSameAsSchema } from '@tactful/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGpcConsentOptions, gpcConsent } from './gpc.js';
import { GpcConsentOptionsSchema } from './gpc-schema.js';
import { memoryConsentStore } from './memory-store.js';

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
        expectSameAsSchema(checkGpcConsentOptions, GpcConsentOptionsSchema, input),
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
