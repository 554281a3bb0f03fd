import { describe, expect, it } from 'vitest';
import {
  BUILTIN_PURPOSES,
  BUILTIN_PURPOSE_DESCRIPTIONS,
  createTaxonomy,
  defaultTaxonomy,
  purposeDescription,
} from '@tactful/core';

describe('built-in purpose descriptions', () => {
  it('describes every built-in purpose in English and Vietnamese, and nothing else', () => {
    expect(Object.keys(BUILTIN_PURPOSE_DESCRIPTIONS).sort()).toEqual(
      BUILTIN_PURPOSES.map((p) => p.id).sort(),
    );
    for (const p of BUILTIN_PURPOSES) {
      const d = purposeDescription(p);
      expect(d?.en.length).toBeGreaterThan(10);
      expect(d?.vi?.length).toBeGreaterThan(10);
    }
  });

  it('is frozen, so no page script can rewrite what the notice says', () => {
    expect(Object.isFrozen(BUILTIN_PURPOSE_DESCRIPTIONS)).toBe(true);
    for (const d of Object.values(BUILTIN_PURPOSE_DESCRIPTIONS)) expect(Object.isFrozen(d)).toBe(true);
  });

  it("prefers a purpose's own description and has none for an unknown purpose without one", () => {
    const own = { en: 'Our loyalty programme' };
    const taxonomy = createTaxonomy([
      {
        purposes: [
          { id: 'loyalty', label: { en: 'Loyalty' }, description: own },
          { id: 'bare', label: { en: 'Bare' } },
        ],
      },
    ]);
    expect(purposeDescription(taxonomy.purpose('loyalty'))).toEqual(own);
    expect(purposeDescription(taxonomy.purpose('bare'))).toBeUndefined();
    expect(purposeDescription({ id: 'toString' })).toBeUndefined();
    expect(purposeDescription(defaultTaxonomy.purpose('measurement'))?.en).toBe(
      'Measuring how content performs, in aggregate.',
    );
  });
});
