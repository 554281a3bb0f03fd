import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { SUBJECT_LIMITS } from '@tactful/core';
import {
  SubjectStoreOptionsShape,
  decodeProfileRow,
  mergeAttributes,
  parseReplacementEvents,
  profileRowEntries,
  subjectExport,
} from '@tactful/core/store';

const AT = '2026-03-01T08:00:00.000Z';

describe('parseReplacementEvents', () => {
  it('gives the category and the events of that category', () => {
    const view = { at: AT, url: '/shoes', durationMs: 5400 };
    expect(parseReplacementEvents('behavior.pageviews', [view])).toEqual({
      category: 'behavior.pageviews',
      events: [view],
    });
  });

  it('refuses an unknown category with UNKNOWN_CATEGORY naming it', () => {
    expect(() => parseReplacementEvents('behavior.clicks' as never, [])).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_CATEGORY', path: ['category'] }),
    );
  });

  it('refuses events of another category, and too many events, naming events', () => {
    expect(() => parseReplacementEvents('behavior.purchases', [{ at: AT, url: '/x' }] as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/events/) }),
    );
    const many = Array.from({ length: SUBJECT_LIMITS.maxEventsPerWrite + 1 }, () => ({ at: AT, url: '/x' }));
    expect(() => parseReplacementEvents('behavior.pageviews', many as never)).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/^(INVALID_INPUT|PAYLOAD_TOO_LARGE)$/) }),
    );
  });
});

describe('mergeAttributes', () => {
  it('merges over the stored attributes, or replaces them all', () => {
    expect(mergeAttributes({ tier: 'gold', city: 'Hà Nội' }, { tier: 'silver' }, false)).toEqual({
      tier: 'silver',
      city: 'Hà Nội',
    });
    expect(mergeAttributes({ tier: 'gold', city: 'Hà Nội' }, { tier: 'silver' }, true)).toEqual({
      tier: 'silver',
    });
    expect(mergeAttributes(undefined, { tier: 'silver' }, false)).toEqual({ tier: 'silver' });
  });

  it('refuses a merge past the entry limit with INVALID_INPUT naming attributes', () => {
    const half = (offset: number) =>
      Object.fromEntries(
        Array.from({ length: Math.ceil(SUBJECT_LIMITS.maxEntries / 2) + 1 }, (_, i) => [`k${offset + i}`, i]),
      );
    expect(() => mergeAttributes(half(0), half(10_000), false)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringMatching(/attributes/) }),
    );
  });
});

describe('stored profile rows and the export', () => {
  it('reads JSON text columns, counts entries, and builds the export document', () => {
    const row = {
      preferences: JSON.stringify({ interests: ['kids'], notInterested: [], answers: {} }),
      attributes: null,
    };
    expect(decodeProfileRow(row)).toEqual({
      preferences: { interests: ['kids'], notInterested: [], answers: {} },
      attributes: undefined,
    });
    expect(decodeProfileRow(undefined)).toEqual({ preferences: undefined, attributes: undefined });
    expect(profileRowEntries(row)).toBe(1);
    expect(profileRowEntries(undefined)).toBe(0);
    const names = ['loyal'];
    const exported = subjectExport({
      profile: row,
      purchases: [],
      pageviews: [],
      cart: undefined,
      segments: { names, updatedAt: AT },
    });
    expect(exported).toEqual({
      preferences: { interests: ['kids'], notInterested: [], answers: {} },
      attributes: null,
      purchases: [],
      pageviews: [],
      cart: null,
      segments: { names: ['loyal'], updatedAt: AT },
    });
    // A copy: changing the export does not change what the store read.
    exported.segments?.names.push('x');
    expect(names).toEqual(['loyal']);
  });
});

describe('SubjectStoreOptionsShape', () => {
  const schema = z.strictObject(SubjectStoreOptionsShape);
  it('takes the options every subject store shares, and refuses a short tombstone key', () => {
    expect(
      schema.safeParse({
        name: 's',
        retention: { 'behavior.cart': 7 },
        tombstoneKey: 'x'.repeat(16),
        now: () => 1,
      }).success,
    ).toBe(true);
    expect(schema.safeParse({ tombstoneKey: 'short' }).success).toBe(false);
    expect(schema.safeParse({ now: 5 }).success).toBe(false);
    expect(schema.safeParse({ retention: { 'behavior.cart': 0 } }).success).toBe(false);
  });
});
