import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SUBJECT_LIMITS,
  applyPreferencesPatch,
  parseSubjectEvents,
  parseSubjectId,
  parseSubjectInput,
  ProfileAttributesSchema,
  resolveRetention,
  subjectHash,
} from './subject-store.js';

describe('subject store helpers', () => {
  it('computes HMAC-SHA-256 (RFC 4231 test case 2), so every store agrees on tombstones', async () => {
    expect(await subjectHash('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(await subjectHash(new TextEncoder().encode('Jefe'), 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('keeps declared lists disjoint for any patch sequence', () => {
    const topic = fc.constantFrom('a', 'b', 'c', 'd');
    fc.assert(
      fc.property(
        fc.array(
          fc.record(
            { interests: fc.uniqueArray(topic), notInterested: fc.uniqueArray(topic) },
            { requiredKeys: [] },
          ),
        ),
        (patches) => {
          let prefs: ReturnType<typeof applyPreferencesPatch> | undefined;
          for (const p of patches) {
            try {
              prefs = applyPreferencesPatch(prefs, p);
            } catch {
              expect(p.interests?.some((t) => p.notInterested?.includes(t))).toBe(true);
            }
          }
          if (prefs) expect(prefs.interests.filter((t) => prefs?.notInterested.includes(t))).toEqual([]);
        },
      ),
    );
  });

  it('names the field of bad input', () => {
    expect(() => parseSubjectId('has space')).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', path: ['subjectId'] }),
    );
    expect(() => parseSubjectEvents([{ category: 'health', data: {} }])).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_CATEGORY', path: ['events', 0, 'category'] }),
    );
    expect(() =>
      parseSubjectInput(ProfileAttributesSchema, { nested: { constructor: 1 } }, ['attributes']),
    ).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', path: ['attributes', 'nested', 'constructor'] }),
    );
    const big = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`k${i}`, 'x'.repeat(SUBJECT_LIMITS.maxString)]),
    );
    expect(() => parseSubjectInput(ProfileAttributesSchema, big, ['attributes'])).toThrow(
      expect.objectContaining({ code: 'PAYLOAD_TOO_LARGE' }),
    );
  });

  it('overrides retention only where given', () => {
    expect(resolveRetention({ 'behavior.cart': 7, 'behavior.pageviews': undefined })).toEqual({
      'behavior.purchases': 730,
      'behavior.pageviews': 90,
      'behavior.cart': 7,
      'derived.segments': 30,
    });
  });
});
