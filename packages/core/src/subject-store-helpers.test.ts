import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { SUBJECT_LIMITS, type TactfulError } from '@tactful/core';
import {
  SubjectStoreOptionsShape,
  decodeProfileRow,
  mergeAttributes,
  parseReplacementEvents,
  profileRowEntries,
  subjectExport,
} from '@tactful/core/store';

function thrown(run: () => unknown): TactfulError {
  try {
    run();
  } catch (e) {
    return e as TactfulError;
  }
  throw new Error('did not throw');
}

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
    const error = thrown(() => parseReplacementEvents('behavior.clicks' as never, []));
    expect(error.code).toBe('UNKNOWN_CATEGORY');
    expect(error.path).toEqual(['category']);
  });

  it('refuses events of another category, and too many events, naming events', () => {
    const wrong = thrown(() =>
      parseReplacementEvents('behavior.purchases', [{ at: AT, url: '/x' }] as never),
    );
    expect(wrong.code).toBe('INVALID_INPUT');
    expect(wrong.message).toMatch(/events/);
    const many = Array.from({ length: SUBJECT_LIMITS.maxEventsPerWrite + 1 }, () => ({ at: AT, url: '/x' }));
    expect(['INVALID_INPUT', 'PAYLOAD_TOO_LARGE']).toContain(
      thrown(() => parseReplacementEvents('behavior.pageviews', many as never)).code,
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
    const error = thrown(() => mergeAttributes(half(0), half(10_000), false));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/attributes/);
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
