import type { Weekday } from './options.js';

/** The local hour (0–23) and day of the week of a moment in a time zone. */
export interface LocalTime {
  hour: number;
  weekday: Weekday;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat | undefined {
  let f = formats.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23', weekday: 'long' });
    } catch {
      return undefined;
    }
    if (formats.size < 64) formats.set(timeZone, f);
  }
  return f;
}

/**
 * The local hour and weekday of `epochMs` in `timeZone`, using only the web platform's `Intl`
 * (runs in Node, browsers and edge runtimes). `undefined` for an unknown time zone.
 */
export function localTime(epochMs: number, timeZone: string): LocalTime | undefined {
  const f = format(timeZone);
  if (!f || !Number.isFinite(epochMs)) return undefined;
  const parts = f.formatToParts(new Date(epochMs));
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const weekday = parts.find((p) => p.type === 'weekday')?.value.toLowerCase() as Weekday | undefined;
  if (!Number.isInteger(hour) || weekday === undefined) return undefined;
  return { hour, weekday };
}

/** True when `hour` falls in [start, end), wrapping past midnight when `end <= start`. */
export function inWindow(hour: number, start: number, end: number): boolean {
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}
