import { describeDataSourceConformance, describeStrategyConformance } from '@tactful/testing';
import { afterAll, beforeAll } from 'vitest';
import { contextual, weatherSource } from '../src/index.js';
import { type WeatherStub, forecastBody, startWeatherStub } from './weather-stub.js';

describeStrategyConformance('@tactful/contextual', {
  create: () =>
    contextual({
      weather: true,
      places: [{ name: 'store-hoan-kiem', latitude: 21.0285, longitude: 105.8542, radiusKm: 2 }],
      rules: [
        {
          id: 'rain-gear',
          slot: 'home.hero',
          when: { 'weather.raining': true },
          content: { banner: 'rain-gear' },
          reason: { en: 'It is raining where you are.', vi: 'Trời đang mưa ở nơi bạn ở.' },
        },
        {
          id: 'near-store',
          slot: 'home.banner',
          when: { near: 'store-hoan-kiem' },
          content: { banner: 'drop-in' },
          reason: { en: 'Our store is nearby.', vi: 'Cửa hàng ở gần bạn.' },
        },
        {
          id: 'evening',
          slot: 'home.hero',
          when: { daypart: { $in: ['evening', 'night'] } },
          content: { video: 'short' },
          reason: { en: 'Something short for your evening.', vi: 'Nội dung ngắn cho buổi tối.' },
        },
      ],
    }),
  sampleInput: {
    slots: ['home.hero', 'home.banner'],
    data: {
      'context.time': { now: '2026-11-29T12:00:00Z', timeZone: 'Asia/Ho_Chi_Minh' },
      'context.location.coarse': { country: 'VN', city: 'Hanoi' },
      'context.weather': { condition: 'rain', temperatureC: 22, raining: true },
      'location.precise': { latitude: 21.03, longitude: 105.85 },
    },
  },
});

let stub: WeatherStub;
beforeAll(async () => {
  stub = await startWeatherStub(() => ({ body: forecastBody(20, 3) }));
});
afterAll(() => stub.close());

describeDataSourceConformance('@tactful/contextual-weather', {
  create: () => weatherSource({ baseUrl: stub.url, timeoutMs: 500 }),
  context: { geo: { country: 'VN', city: 'Hanoi' } },
});
