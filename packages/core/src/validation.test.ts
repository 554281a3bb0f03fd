import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { SessionSchema, SubjectSchema } from './context-schema.js';
import { isTactfulError } from './errors.js';
import { StrategyManifestSchema } from './manifest-schema.js';
import { parseOrThrow } from './validation.js';

function messageOf(schema: z.core.$ZodType, input: unknown): string {
  try {
    parseOrThrow(schema, input, { code: 'INVALID_INPUT', what: 'input' });
  } catch (error) {
    if (isTactfulError(error)) return error.message;
    throw error;
  }
  throw new Error('expected a failure');
}

const cases: Array<[string, z.core.$ZodType, unknown]> = [
  ['a wrong type', SubjectSchema, { id: 5 }],
  ['a pattern with its own message', SubjectSchema, { id: 'a b' }],
  ['a too-short string', SessionSchema, { id: 'short' }],
  ['a manifest with several problems', StrategyManifestSchema, { name: 'X', kind: 'strategy', purposes: [] }],
];

describe('validation messages', () => {
  it('names the field and says what was expected with zod/mini alone (no locale loaded), in the words of classic zod', () => {
    // Nothing in this test file loads classic zod (which configures English globally).
    expect(z.config().localeError).toBeUndefined();
    const mini = cases.map(([, schema, input]) => messageOf(schema, input));
    expect(mini[0]).toBe('invalid input: id: Invalid input: expected string, received number');
    expect(mini[1]).toBe(
      'invalid input: id: use letters, digits and . _ : @ - only (a pseudonymous id, not personal data)',
    );
    expect(mini[2]).toContain('id: Too small: expected string to have >=16 characters');
    expect(mini[3]).toContain('purposes: Too small: expected array to have >=1 items');
    expect(mini.join('\n')).not.toContain(': Invalid input;');
  });
});
