import { re2Regex } from '@tactful/core/regex';
import { expectSameAsSchema } from '@tactful/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineCatalog } from './catalog.js';
import { checkDynamicContentOptions } from './options-check.js';
import { DynamicContentOptionsSchema } from './options-schema.js';
import { dynamicContent } from './strategy.js';

const other = fc.oneof(
  fc.anything(),
  fc.constantFrom(null, [], {}, 'x', true, () => true),
);
const or = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: a }, other);
const number = fc.oneof(
  fc.constantFrom(0, 1, -1, 1.5, 1000, 1001, -1000, -1001, 60_000, 60_001, Number.NaN),
  fc.double(),
  fc.integer({ min: -2000, max: 70_000 }),
);
const catalog = defineCatalog({ slots: [{ id: 'home.hero', default: { content: 'x' } }] });

const options = fc.record(
  {
    regex: fc.constantFrom(undefined, re2Regex, 're2'),
    catalog: fc.oneof(fc.constantFrom(undefined, null, catalog, { slots: [] }), fc.anything()),
    name: or(fc.constantFrom('@tactful/dynamic-content', 'Bad', '', 'hero-a')),
    channel: or(fc.constantFrom('web', 'email', 'sms')),
    purposes: or(
      fc.array(fc.constantFrom('measurement', 'Bad', 'personalization.contextual'), { maxLength: 3 }),
    ),
    subjectKeyPurpose: or(fc.constantFrom('measurement', 'personalization.profile', 'x')),
    priority: or(number),
    fallback: or(fc.constantFrom('none', 'default', 'all')),
    timeoutMs: or(number),
    extra: other,
  },
  { requiredKeys: [] },
);

/** Options the schema accepts (most of them), so outputs are compared too. */
const good = fc.record(
  {
    regex: fc.constantFrom(undefined, re2Regex),
    catalog: fc.constantFrom(catalog, { slots: [] }, 'json'),
    name: fc.constantFrom('@tactful/dynamic-content', 'hero-a'),
    channel: fc.constantFrom('web', 'email'),
    purposes: fc.array(fc.constantFrom('measurement', 'personalization.contextual'), {
      minLength: 1,
      maxLength: 3,
    }),
    subjectKeyPurpose: fc.constantFrom('measurement', 'personalization.profile'),
    priority: fc.integer({ min: -1000, max: 1000 }),
    fallback: fc.constantFrom('none', 'default'),
    timeoutMs: fc.integer({ min: 1, max: 60_000 }),
  },
  { requiredKeys: ['catalog'] },
);

describe('dynamicContent options check', () => {
  it('accepts and rejects exactly what DynamicContentOptionsSchema does, naming the same first field', () => {
    fc.assert(
      fc.property(
        fc.oneof({ weight: 3, arbitrary: good }, { weight: 6, arbitrary: options }, other),
        (input) => expectSameAsSchema(checkDynamicContentOptions, DynamicContentOptionsSchema, input),
      ),
      { numRuns: 3000 },
    );
  });

  it('throws INVALID_OPTIONS naming the field and how to fix it', () => {
    expect(() => dynamicContent({ catalog, channel: 'sms' as never })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        path: ['channel'],
        message: expect.stringContaining('"web"|"email"'),
      }),
    );
    expect(() => dynamicContent({} as never)).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTIONS',
        path: ['catalog'],
        message: expect.stringContaining('defineCatalog'),
      }),
    );
  });
});
