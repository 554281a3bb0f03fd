import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_HOLIDAYS, holidayCalendar } from './holidays.js';
import { WEATHER_CONDITIONS, WeatherSchema, extractSignals } from './signals.js';

const options = { holidays: holidayCalendar(BUILTIN_HOLIDAYS) };
const NOW = Date.parse('2026-12-03T12:30:00Z');

describe('the weather signal', () => {
  it('for every value of the weather category, reads exactly what WeatherSchema accepts, its known keys only', () => {
    const weatherLike = fc.record(
      {
        condition: fc.oneof(fc.constantFrom(...WEATHER_CONDITIONS), fc.string(), fc.integer()),
        temperatureC: fc.oneof(
          fc.double({ min: -150, max: 120 }),
          fc.constantFrom(-100, 70, Number.NaN, Number.POSITIVE_INFINITY, -0),
          fc.string(),
        ),
        raining: fc.oneof(fc.boolean(), fc.constantFrom(0, 1, 'true', null)),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(weatherLike, fc.anything(), fc.array(fc.anything())), (value) => {
        const parsed = WeatherSchema.safeParse(value);
        const signals = extractSignals({ 'context.weather': value }, NOW, options);
        expect(signals.weather).toEqual(parsed.success ? parsed.data : undefined);
      }),
      { numRuns: 1000 },
    );
  });
});
