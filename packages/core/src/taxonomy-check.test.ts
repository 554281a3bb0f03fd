import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameAsSchema as same } from '../test/same-as-schema.js';
import { categoryDefinition, createTaxonomy, purposeDefinition } from './taxonomy.js';
import { CategoryDefinitionSchema, PurposeDefinitionSchema } from './taxonomy-schema.js';

const other = fc.oneof(fc.anything({ maxDepth: 1 }), fc.constantFrom(null, [], {}, 'x', 1, true));
const or = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary: a }, other);
const id = or(fc.constantFrom('loyalty.tier', 'a', 'Bad', '', 'a.b-c'));
const text = or(
  fc.record(
    { en: or(fc.constantFrom('Hi', '')), vi: or(fc.constantFrom('Chào', '')) },
    { requiredKeys: ['en'] },
  ),
);
const tcf = (max: number) =>
  or(
    fc.array(fc.oneof(fc.integer({ min: 0, max: max + 1 }), fc.constantFrom(1.5, Number.NaN)), {
      maxLength: 3,
    }),
  );
const purpose = fc.record(
  {
    id,
    label: text,
    description: text,
    requiresConsent: or(fc.boolean()),
    explicitConsentFor: or(fc.array(id, { maxLength: 2 })),
    tcfPurposes: tcf(11),
    tcfSpecialFeatures: tcf(2),
    extra: other,
  },
  { requiredKeys: ['id', 'label'] },
);
const category = fc.record(
  {
    id,
    label: text,
    description: text,
    sensitive: or(fc.boolean()),
    origin: or(fc.constantFrom('declared', 'observed', 'contextual', 'derived', 'guessed')),
    personal: or(fc.boolean()),
    extra: other,
  },
  { requiredKeys: ['id', 'label', 'origin'] },
);

describe('taxonomy checks', () => {
  it('check a purpose exactly as PurposeDefinitionSchema does', () => {
    fc.assert(
      fc.property(fc.oneof(purpose, other), (p) => same(purposeDefinition, PurposeDefinitionSchema, p)),
      { numRuns: 3000 },
    );
  });

  it('check a category exactly as CategoryDefinitionSchema does', () => {
    fc.assert(
      fc.property(fc.oneof(category, other), (c) => same(categoryDefinition, CategoryDefinitionSchema, c)),
      { numRuns: 3000 },
    );
  });

  it('a bad taxonomy extension throws INVALID_CONFIG naming the field', () => {
    expect(() =>
      createTaxonomy([
        { categories: [{ id: 'loyalty.tier', label: { en: 'Tier' }, origin: 'guessed' as never }] },
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        path: ['categories', 0, 'origin'],
        message: expect.stringContaining('"declared"'),
      }),
    );
  });
});
