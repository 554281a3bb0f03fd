import { FORBIDDEN_KEYS } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segments } from './index.js';

describe('segments options with keys that could change a prototype', () => {
  it('refuses them with INVALID_OPTIONS and the path instead of matching everyone', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORBIDDEN_KEYS), fc.boolean(), (key, nested) => {
        const condition = JSON.parse(
          nested ? `{"$or": [{"${key}": {"stats.purchases.total": {"$gte": 1}}}]}` : `{"${key}": {"x": 1}}`,
        );
        expect(() =>
          segments({ segments: [{ name: 'vip', description: { en: 'VIP' }, condition }] }),
        ).toThrow(
          expect.objectContaining({
            code: 'INVALID_OPTIONS',
            path: nested ? ['segments', 0, 'condition', '$or', 0, key] : ['segments', 0, 'condition', key],
          }),
        );
      }),
    );
  });
});
