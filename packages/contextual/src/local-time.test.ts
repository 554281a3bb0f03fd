import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daypartOf, isoOffsetMinutes, isValidTimeZone, localTime, localTimeAtOffset } from './local-time.js';
import { hemisphereOf, seasonOf } from './season.js';

describe('localTime', () => {
  it('converts to the visitor time zone with Intl', () => {
    const at = Date.parse('2026-11-29T12:30:00Z');
    expect(localTime(at, 'Asia/Ho_Chi_Minh')).toEqual({
      year: 2026,
      month: 11,
      day: 29,
      hour: 19,
      minute: 30,
      weekday: 0,
    });
    expect(localTime(at, 'America/Los_Angeles')).toMatchObject({ day: 29, hour: 4 });
    expect(localTime(Date.parse('2026-12-31T23:30:00Z'), 'Europe/Berlin')).toMatchObject({
      year: 2027,
      month: 1,
      day: 1,
      hour: 0,
    });
  });

  it('returns undefined for a bad zone instead of throwing', () => {
    expect(localTime(Date.now(), 'Mars/Olympus_Mons')).toBeUndefined();
    expect(localTime(Date.now(), '')).toBeUndefined();
    expect(isValidTimeZone('Asia/Ho_Chi_Minh')).toBe(true);
    expect(isValidTimeZone('not a zone')).toBe(false);
  });

  it('never throws, whatever the zone string', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        (zone, at) => {
          const t = localTime(at, zone);
          if (t !== undefined) expect(t.hour).toBeLessThan(24);
        },
      ),
    );
  });

  it('reads a UTC offset from an ISO date-time, ignoring Z', () => {
    expect(isoOffsetMinutes('2026-11-29T19:30:00+07:00')).toBe(420);
    expect(isoOffsetMinutes('2026-11-29T07:30:00-0530')).toBe(-330);
    expect(isoOffsetMinutes('2026-11-29T12:30:00Z')).toBeUndefined();
    expect(localTimeAtOffset(Date.parse('2026-11-29T12:30:00Z'), 420)).toMatchObject({
      hour: 19,
      weekday: 0,
    });
  });

  it('names dayparts by local hour', () => {
    expect([4, 5, 11, 12, 16, 17, 21, 22, 0].map(daypartOf)).toEqual([
      'night',
      'morning',
      'morning',
      'afternoon',
      'afternoon',
      'evening',
      'evening',
      'night',
      'night',
    ]);
  });
});

describe('season', () => {
  it('is hemisphere-aware, from the latitude first, then the country', () => {
    expect(seasonOf(7, 'northern')).toBe('summer');
    expect(seasonOf(7, 'southern')).toBe('winter');
    expect(seasonOf(12, 'northern')).toBe('winter');
    expect(seasonOf(4, 'southern')).toBe('autumn');
    expect(hemisphereOf({ country: 'AU' })).toBe('southern');
    expect(hemisphereOf({ country: 'VN' })).toBe('northern');
    expect(hemisphereOf({ country: 'VN', latitude: -33.9 })).toBe('southern');
    expect(hemisphereOf({})).toBeUndefined();
  });

  it('gives opposite seasons in the two hemispheres for every month', () => {
    const opposite = { spring: 'autumn', autumn: 'spring', summer: 'winter', winter: 'summer' } as const;
    for (let month = 1; month <= 12; month++) {
      expect(seasonOf(month, 'southern')).toBe(opposite[seasonOf(month, 'northern')]);
    }
  });
});
