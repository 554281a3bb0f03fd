import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { negotiateLocale } from './accept-language.js';
import { deviceFrom, frozenDeviceFrom } from './device.js';
import { BUILTIN_HOLIDAYS, holidayCalendar } from './holidays.js';
import { localTime } from './local-time.js';
import { isCountryCode } from './season.js';
import { extractSignals } from './signals.js';

const UAS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Googlebot/2.1 (+http://www.google.com/bot.html)',
  '',
  '   ',
];

describe('memos of the contextual signals', () => {
  it('frozenDeviceFrom answers what deviceFrom does, frozen; deviceFrom still hands out its own copy (property)', () => {
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom(...UAS), { nil: undefined }),
        fc.option(
          fc.dictionary(
            fc.constantFrom('sec-ch-ua-mobile', 'Sec-CH-UA-Platform', 'sec-ch-ua', 'x-other'),
            fc.constantFrom('?1', '?0', '"Android"', '"Chromium";v="126", "Google Chrome";v="126"'),
          ),
          { nil: undefined },
        ),
        (ua, hints) => {
          const frozen = frozenDeviceFrom(ua, hints);
          const copy = deviceFrom(ua, hints);
          expect(frozen).toEqual(copy);
          if (frozen !== undefined) {
            expect(Object.isFrozen(frozen)).toBe(true);
            expect(Object.isFrozen(copy)).toBe(false);
            copy!.class = 'tv';
            expect(frozenDeviceFrom(ua, hints)).toEqual(frozen);
          }
        },
      ),
    );
  });

  it('negotiates each list of supported locales on its own, with and without an explicit locale', () => {
    const en = ['en'];
    const vi = ['vi-VN'];
    expect(negotiateLocale('vi-VN,vi;q=0.9', { supported: en })).toBeUndefined();
    expect(negotiateLocale('vi-VN,vi;q=0.9', { supported: vi })).toBe('vi-VN');
    expect(negotiateLocale('vi-VN,vi;q=0.9')).toBe('vi-VN');
    expect(negotiateLocale('vi-VN,vi;q=0.9', { supported: ['en', 'vi'] })).toBe('vi');
    expect(negotiateLocale('vi-VN,vi;q=0.9', { locale: 'en-GB', supported: en })).toBe('en');
    expect(negotiateLocale('vi-VN,vi;q=0.9', { supported: en })).toBeUndefined();
    expect(negotiateLocale(undefined, { locale: 'en-GB' })).toBe('en-GB');
    expect(negotiateLocale(undefined)).toBeUndefined();
  });

  it('gives the same local time as Intl for any moments of any zones, in any order, across offset changes (property)', () => {
    const zones = ['Asia/Ho_Chi_Minh', 'Europe/Paris', 'America/New_York', 'Australia/Lord_Howe'];
    const intl = (at: number, zone: string) => {
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-US', {
          timeZone: zone,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          weekday: 'short',
        })
          .formatToParts(at)
          .map((p) => [p.type, p.value]),
      );
      return {
        year: Number(parts['year']),
        month: Number(parts['month']),
        day: Number(parts['day']),
        hour: Number(parts['hour']) % 24,
        minute: Number(parts['minute']),
        weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts['weekday']!),
      };
    };
    // Around the 2026 changes of Paris (29 March, 25 October) and New York (8 March, 1 November).
    const near = fc.oneof(
      fc.integer({ min: Date.UTC(2026, 2, 7), max: Date.UTC(2026, 2, 30) }),
      fc.integer({ min: Date.UTC(2026, 9, 24), max: Date.UTC(2026, 10, 2) }),
      fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(near, fc.constantFrom(...zones)), { minLength: 1, maxLength: 20 }),
        (calls) => {
          for (const [at, zone] of calls) expect(localTime(at, zone)).toEqual(intl(at, zone));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('extractSignals answers each request as if it were the first: the moment, local time and holiday memos keep nothing across requests (property)', () => {
    const calendar = holidayCalendar(BUILTIN_HOLIDAYS);
    const options = { holidays: calendar };
    const other = { holidays: holidayCalendar(BUILTIN_HOLIDAYS) };
    // Moments around Tết 2026 (17 February) and the turn of a day, often within the same minute.
    const base = Date.UTC(2026, 1, 16, 16, 59, 0);
    const moment = fc.oneof(
      fc.integer({ min: 0, max: 119_999 }).map((ms) => base + ms),
      fc.integer({ min: -40 * 86_400_000, max: 40 * 86_400_000 }).map((ms) => base + ms),
    );
    const request = fc.record({
      at: moment,
      form: fc.constantFrom('Z', '+07:00', '-05:00'),
      zone: fc.option(
        fc.constantFrom('Asia/Ho_Chi_Minh', 'Europe/Paris', 'Pacific/Kiritimati', 'Nowhere/Else'),
        {
          nil: undefined,
        },
      ),
      country: fc.option(fc.constantFrom('VN', 'AU', 'FR', 'vn', 'V', 'VNM'), { nil: undefined }),
      now: fc.integer({ min: base - 86_400_000, max: base + 86_400_000 }),
    });
    const dataOf = (r: {
      at: number;
      form: string;
      zone: string | undefined;
      country: string | undefined;
    }) => {
      const offset = r.form === 'Z' ? 0 : r.form === '+07:00' ? 420 : -300;
      const iso = new Date(r.at + offset * 60_000).toISOString().replace('Z', r.form);
      return {
        'context.time': r.zone === undefined ? { now: iso } : { now: iso, timeZone: r.zone },
        ...(r.country === undefined ? {} : { 'context.location.coarse': { country: r.country } }),
      };
    };
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 12 }), (requests) => {
        for (const r of requests) {
          const got = extractSignals(dataOf(r), r.now, options);
          // The same request after an unrelated one (which replaces every memo), on a fresh calendar.
          extractSignals(
            { 'context.time': { now: '1999-07-01T03:04:05Z', timeZone: 'America/Lima' } },
            0,
            options,
          );
          expect(got).toEqual(extractSignals(dataOf(r), r.now, other));
          expect(extractSignals(dataOf(r), r.now, options)).toEqual(got);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("a holiday list handed out is the caller's own: changing it changes no later answer", () => {
    const calendar = holidayCalendar(BUILTIN_HOLIDAYS);
    const first = calendar.on({ year: 2026, month: 2, day: 17 }, 'VN');
    expect(first).toEqual(['tet']);
    first.push('changed');
    expect(calendar.on({ year: 2026, month: 2, day: 17 }, 'VN')).toEqual(['tet']);
    expect(calendar.on({ year: 2026, month: 2, day: 17 }, undefined)).toEqual(['tet']);
    expect(calendar.on({ year: 2026, month: 4, day: 30 }, 'VN')).toEqual(['reunification-day']);
    expect(calendar.on({ year: 2026, month: 4, day: 30 }, 'FR')).toEqual([]);
  });

  it('isCountryCode accepts exactly what /^[A-Z]{2}$/ does (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 3 }),
          fc.constantFrom('VN', 'vn', 'V', 'VNM', 'ÀB', 'A\n', '@[', 'ZZ', 'AA', '[A', 'A@'),
          fc.anything(),
        ),
        (value) => {
          expect(isCountryCode(value)).toBe(typeof value === 'string' && /^[A-Z]{2}$/.test(value));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
