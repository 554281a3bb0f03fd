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

const QUARTER_HOUR = 15 * 60_000;
const offsets = new Map<string, number>();
const lastOffsets = new Map<string, { readonly bucket: number; readonly offset: number }>();
const MAX_OFFSETS = 4096;

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
  // Offsets only change on quarter hours: one Intl call per zone and quarter hour, then arithmetic.
  const bucket = Math.floor(epochMs / QUARTER_HOUR);
  // The zone's last quarter hour first (most requests of a moment share it), without a key string.
  const last = lastOffsets.get(timeZone);
  if (last !== undefined && last.bucket === bucket) return localTimeAtOffset(epochMs, last.offset);
  const key = `${timeZone}|${bucket}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const formatter = formatterFor(timeZone);
    if (formatter === null) return undefined;
    const at = bucket * QUARTER_HOUR;
    const parts: Record<string, string> = {};
    for (const part of formatter.formatToParts(at)) parts[part.type] = part.value;
    const wall = Date.UTC(
      Number(parts['year']),
      Number(parts['month']) - 1,
      Number(parts['day']),
      Number(parts['hour']) % 24,
      Number(parts['minute']),
    );
    if (!Number.isFinite(wall)) return undefined;
    offset = Math.round((wall - at) / 60_000);
    if (offsets.size >= MAX_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  if (lastOffsets.size >= MAX_FORMATTERS && !lastOffsets.has(timeZone)) lastOffsets.clear();
  lastOffsets.set(timeZone, { bucket, offset });
  return localTimeAtOffset(epochMs, offset);
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
