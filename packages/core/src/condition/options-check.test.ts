import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameAsSchema } from '../../test/same-as-schema.js';
import { compileCondition } from './compile.js';
import { compileConditionOptions } from './options-check.js';
import { CompileConditionOptionsSchema } from './options-schema.js';

const other = fc.oneof(
  fc.anything({ maxDepth: 1 }),
  fc.constantFrom(null, [], {}, 'x', 1, true, () => true),
);
const or = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: a }, other);
const limit = or(
  fc.oneof(fc.integer({ min: -1, max: 100 }), fc.constantFrom(0.5, Number.NaN, Number.POSITIVE_INFINITY)),
);
const options = fc.record(
  {
    categories: or(fc.array(fc.constantFrom('profile', '', 'data.x'), { maxLength: 3 })),
    limits: or(
      fc.record(
        {
          maxDepth: limit,
          maxArrayLength: limit,
          maxRegexLength: limit,
          maxNodes: limit,
          maxPathSegments: limit,
          maxStringLength: limit,
          extra: other,
        },
        { requiredKeys: [] },
      ),
    ),
    path: or(
      fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constantFrom(Number.NaN, true, null)), {
        maxLength: 3,
      }),
    ),
    regex: fc.constantFrom(undefined, (p: string) => (v: string) => v.includes(p), 're2'),
    extra: other,
  },
  { requiredKeys: [] },
);

describe('compileCondition options check', () => {
  it('accepts and rejects exactly what CompileConditionOptionsSchema does, naming the same first field', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: options }, other), (o) =>
        sameAsSchema(compileConditionOptions, CompileConditionOptionsSchema, o),
      ),
      { numRuns: 3000 },
    );
  });

  it('a bad option throws INVALID_OPTIONS naming it', () => {
    expect(() => compileCondition({ a: 1 }, { limits: { maxDepth: 0 } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', path: ['limits', 'maxDepth'] }),
    );
  });
});
