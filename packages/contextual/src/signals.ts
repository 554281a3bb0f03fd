import * as z from 'zod/mini';
import { negotiateLocale } from './accept-language.js';
import { type DeviceInfo, frozenDeviceFrom } from './device.js';
import type { HolidayCalendar } from './holidays.js';
import {
  type Daypart,
  type LocalTime,
  WEEKDAYS,
  type Weekday,
  daypartOf,
  isoOffsetMinutes,
  localTime,
  localTimeAtOffset,
} from './local-time.js';
import { type Season, hemisphereOf, isCountryCode, seasonOf } from './season.js';

/** Weather conditions, coarse enough to write rules with. */
export const WEATHER_CONDITIONS = [
  'clear',
  'cloudy',
  'fog',
  'drizzle',
  'rain',
  'snow',
  'thunderstorm',
] as const;
/** A weather condition. */
export type WeatherCondition = (typeof WEATHER_CONDITIONS)[number];

/** The weather at the visitor's coarse location (the `context.weather` category). */
export const WeatherSchema = z.object({
  condition: z.enum(WEATHER_CONDITIONS),
  temperatureC: z.number().check(z.gte(-100), z.lte(70)),
  raining: z.boolean(),
});
/** The weather at the visitor's coarse location. */
export type Weather = z.infer<typeof WeatherSchema>;

/**
 * The `contextual.context` signal: what the moment says, with no identity and no history. A key is
 * absent when it is not known (no time zone, no User-Agent, no trusted location, no weather ...).
 */
export interface ContextSignals {
  daypart?: Daypart;
  /** Local hour, 0–23. */
  hour?: number;
  dayOfWeek?: Weekday;
  weekend?: boolean;
  season?: Season;
  /** Ids of the holidays on today, e.g. `['tet']`. */
  holidays?: string[];
  device?: DeviceInfo;
  /** The chosen locale (BCP 47), e.g. `vi-VN`. */
  locale?: string;
  /** Its language, e.g. `vi`. */
  language?: string;
  country?: string;
  region?: string;
  city?: string;
  weather?: Weather;
  /**
   * Names of configured places within their radius of the visitor — only computed from precise
   * location, and so only when `personalization.precise-location` is granted.
   */
  near?: string[];
}

/** A named place, for "near the store" rules over precise location. */
export interface Place {
  name: string;
  latitude: number;
  longitude: number;
  radiusKm: number;
}

/** What signal extraction needs besides the data. */
export interface ExtractOptions {
  holidays: HolidayCalendar;
  /** Time zone used when the request gives none. */
  defaultTimeZone?: string | undefined;
  /** Locales the site supports; the visitor's locale is negotiated against them. */
  supportedLocales?: ReadonlyArray<string> | undefined;
  places?: ReadonlyArray<Place> | undefined;
  /** Weekend days (default Saturday and Sunday). */
  weekend?: ReadonlyArray<Weekday> | undefined;
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown, max = 2048): string | undefined =>
  typeof v === 'string' && v.length > 0 && v.length <= max ? v : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const CONDITIONS: ReadonlySet<string> = new Set(WEATHER_CONDITIONS);

/**
 * The weather category as {@link WeatherSchema} reads it (the same checks, its known keys only),
 * without a schema run on every decision.
 */
function readWeather(value: unknown): Weather | undefined {
  const w = obj(value);
  if (w === undefined) return undefined;
  const { condition, temperatureC, raining } = w;
  if (typeof condition !== 'string' || !CONDITIONS.has(condition)) return undefined;
  if (typeof temperatureC !== 'number' || !(temperatureC >= -100 && temperatureC <= 70)) return undefined;
  if (typeof raining !== 'boolean') return undefined;
  return { condition: condition as WeatherCondition, temperatureC, raining };
}

// The last request moment and local time read (most requests of a moment share them): a
// `Date.parse` and a local time cost more than the rest of the time signals together.
let lastIso: string | undefined;
let lastParsed = Number.NaN;
let lastZone: string | undefined;
let lastMinute = Number.NaN;
let lastLocal: LocalTime | undefined;

/** {@link localTime} of `at` in `zone`, the last answer reused within the same minute and zone. */
function localTimeOf(at: number, zone: string): LocalTime | undefined {
  // A zone's offset is fixed within a quarter hour, so within a minute the local minute is too.
  const minute = Math.floor(at / 60_000);
  if (minute === lastMinute && zone === lastZone) return lastLocal;
  const local = localTime(at, zone);
  if (local !== undefined) Object.freeze(local);
  lastZone = zone;
  lastMinute = minute;
  lastLocal = local;
  return local;
}

function resolveLocalTime(
  time: Record<string, unknown> | undefined,
  now: number,
  defaultTimeZone: string | undefined,
): LocalTime | undefined {
  const iso = str(time?.['now'], 64);
  let parsed = Number.NaN;
  if (iso !== undefined) {
    if (iso !== lastIso) {
      lastParsed = Date.parse(iso);
      lastIso = iso;
    }
    parsed = lastParsed;
  }
  const at = Number.isFinite(parsed) ? parsed : now;
  if (time !== undefined && 'timeZone' in time) {
    const zone = str(time['timeZone'], 64);
    return zone === undefined ? undefined : localTimeOf(at, zone);
  }
  if (defaultTimeZone !== undefined) return localTimeOf(at, defaultTimeZone);
  const offset = iso === undefined ? undefined : isoOffsetMinutes(iso);
  return offset === undefined ? undefined : localTimeAtOffset(at, offset);
}

function distanceKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLon = (bLon - aLon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Computes the `contextual.context` signal from the request-borne categories (and the weather)
 * a contextual strategy was given. Never throws: what cannot be read is left out.
 *
 * @example
 * ```ts
 * extractSignals(
 *   { 'context.time': { now: '2026-11-29T12:00:00Z', timeZone: 'Asia/Ho_Chi_Minh' }, 'context.location.coarse': { country: 'VN' } },
 *   Date.now(),
 *   { holidays: holidayCalendar(BUILTIN_HOLIDAYS) },
 * ); // { daypart: 'evening', hour: 19, dayOfWeek: 'sunday', weekend: true, season: 'autumn', holidays: [], country: 'VN' }
 * ```
 */
export function extractSignals(
  data: Readonly<Record<string, unknown>>,
  now: number,
  options: ExtractOptions,
): ContextSignals {
  const out: ContextSignals = {};
  const geo = obj(data['context.location.coarse']);
  const country = str(geo?.['country'], 2);
  if (isCountryCode(country)) out.country = country;
  const region = str(geo?.['region'], 128);
  if (region !== undefined) out.region = region;
  const city = str(geo?.['city'], 128);
  if (city !== undefined) out.city = city;

  const precise = obj(data['location.precise']);
  const latitude = num(precise?.['latitude']);
  const longitude = num(precise?.['longitude']);
  const hasPrecise =
    latitude !== undefined &&
    longitude !== undefined &&
    Math.abs(latitude) <= 90 &&
    Math.abs(longitude) <= 180;

  const local = resolveLocalTime(obj(data['context.time']), now, options.defaultTimeZone);
  if (local !== undefined) {
    out.daypart = daypartOf(local.hour);
    out.hour = local.hour;
    const day = WEEKDAYS[local.weekday]!;
    out.dayOfWeek = day;
    out.weekend = options.weekend === undefined ? local.weekday % 6 === 0 : options.weekend.includes(day);
    const hemisphere = hemisphereOf({ country: out.country, latitude: hasPrecise ? latitude : undefined });
    if (hemisphere !== undefined) out.season = seasonOf(local.month, hemisphere);
    out.holidays = options.holidays.on(local, out.country);
  }

  const device = obj(data['context.device']);
  if (device !== undefined) {
    const hints = obj(device['clientHints']);
    const info = frozenDeviceFrom(str(device['userAgent']), hints as Record<string, string> | undefined);
    if (info !== undefined) out.device = info;
  }

  const locale = obj(data['context.locale']);
  if (locale !== undefined) {
    const chosen = negotiateLocale(str(locale['acceptLanguage'], 512), {
      locale: str(locale['locale'], 35),
      supported: options.supportedLocales,
    });
    if (chosen !== undefined) {
      out.locale = chosen;
      const dash = chosen.indexOf('-');
      out.language = dash < 0 ? chosen : chosen.slice(0, dash);
    }
  }

  const weather = readWeather(data['context.weather']);
  if (weather !== undefined) out.weather = weather;

  if (hasPrecise && options.places !== undefined && options.places.length > 0) {
    const near: string[] = [];
    for (let i = 0; i < options.places.length; i++) {
      const p = options.places[i]!;
      if (distanceKm(latitude, longitude, p.latitude, p.longitude) <= p.radiusKm) near.push(p.name);
    }
    out.near = near;
  }
  return out;
}
