/** Parts of the visitor's local date and time. */
export interface LocalTime {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
  /** 0–23. */
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** Parts of the day, by local hour. */
export type Daypart = 'morning' | 'afternoon' | 'evening' | 'night';
/** Days of the week, as the `contextual.context` signal names them. */
export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
/** A day of the week. */
export type Weekday = (typeof WEEKDAYS)[number];

const formatters = new Map<string, Intl.DateTimeFormat | null>();
const MAX_FORMATTERS = 512;

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(timeZone);
  if (cached !== undefined) return cached;
  let formatter: Intl.DateTimeFormat | null;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
  } catch {
    formatter = null;
  }
  if (formatters.size >= MAX_FORMATTERS) formatters.clear();
  formatters.set(timeZone, formatter);
  return formatter;
}

/** True when `timeZone` is an IANA time zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  return (
    typeof timeZone === 'string' &&
    timeZone.length > 0 &&
    timeZone.length <= 64 &&
    formatterFor(timeZone) !== null
  );
}

const SHORT_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * The local date and time of `epochMs` in `timeZone` (an IANA zone, via `Intl.DateTimeFormat`).
 * Returns undefined for an unknown or malformed zone, never throws.
 *
 * @example
 * ```ts
 * localTime(Date.parse('2026-11-29T12:30:00Z'), 'Asia/Ho_Chi_Minh'); // { hour: 19, minute: 30, weekday: 0, ... }
 * ```
 */
export function localTime(epochMs: number, timeZone: string): LocalTime | undefined {
  if (!Number.isFinite(epochMs)) return undefined;
  const formatter = formatterFor(timeZone);
  if (formatter === null) return undefined;
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(epochMs)) parts[part.type] = part.value;
  const weekday = SHORT_WEEKDAYS.indexOf(parts['weekday'] ?? '');
  const result = {
    year: Number(parts['year']),
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']) % 24,
    minute: Number(parts['minute']),
    weekday,
  };
  if (weekday < 0 || Object.values(result).some((n) => !Number.isInteger(n))) return undefined;
  return result;
}

/**
 * The local date and time of `epochMs` at a fixed UTC offset (minutes east of UTC), for requests
 * that carry their own offset but no zone name.
 */
export function localTimeAtOffset(epochMs: number, offsetMinutes: number): LocalTime | undefined {
  if (!Number.isFinite(epochMs) || !Number.isFinite(offsetMinutes) || Math.abs(offsetMinutes) > 18 * 60)
    return undefined;
  const d = new Date(epochMs + offsetMinutes * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}

/**
 * The UTC offset written in an ISO 8601 date-time, in minutes; undefined when it has none. `Z`
 * counts as no offset because servers stamp UTC times with it: it says nothing of the visitor.
 */
export function isoOffsetMinutes(iso: string): number | undefined {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  if (match === null || !/T\d{2}:\d{2}/.test(iso)) return undefined;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** Part of the day: morning 5–11, afternoon 12–16, evening 17–21, night 22–4. */
export function daypartOf(hour: number): Daypart {
  if (hour >= 5 && hour < 12) return 'morning';
  if (hour >= 12 && hour < 17) return 'afternoon';
  if (hour >= 17 && hour < 22) return 'evening';
  return 'night';
}
