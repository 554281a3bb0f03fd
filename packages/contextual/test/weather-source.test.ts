import type { DataSourceQuery, PluginCallContext } from '@tactful/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { conditionOfWmoCode, weatherSource } from '../src/index.js';
import { type WeatherStub, forecastBody, startWeatherStub } from './weather-stub.js';

let stub: WeatherStub;
beforeAll(async () => {
  stub = await startWeatherStub(() => ({ body: forecastBody(24.5, 61, 1.2) }));
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
  stub.answer = () => ({ body: forecastBody(24.5, 61, 1.2) });
});

const ctx = (signal = new AbortController().signal): PluginCallContext => ({
  signal,
  traceId: 'trace-weather',
});
const NOW = Date.parse('2026-11-29T12:10:00Z');
const query = (
  geo: DataSourceQuery['context']['geo'],
  now = NOW,
  extra: Partial<DataSourceQuery['context']> = {},
): DataSourceQuery => ({
  categories: ['context.weather'],
  context: { ...(geo ? { geo } : {}), ...extra },
  now,
});

describe('weatherSource', () => {
  it('declares context.weather, with no subject and nothing stored', () => {
    const source = weatherSource({ baseUrl: stub.url });
    expect(source.manifest).toMatchObject({
      kind: 'source',
      provides: [{ category: 'context.weather' }],
      requiresSubject: false,
      rights: { export: false, erase: false, rectify: false },
    });
  });

  it('asks the Open-Meteo forecast API for the rounded city centroid only', async () => {
    const source = weatherSource({ baseUrl: stub.url, timeoutMs: 1000 });
    const out = await source.load(
      query({ country: 'VN', region: 'Hanoi', city: 'Hà Nội' }, NOW, {
        preciseLocation: { latitude: 21.0345678, longitude: 105.8412345 },
      }),
      ctx(),
    );
    expect(out).toEqual({ 'context.weather': { condition: 'rain', temperatureC: 24.5, raining: true } });
    expect(stub.requests).toHaveLength(1);
    const url = stub.requests[0]!;
    expect(url.pathname).toBe('/v1/forecast');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      latitude: '21',
      longitude: '105.9',
      current: 'temperature_2m,weather_code,precipitation',
    });
  });

  it('caches per location and hour', async () => {
    const source = weatherSource({ baseUrl: stub.url });
    await source.load(query({ country: 'VN', city: 'Hanoi' }), ctx());
    await source.load(query({ country: 'VN', city: 'Ha Noi' }), ctx());
    await source.load(query({ country: 'VN', city: 'Hà Nội' }, NOW + 60_000), ctx());
    expect(stub.requests).toHaveLength(1);
    await source.load(query({ country: 'VN', city: 'Hanoi' }, NOW + 3_600_000), ctx());
    await source.load(query({ country: 'DE', city: 'Berlin' }), ctx());
    expect(stub.requests).toHaveLength(3);
    expect(source.cacheSize).toBe(3);
  });

  it('shares one API call between concurrent requests for the same place', async () => {
    stub.answer = () => ({ body: forecastBody(5, 0), delayMs: 50 });
    const source = weatherSource({ baseUrl: stub.url });
    const outs = await Promise.all(
      Array.from({ length: 5 }, () => source.load(query({ country: 'DE', city: 'Berlin' }), ctx())),
    );
    expect(stub.requests).toHaveLength(1);
    for (const out of outs)
      expect(out).toEqual({ 'context.weather': { condition: 'clear', temperatureC: 5, raining: false } });
  });

  it('yields no weather, quickly, when the API is slower than the deadline', async () => {
    stub.answer = () => ({ body: forecastBody(5, 0), delayMs: 2000 });
    const source = weatherSource({ baseUrl: stub.url, timeoutMs: 100 });
    const started = performance.now();
    expect(await source.load(query({ country: 'DE', city: 'Berlin' }), ctx())).toEqual({});
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('honours the caller abort signal', async () => {
    stub.answer = () => ({ body: forecastBody(5, 0), delayMs: 1000 });
    const source = weatherSource({ baseUrl: stub.url, timeoutMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = performance.now();
    expect(await source.load(query({ country: 'DE', city: 'Berlin' }), ctx(controller.signal))).toEqual({});
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('yields no weather for server errors and garbage, and remembers the failure briefly', async () => {
    for (const answer of [
      { status: 500, body: 'oops' },
      { body: 'not json {' },
      { body: JSON.stringify({ current: { temperature_2m: 'hot', weather_code: 61 } }) },
      { body: JSON.stringify({ current: { temperature_2m: 20, weather_code: 1234 } }) },
      { body: JSON.stringify([1, 2, 3]) },
    ]) {
      stub.answer = () => answer;
      const source = weatherSource({ baseUrl: stub.url, failureTtl: 60_000 });
      expect(await source.load(query({ country: 'VN', city: 'Da Nang' }), ctx())).toEqual({});
      expect(await source.load(query({ country: 'VN', city: 'Da Nang' }), ctx())).toEqual({});
    }
    expect(stub.requests).toHaveLength(5);
  });

  it('yields no weather when the API is down', async () => {
    const source = weatherSource({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 500 });
    expect(await source.load(query({ country: 'VN', city: 'Hanoi' }), ctx())).toEqual({});
  });

  it('yields nothing without a coarse location or for an unknown city, and never sends a precise position', async () => {
    const source = weatherSource({ baseUrl: stub.url });
    expect(
      await source.load(
        query(undefined, NOW, { preciseLocation: { latitude: 21.03, longitude: 105.85 } }),
        ctx(),
      ),
    ).toEqual({});
    expect(await source.load(query({ country: 'VN', city: 'Làng Nhỏ' }), ctx())).toEqual({});
    expect(await source.load({ ...query({ country: 'VN', city: 'Hanoi' }), categories: [] }, ctx())).toEqual(
      {},
    );
    expect(stub.requests).toHaveLength(0);
  });

  it('geocodes cities missing from the table through an Open-Meteo geocoding API', async () => {
    stub.answer = (url) =>
      url.pathname === '/v1/search'
        ? {
            body: JSON.stringify({
              results: [{ name: 'Sa Pa', latitude: 22.3364, longitude: 103.8438, country_code: 'VN' }],
            }),
          }
        : { body: forecastBody(9, 45) };
    const source = weatherSource({ baseUrl: stub.url, geocodingUrl: stub.url });
    expect(await source.load(query({ country: 'VN', city: 'Sa Pa' }), ctx())).toEqual({
      'context.weather': { condition: 'fog', temperatureC: 9, raining: false },
    });
    expect(await source.load(query({ country: 'VN', city: 'Sa Pa' }), ctx())).toBeDefined();
    expect(stub.requests.map((u) => `${u.pathname}?${u.searchParams}`)).toEqual([
      '/v1/search?name=Sa+Pa&count=1&language=en&format=json&countryCode=VN',
      '/v1/forecast?latitude=22.3&longitude=103.8&current=temperature_2m%2Cweather_code%2Cprecipitation',
    ]);
  });

  it('rejects bad options naming the field', () => {
    expect(() => weatherSource({ baseUrl: 'ftp://x' })).toThrow(/baseUrl/);
    expect(() => weatherSource({ baseUrl: stub.url, timeoutMs: -1 })).toThrow(/timeoutMs/);
  });

  it('maps WMO codes to conditions', () => {
    expect([0, 2, 45, 53, 63, 81, 73, 95, 100].map(conditionOfWmoCode)).toEqual([
      'clear',
      'cloudy',
      'fog',
      'drizzle',
      'rain',
      'rain',
      'snow',
      'thunderstorm',
      undefined,
    ]);
  });
});

describe('weatherSource cache hits', () => {
  it('answers a cached location synchronously, without reading the AbortSignal or asking again', async () => {
    const source = weatherSource({ baseUrl: stub.url, timeoutMs: 1000 });
    const geo = { country: 'VN', region: 'Hanoi', city: 'Hà Nội' };
    const first = await source.load(query(geo), ctx());
    expect(first).toEqual({ 'context.weather': { condition: 'rain', temperatureC: 24.5, raining: true } });
    let signalReads = 0;
    const watching: PluginCallContext = {
      traceId: 'trace-weather',
      get signal() {
        signalReads++;
        return new AbortController().signal;
      },
    };
    for (let i = 0; i < 3; i++) {
      const hit = source.load(query(geo, NOW + i * 60_000), watching);
      expect(hit).not.toBeInstanceOf(Promise);
      expect(hit).toEqual(first);
    }
    expect(signalReads).toBe(0);
    expect(stub.requests).toHaveLength(1);
    // The next hour is another forecast: a miss, asked (and raced against the abort) again.
    await source.load(query(geo, NOW + 3_600_000), watching);
    expect(stub.requests).toHaveLength(2);
    expect(signalReads).toBe(1);
  });

  it('remembers a failure for failureTtl, answering it synchronously as no weather', async () => {
    stub.answer = () => ({ status: 500, body: '{}' });
    const source = weatherSource({ baseUrl: stub.url, timeoutMs: 1000, failureTtl: 60_000 });
    const geo = { country: 'VN', city: 'Hà Nội' };
    expect(await source.load(query(geo), ctx())).toEqual({});
    const again = source.load(query(geo, NOW + 1000), ctx());
    expect(again).toEqual({});
    expect(again).not.toBeInstanceOf(Promise);
    expect(stub.requests).toHaveLength(1);
  });
});
