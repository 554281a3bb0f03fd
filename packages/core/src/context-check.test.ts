import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameAsSchema } from '../test/same-as-schema.js';
import { REQUEST_CONTEXT_KEYS, SESSION_EVENT_TYPES, sessionEvent } from './context.js';
import { RequestContextSchema, SessionEventSchema } from './context-schema.js';

// The decision request check (which holds this one) is proven against `DecisionRequestSchema` by
// the orchestrator's `test/request.test.ts`, over generated requests.
const other = fc.oneof(fc.anything({ maxDepth: 1 }), fc.constantFrom(null, [], {}, 'x', 1, true));
const or = <T>(a: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: a }, other);
const event = fc.record(
  {
    type: or(fc.constantFrom(...SESSION_EVENT_TYPES, 'click')),
    at: or(
      fc.oneof(
        fc
          .date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString()),
        fc.constantFrom('2026-02-29T10:00:00Z', '2026-01-15T10:00:00+07:00', '2026-01-15'),
      ),
    ),
    target: or(fc.oneof(fc.string({ maxLength: 5 }), fc.constant('x'.repeat(2049)))),
    topics: or(
      fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.constant('x'.repeat(65))), { maxLength: 21 }),
    ),
    durationMs: or(fc.oneof(fc.integer({ min: -1, max: 86_400_001 }), fc.constantFrom(0.5, Number.NaN))),
    extra: other,
  },
  { requiredKeys: ['type', 'at'] },
);

describe('session event check', () => {
  it('accepts and rejects exactly what SessionEventSchema does, naming the same first field', () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 9, arbitrary: event }, other), (e) =>
        sameAsSchema(sessionEvent, SessionEventSchema, e),
      ),
      {
        numRuns: 3000,
      },
    );
  });
});

describe('REQUEST_CONTEXT_KEYS', () => {
  it("lists exactly the request context schema's fields, in its order", () => {
    expect([...REQUEST_CONTEXT_KEYS]).toEqual(Object.keys(RequestContextSchema.shape));
  });
});
