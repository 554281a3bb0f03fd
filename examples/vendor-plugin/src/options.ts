import { TactfulError, type TactfulIssue } from '@tactful/core';

/** The days of the week, as the options name them. */
export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
/** A day of the week. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Options of {@link happyHour}, as written. */
export interface HappyHourOptions {
  /** The slot the offer fills, e.g. `home.hero`. */
  slot: string;
  /** First hour of happy hour, local time, 0–23. */
  startHour: number;
  /** Hour happy hour ends (exclusive), 1–24; smaller than `startHour` for a window past midnight. */
  endHour: number;
  /** The offer: any JSON value your application renders. */
  content: unknown;
  /** Days it runs; defaults to every day. */
  days?: Weekday[];
  /** Variant id reported in decisions; defaults to `happy-hour`. */
  variant?: string;
  /** Time zone used when the request carries none (IANA name); defaults to `UTC`. */
  timeZone?: string;
  /** Score of the proposal in [0, 1]; defaults to 0.8. */
  score?: number;
}

/** Options of {@link happyHour}, with defaults applied. */
export interface ResolvedHappyHourOptions extends Required<Omit<HappyHourOptions, 'content'>> {
  content: unknown;
}

const SLOT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isJson(value: unknown): boolean {
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Checks and completes the options. This plugin depends on `@tactful/core` alone, so it validates
 * by hand; a plugin that already depends on zod would export a schema and use core's `parseOrThrow`.
 *
 * @throws TactfulError `INVALID_OPTIONS` listing every bad field and how to fix it.
 */
export function parseHappyHourOptions(options: HappyHourOptions): ResolvedHappyHourOptions {
  const issues: TactfulIssue[] = [];
  const bad = (field: string, message: string) => issues.push({ path: [field], message });
  const o = (options ?? {}) as Partial<HappyHourOptions>;
  if (typeof o.slot !== 'string' || !SLOT_ID.test(o.slot)) bad('slot', 'use a slot id such as "home.hero"');
  if (!Number.isInteger(o.startHour) || (o.startHour as number) < 0 || (o.startHour as number) > 23) {
    bad('startHour', 'use a whole hour from 0 to 23');
  }
  if (!Number.isInteger(o.endHour) || (o.endHour as number) < 1 || (o.endHour as number) > 24) {
    bad('endHour', 'use a whole hour from 1 to 24');
  } else if (o.endHour === o.startHour) bad('endHour', 'must differ from startHour');
  if (o.content === undefined || !isJson(o.content)) bad('content', 'give the offer as a JSON value');
  if (
    o.days !== undefined &&
    (!Array.isArray(o.days) || o.days.length === 0 || !o.days.every((d) => WEEKDAYS.includes(d)))
  ) {
    bad('days', `use a non-empty list of ${WEEKDAYS.join(', ')}`);
  }
  if (o.variant !== undefined && (typeof o.variant !== 'string' || o.variant.length === 0))
    bad('variant', 'use a non-empty string');
  if (o.timeZone !== undefined && (typeof o.timeZone !== 'string' || !isTimeZone(o.timeZone))) {
    bad('timeZone', 'use an IANA time zone such as "Asia/Ho_Chi_Minh"');
  }
  if (o.score !== undefined && (typeof o.score !== 'number' || !(o.score >= 0 && o.score <= 1))) {
    bad('score', 'use a number from 0 to 1');
  }
  if (issues.length > 0) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `tactful-plugin-happy-hour: invalid options: ${issues.map((i) => `${i.path[0]}: ${i.message}`).join('; ')}`,
      { plugin: 'tactful-plugin-happy-hour', issues, path: issues[0]?.path ?? [] },
    );
  }
  const valid = o as HappyHourOptions;
  return {
    slot: valid.slot,
    startHour: valid.startHour,
    endHour: valid.endHour,
    content: structuredClone(valid.content),
    days: [...(valid.days ?? WEEKDAYS)],
    variant: valid.variant ?? 'happy-hour',
    timeZone: valid.timeZone ?? 'UTC',
    score: valid.score ?? 0.8,
  };
}
