import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segments } from './segments.js';

const CATEGORY = 'profile.attributes';
const clause = fc.oneof(
  fc
    .record({
      path: fc.constantFrom('age', 'visits'),
      op: fc.constantFrom('$gt', '$gte', '$lt', '$lte', '$ne'),
      n: fc.integer({ min: 0, max: 10 }),
    })
    .map(({ path, op, n }) => ({ [`${CATEGORY}.${path}`]: { [op]: n } })),
  fc.constantFrom('VN', 'DE', 'US').map((c) => ({ [`${CATEGORY}.country`]: c })),
  fc
    .subarray(['VN', 'DE', 'US', 'JP'], { minLength: 1 })
    .map((cs) => ({ [`${CATEGORY}.country`]: { $in: cs } })),
  fc.boolean().map((b) => ({ [`${CATEGORY}.member`]: { $exists: b } })),
);
const condition = fc
  .array(clause, { minLength: 1, maxLength: 4 })
  .chain((clauses) =>
    fc
      .boolean()
      .map((useOr) =>
        useOr && clauses.length >= 2
          ? { $or: clauses.slice(0, 2), ...(clauses.length > 2 ? { $and: clauses.slice(2) } : {}) }
          : { $and: clauses },
      ),
  );
const attributes = fc.record(
  {
    age: fc.integer({ min: 0, max: 10 }),
    visits: fc.integer({ min: 0, max: 10 }),
    country: fc.constantFrom('VN', 'DE', 'US', 'JP'),
    member: fc.boolean(),
  },
  { requiredKeys: ['age', 'visits', 'country'] },
);

describe('segment matcher', () => {
  it('gives every segment the same answer as its own compiled condition', () => {
    fc.assert(
      fc.property(
        fc.array(condition, { minLength: 1, maxLength: 12 }),
        fc.array(attributes, { minLength: 1, maxLength: 40 }),
        (conditions, people) => {
          const s = segments({
            segments: conditions.map((c, i) => ({
              name: `s${i}`,
              description: { en: `segment ${i}` },
              condition: c,
            })),
          });
          // Enough sessions to re-sort the clauses by pass rate at least once.
          for (let round = 0; round < 1100 / people.length + 1; round++) {
            for (const person of people) {
              const data = { [CATEGORY]: person };
              const { facts } = s.compiled.facts(data, 0);
              const expected = s.compiled.segments.filter((seg) => seg.test(facts)).map((seg) => seg.name);
              expect(s.compiled.evaluate(data, 0)).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);

  it('evaluates segments over segments.memberships in order, as the memberships grow', async () => {
    const s = segments({
      segments: [
        { name: 'first', description: { en: 'first' }, condition: { 'segments.memberships': { $size: 0 } } },
        {
          name: 'second',
          description: { en: 'second' },
          condition: { 'segments.memberships': { $size: 0 } },
        },
      ],
    });
    expect(s.compiled.evaluate({}, 0)).toEqual(['first']);
  });
});
