import { describe, expect, it } from 'vitest';
import { BUILTIN_HOLIDAYS, HolidayDefinitionSchema, holidayCalendar } from './holidays.js';
import { LUNAR_TABLE_YEARS, MID_AUTUMN_DATES, TET_DATES } from './lunar-dates.js';

const calendar = holidayCalendar(BUILTIN_HOLIDAYS);

describe('holidays', () => {
  it('knows Tết from the shipped table, including the week before', () => {
    expect(calendar.on({ year: 2026, month: 2, day: 17 }, 'VN')).toContain('tet');
    expect(calendar.on({ year: 2026, month: 2, day: 10 }, 'VN')).toContain('tet');
    expect(calendar.on({ year: 2026, month: 2, day: 21 }, 'VN')).toContain('tet');
    expect(calendar.on({ year: 2026, month: 2, day: 22 }, 'VN')).not.toContain('tet');
    expect(calendar.on({ year: 2025, month: 1, day: 29 })).toContain('tet');
  });

  it('ships a Tết date between 21 January and 20 February for every year of the table', () => {
    for (let year = LUNAR_TABLE_YEARS.from; year <= LUNAR_TABLE_YEARS.to; year++) {
      const date = TET_DATES[year];
      expect(date, `Tết ${year}`).toMatch(new RegExp(`^${year}-0[12]-\\d\\d$`));
      const md = Number(date!.slice(5, 7)) * 100 + Number(date!.slice(8, 10));
      expect(md).toBeGreaterThanOrEqual(121);
      expect(md).toBeLessThanOrEqual(220);
      // Mid-autumn is 15th of the 8th lunar month: 7 lunar months and 14 days after Tết, 8 months in a year with a leap month before it.
      const gap = (Date.parse(MID_AUTUMN_DATES[year]!) - Date.parse(date!)) / 86_400_000;
      expect(gap).toBeGreaterThanOrEqual(7 * 29 + 14);
      expect(gap).toBeLessThanOrEqual(8 * 30 + 14);
    }
  });

  it('scopes country holidays to visitors in that country', () => {
    expect(calendar.on({ year: 2026, month: 9, day: 2 }, 'VN')).toContain('national-day');
    expect(calendar.on({ year: 2026, month: 9, day: 2 }, 'DE')).not.toContain('national-day');
    expect(calendar.on({ year: 2026, month: 9, day: 2 })).not.toContain('national-day');
  });

  it('handles windows that cross the new year', () => {
    expect(calendar.on({ year: 2026, month: 12, day: 31 })).toContain('new-year');
    expect(calendar.on({ year: 2027, month: 1, day: 1 })).toContain('new-year');
    expect(calendar.on({ year: 2026, month: 12, day: 26 })).toContain('christmas');
  });

  it('accepts custom holidays and lets them replace a built-in', () => {
    const custom = holidayCalendar([
      ...BUILTIN_HOLIDAYS,
      HolidayDefinitionSchema.parse({ id: 'black-friday', dates: ['2026-11-27'], daysAfter: 3 }),
      HolidayDefinitionSchema.parse({ id: 'christmas', date: '12-25', daysBefore: 24 }),
    ]);
    expect(custom.on({ year: 2026, month: 11, day: 30 })).toContain('black-friday');
    expect(custom.on({ year: 2026, month: 12, day: 3 })).toContain('christmas');
  });

  it('rejects a holiday with both or neither of date and dates', () => {
    expect(HolidayDefinitionSchema.safeParse({ id: 'x' }).success).toBe(false);
    expect(HolidayDefinitionSchema.safeParse({ id: 'x', date: '01-01', dates: ['2026-01-01'] }).success).toBe(
      false,
    );
    expect(HolidayDefinitionSchema.safeParse({ id: 'x', date: '13-01' }).success).toBe(false);
  });
});
