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

  it('agrees with Intl at every instant, across DST changes and odd offsets', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'Asia/Ho_Chi_Minh',
      'America/St_Johns',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 1_577_836_800_000, max: 2_524_608_000_000 }),
        (zone, at) => {
          const parts: Record<string, string> = {};
          const format = new Intl.DateTimeFormat('en-US', {
            timeZone: zone,
            hourCycle: 'h23',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            weekday: 'short',
          });
          for (const p of format.formatToParts(at)) parts[p.type] = p.value;
          const t = localTime(at, zone)!;
          expect([t.year, t.month, t.day, t.hour, t.minute]).toEqual(
            ['year', 'month', 'day', 'hour', 'minute'].map(
              (k) => Number(parts[k]) % (k === 'hour' ? 24 : 10_000),
            ),
          );
          expect(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][t.weekday]).toBe(parts['weekday']);
        },
      ),
      { numRuns: 2000 },
    );
    // The hour Berlin springs forward (2026-03-29 01:00 UTC): 01:59 CET is followed by 03:00 CEST.
    expect(localTime(Date.parse('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toMatchObject({
      hour: 1,
      minute: 59,
    });
    expect(localTime(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toMatchObject({
      hour: 3,
      minute: 0,
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
