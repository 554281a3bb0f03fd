import { FORBIDDEN_KEYS } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dynamicContent, parseCatalog } from './index.js';

describe('catalogs with keys that could change a prototype', () => {
  it('refuses a variant `when` or content holding them with INVALID_CONFIG and the path', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORBIDDEN_KEYS), fc.constantFrom('when', 'content'), (key, field) => {
        const text = `{"slots": [{"id": "home.hero", "default": {"content": "d"},
          "variants": [{"id": "v", "when": {"segments": "loyal"}, "content": "c", "${field}": {"${key}": {"segments": "x"}}}]}]}`;
        const path = ['slots', 0, 'variants', 0, field, key];
        expect(() => parseCatalog(text)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', path }));
        expect(() => dynamicContent({ catalog: JSON.parse(text) })).toThrow(
          expect.objectContaining({ path }),
        );
      }),
    );
  });
});
