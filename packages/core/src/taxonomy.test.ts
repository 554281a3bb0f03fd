import { describe, expect, it } from 'vitest';
import {
  BUILTIN_CATEGORIES,
  BUILTIN_CATEGORY_IDS,
  BUILTIN_CONSENT_PURPOSE_IDS,
  BUILTIN_PURPOSE_IDS,
  BUILTIN_PURPOSES,
  SENSITIVE_CATEGORIES,
  categoryDefinition,
  checkOrThrow,
  purposeDefinition,
  createTaxonomy,
  defaultTaxonomy,
} from '@tactful/core';
import { CATEGORY_FLAGS, PURPOSE_FLAGS } from './taxonomy-builtins.js';
import { CATEGORY_TEXT, PURPOSE_TEXT } from './taxonomy-text.js';
import { thrown } from '../test/thrown.js';

describe('built-in taxonomy', () => {
  it('has the purposes of the design, mapped to IAB TCF v2.2 purposes', () => {
    const tcf = Object.fromEntries(BUILTIN_PURPOSES.map((p) => [p.id, p.tcfPurposes]));
    expect(tcf).toMatchObject({
      necessary: [],
      'personalization.contextual': [11],
      'personalization.profile': [5, 6],
      'personalization.session': [1],
      measurement: [8],
      'marketing.email': [],
    });
    expect(defaultTaxonomy.purpose('necessary').requiresConsent).toBe(false);
    for (const p of BUILTIN_PURPOSES.filter((p) => p.id !== 'necessary'))
      expect(p.requiresConsent).toBe(true);
    expect(defaultTaxonomy.purpose('personalization.precise-location').tcfSpecialFeatures).toEqual([1]);
  });

  it('flags exactly the sensitive categories of P3', () => {
    const sensitive = BUILTIN_CATEGORIES.filter((c) => c.sensitive).map((c) => c.id);
    expect(sensitive.sort()).toEqual([...SENSITIVE_CATEGORIES].sort());
    expect(SENSITIVE_CATEGORIES).toHaveLength(10);
  });

  it('gives every category an origin and English and Vietnamese labels', () => {
    for (const c of BUILTIN_CATEGORIES) {
      expect(['declared', 'observed', 'contextual', 'derived']).toContain(c.origin);
      expect(c.label.en.length).toBeGreaterThan(0);
      expect(c.label.vi?.length).toBeGreaterThan(0);
    }
    expect(defaultTaxonomy.category('profile.preferences').origin).toBe('declared');
    expect(defaultTaxonomy.category('behavior.purchases').origin).toBe('observed');
    expect(defaultTaxonomy.category('context.time').origin).toBe('contextual');
    expect(defaultTaxonomy.category('derived.segments').origin).toBe('derived');
    expect(defaultTaxonomy.category('context.weather').personal).toBe(false);
  });

  it('lists the same ids without the text as with it (the ids page code reads alone)', () => {
    expect(BUILTIN_PURPOSE_IDS).toEqual(BUILTIN_PURPOSES.map((p) => p.id));
    expect(BUILTIN_CATEGORY_IDS).toEqual(BUILTIN_CATEGORIES.map((c) => c.id));
    expect(BUILTIN_CONSENT_PURPOSE_IDS).toEqual(
      BUILTIN_PURPOSES.filter((p) => p.requiresConsent).map((p) => p.id),
    );
    expect(BUILTIN_CONSENT_PURPOSE_IDS).not.toContain('necessary');
    expect(Object.isFrozen(BUILTIN_PURPOSE_IDS)).toBe(true);
  });

  it('writes each built-in exactly as the definition checks return it (all defaults, same key order)', () => {
    for (const p of BUILTIN_PURPOSES) {
      const checked = checkOrThrow(purposeDefinition, JSON.parse(JSON.stringify(p)), {
        code: 'INVALID_CONFIG',
        what: 'built-in',
      });
      expect(JSON.stringify(p)).toBe(JSON.stringify(checked));
    }
    for (const c of BUILTIN_CATEGORIES) {
      const checked = checkOrThrow(categoryDefinition, JSON.parse(JSON.stringify(c)), {
        code: 'INVALID_CONFIG',
        what: 'built-in',
      });
      expect(JSON.stringify(c)).toBe(JSON.stringify(checked));
    }
  });

  it('has one text entry for each built-in id (the text tables are joined by position)', () => {
    expect(PURPOSE_TEXT).toHaveLength(PURPOSE_FLAGS.length);
    expect(CATEGORY_TEXT).toHaveLength(CATEGORY_FLAGS.length);
    expect(defaultTaxonomy.category('health').label.en).toBe('Health');
    expect(defaultTaxonomy.category('communications').label.en).toBe('Private communications');
    expect(defaultTaxonomy.purpose('marketing.email').label.en).toBe('Personalized email');
  });

  it('gives every purpose English and Vietnamese labels and descriptions', () => {
    for (const p of BUILTIN_PURPOSES) {
      expect(p.label.en.length).toBeGreaterThan(0);
      expect(p.label.vi?.length).toBeGreaterThan(0);
      expect(p.description?.en.length).toBeGreaterThan(0);
      expect(p.description?.vi?.length).toBeGreaterThan(0);
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(defaultTaxonomy)).toBe(true);
    expect(Object.isFrozen(BUILTIN_PURPOSES[0])).toBe(true);
  });
});

describe('createTaxonomy', () => {
  it('adds vendor purposes and categories, with defaults applied', () => {
    const taxonomy = createTaxonomy([
      {
        purposes: [{ id: 'loyalty.rewards', label: { en: 'Loyalty rewards' } }],
        categories: [{ id: 'loyalty.tier', label: { en: 'Loyalty tier' }, origin: 'observed' }],
      },
    ]);
    expect(taxonomy.category('loyalty.tier')).toMatchObject({
      sensitive: false,
      personal: true,
      origin: 'observed',
    });
    expect(taxonomy.purpose('loyalty.rewards')).toMatchObject({
      requiresConsent: true,
      explicitConsentFor: [],
    });
    expect(taxonomy.category('health').sensitive).toBe(true);
  });

  it('accepts an identical redefinition (two plugins shipping the same vendor category)', () => {
    const category = { id: 'loyalty.tier', label: { en: 'Loyalty tier' }, origin: 'observed' as const };
    expect(() =>
      createTaxonomy([{ categories: [category] }, { categories: [{ ...category }] }]),
    ).not.toThrow();
  });

  it('rejects a conflicting redefinition, naming the id', () => {
    const e = thrown(() =>
      createTaxonomy([
        { categories: [{ id: 'loyalty.tier', label: { en: 'Tier' }, origin: 'observed' }] },
        { categories: [{ id: 'loyalty.tier', label: { en: 'Tier' }, origin: 'declared' }] },
      ]),
    );
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toContain('"loyalty.tier"');
    expect(e.path).toEqual(['categories', 'loyalty.tier']);
    const builtin = thrown(() =>
      createTaxonomy([{ categories: [{ id: 'health', label: { en: 'Health' }, origin: 'declared' }] }]),
    );
    expect(builtin.code).toBe('INVALID_CONFIG');
    const purpose = thrown(() =>
      createTaxonomy([{ purposes: [{ id: 'measurement', label: { en: 'Other' } }] }]),
    );
    expect(purpose.path).toEqual(['purposes', 'measurement']);
  });

  it('rejects explicit consent for an unknown category', () => {
    const e = thrown(() =>
      createTaxonomy([
        { purposes: [{ id: 'care', label: { en: 'Care' }, explicitConsentFor: ['medical'] }] },
      ]),
    );
    expect(e.code).toBe('UNKNOWN_CATEGORY');
    expect(e.message).toContain('"medical"');
  });

  it('rejects malformed ids', () => {
    expect(() =>
      createTaxonomy([{ categories: [{ id: 'Loyalty Tier', label: { en: 'x' }, origin: 'observed' }] }]),
    ).toThrow();
  });

  it('names unknown purposes and categories, and where they were used', () => {
    const p = thrown(() => defaultTaxonomy.purpose('advertising', 'strategy "x"'));
    expect(p.code).toBe('UNKNOWN_PURPOSE');
    expect(p.message).toContain('strategy "x": unknown purpose "advertising"');
    const c = thrown(() => defaultTaxonomy.category('shoe.size'));
    expect(c.code).toBe('UNKNOWN_CATEGORY');
    expect(c.message).toContain('unknown data category "shoe.size"');
  });
});

describe('permitsCategory', () => {
  const taxonomy = createTaxonomy([
    { purposes: [{ id: 'care', label: { en: 'Care' }, explicitConsentFor: ['health'] }] },
  ]);

  it('permits non-sensitive categories under any purpose', () => {
    expect(taxonomy.permitsCategory('personalization.profile', 'behavior.purchases')).toBe(true);
  });

  it('permits a sensitive category only under a purpose that explicitly covers it (P3)', () => {
    expect(taxonomy.permitsCategory('personalization.profile', 'health')).toBe(false);
    expect(taxonomy.permitsCategory('care', 'health')).toBe(true);
    expect(taxonomy.permitsCategory('care', 'religion')).toBe(false);
    expect(taxonomy.permitsCategory('personalization.precise-location', 'location.precise')).toBe(true);
    expect(taxonomy.permitsCategory('personalization.contextual', 'location.precise')).toBe(false);
  });

  it('permits nothing for unknown categories or purposes', () => {
    expect(taxonomy.permitsCategory('care', 'unknown.category')).toBe(false);
    expect(taxonomy.permitsCategory('unknown', 'health')).toBe(false);
  });
});
