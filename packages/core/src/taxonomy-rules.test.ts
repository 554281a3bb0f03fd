import { describe, expect, it } from 'vitest';
import { type TaxonomyExtension, createTaxonomy, createTaxonomyRules } from '@tactful/core';
import { thrown } from '../test/thrown.js';

/** A definition without its text, as the rules hold a built-in. */
function flags<T extends { label?: unknown; description?: unknown }>(
  value: T,
): Omit<T, 'label' | 'description'> {
  const { label: _label, description: _description, ...rest } = value;
  return rest;
}

const vendor: TaxonomyExtension = {
  purposes: [
    {
      id: 'vendor.loyalty',
      label: { en: 'Loyalty' },
      explicitConsentFor: ['health'],
    },
  ],
  categories: [{ id: 'loyalty.tier', label: { en: 'Loyalty tier' }, origin: 'observed' }],
};

describe('createTaxonomyRules', () => {
  it('holds the ids and flags of createTaxonomy, without the built-ins’ text', () => {
    for (const extensions of [[], [vendor]]) {
      const full = createTaxonomy(extensions);
      const rules = createTaxonomyRules(extensions);
      expect([...rules.purposes.keys()]).toEqual([...full.purposes.keys()]);
      expect([...rules.categories.keys()]).toEqual([...full.categories.keys()]);
      for (const [id, p] of full.purposes) expect(flags(rules.purpose(id))).toEqual(flags(p));
      for (const [id, c] of full.categories) expect(flags(rules.category(id))).toEqual(flags(c));
      for (const p of full.purposes.keys()) {
        for (const c of full.categories.keys()) {
          expect([p, c, rules.permitsCategory(p, c)]).toEqual([p, c, full.permitsCategory(p, c)]);
        }
      }
    }
    const rules = createTaxonomyRules([vendor]);
    expect(rules.category('health').label).toBeUndefined();
    expect(rules.purpose('necessary').label).toBeUndefined();
    expect(rules.category('loyalty.tier').label).toEqual({ en: 'Loyalty tier' });
    expect(Object.isFrozen(rules)).toBe(true);
    expect(Object.isFrozen(rules.category('health'))).toBe(true);
  });

  it('refuses what createTaxonomy refuses, with the same error', () => {
    const bad: TaxonomyExtension[][] = [
      [{ categories: [{ id: 'Bad Id', label: { en: 'x' }, origin: 'observed' }] }],
      [{ purposes: [{ id: 'p.one', label: { en: 'x' }, explicitConsentFor: ['no.such'] }] }],
      [{ categories: [{ id: 'health', label: { en: 'Health' }, origin: 'observed', sensitive: true }] }],
      [
        { categories: [{ id: 'v.a', label: { en: 'A' }, origin: 'observed' }] },
        { categories: [{ id: 'v.a', label: { en: 'B' }, origin: 'observed' }] },
      ],
      [{ purposes: [{ id: 'necessary', label: { en: 'Necessary' }, requiresConsent: true }] }],
    ];
    for (const extensions of bad) {
      const full = thrown(() => createTaxonomy(extensions));
      const rules = thrown(() => createTaxonomyRules(extensions));
      expect([rules.code, rules.message, rules.path]).toEqual([full.code, full.message, full.path]);
    }
    expect(thrown(() => createTaxonomyRules().purpose('nope', 'slot "x"')).message).toBe(
      thrown(() => createTaxonomy().purpose('nope', 'slot "x"')).message,
    );
    expect(thrown(() => createTaxonomyRules().category('nope')).code).toBe('UNKNOWN_CATEGORY');
  });

  it('takes a redefinition of a built-in that keeps its flags (the text is compared by createTaxonomy only)', () => {
    const full = createTaxonomy();
    const health = full.category('health');
    expect(() => createTaxonomyRules([{ categories: [health] }])).not.toThrow();
    expect(() => createTaxonomy([{ categories: [health] }])).not.toThrow();
    const relabelled = { ...health, label: { en: 'Medical' } };
    expect(() => createTaxonomyRules([{ categories: [relabelled] }])).not.toThrow();
    expect(thrown(() => createTaxonomy([{ categories: [relabelled] }])).code).toBe('INVALID_CONFIG');
  });
});
