import {
  type DataSource,
  type DataSourceQuery,
  type PluginCallContext,
  PluginNameSchema,
  defineDataSource,
  parseOrThrow,
} from '@tactful/core';
import * as z from 'zod/mini';
import type { Weather } from './signals.js';
import { VERSION } from './version.js';
import { CITIES, type CityCoordinates, cityIndex } from './weather/cities.js';
import { conditionOfWmoCode, isRaining } from './weather/wmo.js';

/** The `fetch` the weather source calls: the global `fetch`, or one given for tests or proxies. */
export type FetchLike = (
  input: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

const HttpUrl = z.url({
  protocol: /^https?$/,
  error: 'use an http(s) URL such as "https://api.open-meteo.com"',
});

/** Options of {@link weatherSource}. */
export const WeatherSourceOptionsSchema = z.object({
  name: z._default(PluginNameSchema, '@tactful/contextual-weather'),
  /** Base URL of an Open-Meteo compatible forecast API, e.g. `https://api.open-meteo.com`. */
  baseUrl: HttpUrl,
  /**
   * Base URL of an Open-Meteo compatible geocoding API (`/v1/search`), asked for cities missing
   * from the table. Absent: only the shipped table and `cities` are used.
   */
  geocodingUrl: z.optional(HttpUrl),
  /** The `fetch` to use (defaults to the global one). */
  fetch: z.optional(z.custom<FetchLike>((v) => typeof v === 'function', 'give a fetch function')),
  /** Deadline of one API call, in milliseconds. */
  timeoutMs: z._default(z.number().check(z.int(), z.positive(), z.lte(30_000)), 800),
  /** How long an answer is reused, in milliseconds (answers are also keyed by the hour). */
  cacheTtl: z._default(z.number().check(z.int(), z.nonnegative(), z.lte(86_400_000)), 15 * 60_000),
  /** How long a failure is remembered (no retry storm against a down API), in milliseconds. */
  failureTtl: z._default(z.number().check(z.int(), z.nonnegative(), z.lte(3_600_000)), 60_000),
  /** Most cached locations. */
  maxEntries: z._default(z.number().check(z.int(), z.positive(), z.lte(1_000_000)), 10_000),
  /** More city centroids, searched before the shipped table. */
  cities: z.optional(
    z.array(
      z.object({
        country: z.string().check(z.regex(/^[A-Z]{2}$/, 'use an ISO 3166-1 alpha-2 code such as "VN"')),
        names: z.array(z.string().check(z.minLength(1), z.maxLength(128))).check(z.minLength(1)),
        latitude: z.number().check(z.gte(-90), z.lte(90)),
        longitude: z.number().check(z.gte(-180), z.lte(180)),
      }),
    ),
  ),
});
/** Options of {@link weatherSource}, as written. */
export type WeatherSourceOptions = z.input<typeof WeatherSourceOptionsSchema>;

const ForecastSchema = z.object({
  current: z.object({
    temperature_2m: z.number().check(z.gte(-100), z.lte(70)),
    weather_code: z.number().check(z.int()),
    precipitation: z.optional(z.number().check(z.gte(0), z.lte(1000))),
  }),
});
const GeocodingSchema = z.object({
  results: z.optional(
    z.array(
      z.object({
        latitude: z.number().check(z.gte(-90), z.lte(90)),
        longitude: z.number().check(z.gte(-180), z.lte(180)),
      }),
    ),
  ),
});

interface Entry<T> {
  expires: number;
  value: T | null;
}

/** A bounded map whose oldest entries go first. */
class Cache<T> {
  readonly #map = new Map<string, Entry<T>>();
  constructor(readonly max: number) {}
  get(key: string, now: number): Entry<T> | undefined {
    const hit = this.#map.get(key);
    if (hit === undefined) return undefined;
    if (hit.expires <= now) {
      this.#map.delete(key);
      return undefined;
    }
    return hit;
  }
  set(key: string, value: T | null, expires: number): void {
    this.#map.delete(key);
    if (this.#map.size >= this.max) this.#map.delete(this.#map.keys().next().value as string);
    this.#map.set(key, { value, expires });
  }
  get size(): number {
    return this.#map.size;
  }
}

/** Rounds a coordinate to one decimal (about 11 km): a city's centroid, not a person's position. */
const round = (n: number): number => Math.round(n * 10) / 10;

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve(undefined);
      },
    );
  });
}

/** The weather source, with a view of its cache for operations. */
export interface WeatherSource extends DataSource {
  /** Number of cached locations (answers and remembered failures). */
  readonly cacheSize: number;
}

/**
 * A data source providing `context.weather` (not personal, no subject needed) from an
 * Open-Meteo compatible API: `GET {baseUrl}/v1/forecast?latitude=..&longitude=..&current=temperature_2m,weather_code,precipitation`.
 * It asks for the centroid of the visitor's coarse location (trusted-proxy city, from a shipped
 * table, `cities`, or an optional geocoding API), rounded to 0.1°, so no personal data is sent;
 * precise location is never used. Answers are cached per location and hour; a slow, down or
 * garbled API yields no weather — never an error.
 *
 * @example
 * ```ts
 * const weather = weatherSource({ baseUrl: 'https://api.open-meteo.com', timeoutMs: 500, cacheTtl: 900_000 });
 * createOrchestrator({ consent, sources: [weather], strategies: [contextual({ rules })] });
 * ```
 */
export function weatherSource(options: WeatherSourceOptions): WeatherSource {
  const plugin = typeof options?.name === 'string' ? options.name : '@tactful/contextual-weather';
  const opts = parseOrThrow(WeatherSourceOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin,
  });
  const fetchImpl: FetchLike | undefined =
    opts.fetch ?? (globalThis.fetch as unknown as FetchLike | undefined);
  const findCity = cityIndex([...(opts.cities ?? []), ...CITIES] as CityCoordinates[]);
  const forecasts = new Cache<Weather>(opts.maxEntries);
  const places = new Cache<{ latitude: number; longitude: number }>(opts.maxEntries);
  const inflight = new Map<string, Promise<unknown>>();
  const base = opts.baseUrl.replace(/\/+$/, '');
  const host = new URL(base).hostname;
  const geocoding = opts.geocodingUrl?.replace(/\/+$/, '');

  async function getJson(url: string): Promise<unknown> {
    if (fetchImpl === undefined) return undefined;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
    try {
      const response = await fetchImpl(url, {
        signal: controller.signal,
        headers: { accept: 'application/json' },
      });
      if (!response.ok) return undefined;
      const text = await response.text();
      if (text.length > 256 * 1024) return undefined;
      return JSON.parse(text) as unknown;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs `work` once per key at a time; every caller waits on the same promise. */
  function once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const running = inflight.get(key) as Promise<T> | undefined;
    if (running !== undefined) return running;
    const promise = work().finally(() => inflight.delete(key));
    inflight.set(key, promise);
    return promise;
  }

  // The table lookup of a place, memoized by the raw headers (folding a name costs several µs).
  const known = new Map<string, { latitude: number; longitude: number } | null>();
  type Geo = { country?: string | undefined; region?: string | undefined; city?: string | undefined };
  /** The place of a location from the tables, or null when they don't know it. */
  function fromTable(geo: Geo): { latitude: number; longitude: number } | null {
    const key = `${geo.country ?? ''}\u0000${geo.region ?? ''}\u0000${geo.city ?? ''}`;
    const memo = known.get(key);
    if (memo !== undefined) return memo;
    const city = geo.city ?? geo.region;
    const found =
      city === undefined
        ? undefined
        : (findCity(geo.country, city) ??
          (geo.city && geo.region ? findCity(geo.country, geo.region) : undefined));
    const place =
      found === undefined ? null : { latitude: round(found.latitude), longitude: round(found.longitude) };
    if (known.size >= opts.maxEntries) known.clear();
    known.set(key, place);
    return place;
  }

  async function locate(geo: Geo, now: number) {
    const city = geo.city ?? geo.region;
    if (city === undefined) return undefined;
    const place = fromTable(geo);
    if (place !== null) return place;
    if (geocoding === undefined) return undefined;
    const key = `${geo.country ?? ''}|${city.toLowerCase()}`;
    const cached = places.get(key, now);
    if (cached !== undefined) return cached.value ?? undefined;
    return once(`geo:${key}`, async () => {
      const params = new URLSearchParams({ name: city, count: '1', language: 'en', format: 'json' });
      if (geo.country !== undefined) params.set('countryCode', geo.country);
      let found: { latitude: number; longitude: number } | undefined;
      try {
        const parsed = GeocodingSchema.safeParse(await getJson(`${geocoding}/v1/search?${params}`));
        const first = parsed.success ? parsed.data.results?.[0] : undefined;
        if (first) found = { latitude: first.latitude, longitude: first.longitude };
      } catch {
        found = undefined;
      }
      places.set(key, found ?? null, now + (found ? 30 * 86_400_000 : opts.failureTtl));
      return found;
    });
  }

  const forecastKey = (latitude: number, longitude: number, now: number) =>
    `${latitude},${longitude}@${Math.floor(now / 3_600_000)}`;

  async function forecast(latitude: number, longitude: number, now: number): Promise<Weather | undefined> {
    const key = forecastKey(latitude, longitude, now);
    const cached = forecasts.get(key, now);
    if (cached !== undefined) return cached.value ?? undefined;
    return once(`wx:${key}`, async () => {
      let weather: Weather | undefined;
      try {
        const url = `${base}/v1/forecast?latitude=${latitude}&longitude=${longitude}&current=temperature_2m,weather_code,precipitation`;
        const parsed = ForecastSchema.safeParse(await getJson(url));
        if (parsed.success) {
          const { temperature_2m, weather_code, precipitation } = parsed.data.current;
          const condition = conditionOfWmoCode(weather_code);
          if (condition !== undefined) {
            weather = {
              condition,
              temperatureC: temperature_2m,
              raining: isRaining(condition, precipitation),
            };
          }
        }
      } catch {
        weather = undefined;
      }
      forecasts.set(key, weather ?? null, now + (weather ? opts.cacheTtl : opts.failureTtl));
      return weather;
    });
  }

  const source = defineDataSource({
    manifest: {
      name: opts.name,
      version: VERSION,
      core: '^0.1.0',
      // Where the weather really comes from: the service's host, from the configuration (P5).
      description: {
        en: `The current weather at your approximate location, from the weather service at ${host}, which is sent only your city's position (never your address or who you are).`,
        vi: `Thời tiết hiện tại tại vị trí gần đúng của bạn, từ dịch vụ thời tiết tại ${host}; dịch vụ này chỉ nhận vị trí của thành phố bạn ở (không bao giờ nhận địa chỉ hay danh tính của bạn).`,
      },
      provides: [{ category: 'context.weather' }],
      requiresSubject: false,
      timeoutMs: opts.timeoutMs + 100,
    },
    load(
      query: DataSourceQuery,
      ctx: PluginCallContext,
    ): Record<string, unknown> | Promise<Record<string, unknown>> {
      if (!query.categories.includes('context.weather')) return {};
      const geo = query.context.geo;
      if (geo === undefined) return {};
      // A cache hit answers synchronously: no promise, no AbortSignal, no name folding.
      const place = fromTable(geo);
      if (place !== null) {
        const cached = forecasts.get(forecastKey(place.latitude, place.longitude, query.now), query.now);
        if (cached !== undefined) return cached.value === null ? {} : { 'context.weather': cached.value };
      }
      return loadAsync(query, geo, ctx);
    },
  });

  /** A miss: locate (maybe geocoding) and fetch, raced against the call's abort. */
  async function loadAsync(
    query: DataSourceQuery,
    geo: Geo,
    ctx: PluginCallContext,
  ): Promise<Record<string, unknown>> {
    const lookup = async () => {
      const place = await locate(geo, query.now);
      if (place === undefined) return undefined;
      return forecast(round(place.latitude), round(place.longitude), query.now);
    };
    const weather = await raceAbort(lookup(), ctx.signal);
    return weather === undefined ? {} : { 'context.weather': weather };
  }
  return Object.defineProperty(source, 'cacheSize', {
    get: () => forecasts.size + places.size,
    enumerable: true,
  }) as WeatherSource;
}
