import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTag, negotiateLocale, parseAcceptLanguage } from './accept-language.js';

describe('parseAcceptLanguage', () => {
  it('orders ranges by quality value, keeping header order on ties', () => {
    expect(parseAcceptLanguage('en;q=0.7, vi-VN, fr;q=0.7,vi;q=0.9')).toEqual([
      { tag: 'vi-VN', q: 1 },
      { tag: 'vi', q: 0.9 },
      { tag: 'en', q: 0.7 },
      { tag: 'fr', q: 0.7 },
    ]);
  });

  it('leaves out q=0 ranges and malformed ranges instead of failing', () => {
    expect(parseAcceptLanguage('de;q=0, en-us;q=abc, !!, ja;q=1.5, zh-hant-tw;q=0.5')).toEqual([
      { tag: 'zh-Hant-TW', q: 0.5 },
    ]);
    expect(parseAcceptLanguage('')).toEqual([]);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
  });

  it('puts tags in canonical case', () => {
    expect(canonicalTag('EN-us')).toBe('en-US');
    expect(canonicalTag('sr-latn-rs')).toBe('sr-Latn-RS');
  });

  it('never throws and always returns ranges sorted by descending q in (0, 1]', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (header) => {
        const prefs = parseAcceptLanguage(header);
        for (let i = 0; i < prefs.length; i++) {
          expect(prefs[i]!.q).toBeGreaterThan(0);
          expect(prefs[i]!.q).toBeLessThanOrEqual(1);
          if (i > 0) expect(prefs[i - 1]!.q).toBeGreaterThanOrEqual(prefs[i]!.q);
        }
      }),
    );
  });
});

describe('negotiateLocale', () => {
  it('lets an explicit locale win over Accept-Language', () => {
    expect(negotiateLocale('en-US,en;q=0.9', { locale: 'vi-VN' })).toBe('vi-VN');
  });

  it('negotiates against supported locales, falling back to the same language', () => {
    expect(negotiateLocale('de-AT,vi;q=0.8', { supported: ['en', 'vi-VN'] })).toBe('vi-VN');
    expect(negotiateLocale('ja', { supported: ['en', 'vi'] })).toBeUndefined();
    expect(negotiateLocale('en-GB', { supported: ['en-US', 'vi'] })).toBe('en-US');
  });
});
