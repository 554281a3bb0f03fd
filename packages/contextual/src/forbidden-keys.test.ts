import { FORBIDDEN_KEYS } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextual } from './index.js';

describe('contextual rules with keys that could change a prototype', () => {
  it('refuses a `when` or content holding them with INVALID_OPTIONS and the path', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORBIDDEN_KEYS), fc.constantFrom('when', 'content'), (key, field) => {
        const rule = {
          id: 'r',
          slot: 'home.hero',
          when: { country: 'VN' },
          content: { hero: 'x' },
          reason: { en: 'r' },
          [field]: JSON.parse(`{"${key}": {"country": "VN"}}`),
        };
        expect(() => contextual({ rules: [rule] })).toThrow(
          expect.objectContaining({ code: 'INVALID_OPTIONS', path: ['rules', 0, field, key] }),
        );
      }),
    );
  });
});
