import * as z from 'zod/mini';
import { MID_AUTUMN_DATES, TET_DATES } from './lunar-dates.js';

/**
 * A holiday or season of the year. It is "on" from `daysBefore` days before its date to `daysAfter`
 * days after it, in the visitor's local calendar, and only for visitors in `countries` when given.
 */
export const HolidayDefinitionSchema = z
  .object({
    /** The id published in `contextual.context.holidays`, e.g. `tet`. */
    id: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'use a lowercase id such as "tet" or "black-friday"')),
    /** A date repeating every year, `MM-DD`. */
    date: z.optional(
      z.string().check(z.regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'use "MM-DD", e.g. "12-25"')),
    ),
    /** Explicit dates, `YYYY-MM-DD` (for movable feasts and lunar dates). */
    dates: z.optional(
      z
        .array(z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'use "YYYY-MM-DD"')))
        .check(z.maxLength(1000)),
    ),
    daysBefore: z._default(z.number().check(z.int(), z.gte(0), z.lte(60)), 0),
    daysAfter: z._default(z.number().check(z.int(), z.gte(0), z.lte(60)), 0),
    /** ISO 3166-1 alpha-2 codes; absent = everywhere. */
    countries: z.optional(
      z.array(z.string().check(z.regex(/^[A-Z]{2}$/, 'use ISO 3166-1 alpha-2 codes such as "VN"'))),
    ),
  })
  .check(
    z.refine((h) => (h.date === undefined) !== (h.dates === undefined), {
      message: 'give either "date" (MM-DD, every year) or "dates" (YYYY-MM-DD list), not both or neither',
    }),
  );
/** A holiday definition, as written. */
export type HolidayDefinitionInput = z.input<typeof HolidayDefinitionSchema>;
/** A holiday definition, with defaults applied. */
export type HolidayDefinition = z.output<typeof HolidayDefinitionSchema>;

/**
 * The built-in holidays. `tet` spans the week before Tết Nguyên Đán to the 5th day of the new year
 * (dates shipped as a table for 2000–2060); `mid-autumn` is the week up to Tết Trung thu.
 */
export const BUILTIN_HOLIDAYS: readonly HolidayDefinition[] = Object.freeze(
  (
    [
      { id: 'tet', dates: Object.values(TET_DATES), daysBefore: 7, daysAfter: 4 },
      { id: 'mid-autumn', dates: Object.values(MID_AUTUMN_DATES), daysBefore: 7 },
      { id: 'new-year', date: '01-01', daysBefore: 1 },
      { id: 'valentines-day', date: '02-14' },
      { id: 'womens-day', date: '03-08' },
      { id: 'reunification-day', date: '04-30', countries: ['VN'] },
      { id: 'labour-day', date: '05-01' },
      { id: 'national-day', date: '09-02', countries: ['VN'] },
      { id: 'vietnamese-womens-day', date: '10-20', countries: ['VN'] },
      { id: 'halloween', date: '10-31' },
      { id: 'christmas', date: '12-25', daysBefore: 1, daysAfter: 1 },
    ] satisfies HolidayDefinitionInput[]
  ).map((h) => Object.freeze(HolidayDefinitionSchema.parse(h))),
);

const DAY = 86_400_000;
const dayNumber = (year: number, month: number, day: number): number =>
  Math.round(Date.UTC(year, month - 1, day) / DAY);

/** A compiled holiday calendar: answers "which holidays are on at this local date?". */
export interface HolidayCalendar {
  /** Ids of the holidays on at the local date, for a visitor in `country` (when known). */
  on(date: { year: number; month: number; day: number }, country?: string): string[];
}

/**
 * Compiles holiday definitions into a calendar. Later definitions with the same id replace earlier
 * ones, so an integrator may redefine a built-in.
 *
 * @example
 * ```ts
 * const calendar = holidayCalendar(BUILTIN_HOLIDAYS);
 * calendar.on({ year: 2026, month: 2, day: 17 }, 'VN'); // ['tet']
 * ```
 */
export function holidayCalendar(definitions: ReadonlyArray<HolidayDefinition>): HolidayCalendar {
  const byId = new Map<string, HolidayDefinition>();
  for (const d of definitions) byId.set(d.id, d);
  const compiled = [...byId.values()].map((d) => {
    const fixed = d.dates?.map((iso) =>
      dayNumber(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))),
    );
    const sorted = fixed ? Int32Array.from(fixed).sort() : undefined;
    const [mm, dd] = d.date ? d.date.split('-').map(Number) : [0, 0];
    const countries = d.countries ? new Set(d.countries) : undefined;
    return {
      id: d.id,
      countries,
      matches(today: number, year: number): boolean {
        if (sorted) {
          // Any listed date D with D - before <= today <= D + after.
          let lo = 0;
          let hi = sorted.length;
          const from = today - d.daysAfter;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (sorted[mid]! < from) lo = mid + 1;
            else hi = mid;
          }
          return lo < sorted.length && sorted[lo]! <= today + d.daysBefore;
        }
        for (const y of [year - 1, year, year + 1]) {
          const at = dayNumber(y, mm!, dd!);
          if (today >= at - d.daysBefore && today <= at + d.daysAfter) return true;
        }
        return false;
      },
    };
  });
  const memo = new Map<string, readonly string[]>();
  // The last date and country asked (most requests of a day share them): no key string, no map.
  let lastYear = Number.NaN;
  let lastMonth = 0;
  let lastDay = 0;
  let lastCountry: string | undefined;
  let last: readonly string[] = [];
  return {
    on(date, country) {
      if (
        date.year === lastYear &&
        date.month === lastMonth &&
        date.day === lastDay &&
        country === lastCountry
      )
        return [...last];
      const today = dayNumber(date.year, date.month, date.day);
      const key = `${today}|${country ?? ''}`;
      let out = memo.get(key);
      if (out === undefined) {
        const found: string[] = [];
        for (const h of compiled) {
          if (h.countries && (country === undefined || !h.countries.has(country))) continue;
          if (h.matches(today, date.year)) found.push(h.id);
        }
        if (memo.size >= 1024) memo.clear();
        memo.set(key, found);
        out = found;
      }
      lastYear = date.year;
      lastMonth = date.month;
      lastDay = date.day;
      lastCountry = country;
      last = out;
      return [...out];
    },
  };
}
