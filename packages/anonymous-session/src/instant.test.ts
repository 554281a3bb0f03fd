import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant } from './instant.js';

describe('parseInstant', () => {
  it('agrees with Date.parse on ISO date-times with zones (property)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        fc.boolean(),
        (date, offsetMinutes, withMs) => {
          const iso = date.toISOString();
          expect(parseInstant(iso)).toBe(Date.parse(iso));
          const local = new Date(date.getTime() + offsetMinutes * 60_000)
            .toISOString()
            .slice(0, withMs ? 23 : 19);
          const sign = offsetMinutes >= 0 ? '+' : '-';
          const abs = Math.abs(offsetMinutes);
          const zoned = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseInstant(zoned)).toBe(Date.parse(zoned));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('returns NaN for garbage and falls back to Date.parse for other forms', () => {
    expect(parseInstant('soon')).toBeNaN();
    expect(parseInstant('2026-13-01T00:00:00Z')).toBeNaN();
    expect(parseInstant('2026-06-01T10:00Z')).toBe(Date.parse('2026-06-01T10:00Z'));
  });
});
