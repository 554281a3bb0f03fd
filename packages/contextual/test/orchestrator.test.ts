import { type ConsentProvider, defineConsentProvider } from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextual, weatherSource } from '../src/index.js';
import { type WeatherStub, forecastBody, startWeatherStub } from './weather-stub.js';

/** Grants exactly the purposes given; denies the rest. */
const granting = (granted: string[]): ConsentProvider =>
  defineConsentProvider({
    manifest: { name: 'test-consent', version: '1.0.0', core: '^0.1.0' },
    resolve: ({ purposes }) => ({
      purposes: Object.fromEntries(
        purposes.map((p) => [
          p,
          {
            status: granted.includes(p) ? ('granted' as const) : ('denied' as const),
            provider: 'test-consent',
          },
        ]),
      ),
    }),
  });

let stub: WeatherStub;
beforeAll(async () => {
  stub = await startWeatherStub(() => ({ body: forecastBody(24, 63, 3) }));
});
afterAll(() => stub.close());

const strategy = () =>
  contextual({
    places: [{ name: 'store-hoan-kiem', latitude: 21.0285, longitude: 105.8542, radiusKm: 1 }],
    rules: [
      {
        id: 'near-store',
        slot: 'home.hero',
        priority: 10,
        when: { near: 'store-hoan-kiem' },
        content: { banner: 'drop-in' },
        reason: { en: 'Our store is a short walk away.', vi: 'Cửa hàng của chúng tôi ở ngay gần bạn.' },
      },
      {
        id: 'rain-gear',
        slot: 'home.hero',
        when: { 'weather.raining': true },
        content: { banner: 'rain-gear' },
        reason: { en: 'It is raining where you are.', vi: 'Trời đang mưa ở nơi bạn ở.' },
      },
    ],
  });

const request = {
  context: {
    now: '2026-11-29T12:00:00Z',
    timeZone: 'Asia/Ho_Chi_Minh',
    geo: { country: 'VN', city: 'Hanoi' },
    preciseLocation: { latitude: 21.029, longitude: 105.853 },
  },
  slots: [{ id: 'home.hero', default: { banner: 'default' } }],
};

describe('through the orchestrator', () => {
  it('uses precise location only when personalization.precise-location is granted', async () => {
    const sources = [weatherSource({ baseUrl: stub.url, timeoutMs: 1000 })];
    const timeouts = { sourceMs: 2000, strategyMs: 2000, decisionMs: 4000 };
    const withheld = await createOrchestrator({
      consent: [granting(['personalization.contextual'])],
      sources,
      strategies: [strategy()],
      timeouts,
    }).decide(request);
    expect(withheld.dropped).toEqual([]);
    expect(withheld.slots[0]).toMatchObject({
      content: { banner: 'rain-gear' },
      strategy: '@tactful/contextual',
    });
    expect(withheld.categoriesUsed).not.toContain('location.precise');

    const granted = await createOrchestrator({
      consent: [granting(['personalization.contextual', 'personalization.precise-location'])],
      sources,
      strategies: [strategy()],
      timeouts,
    }).decide(request);
    expect(granted.slots[0]).toMatchObject({ content: { banner: 'drop-in' } });
    expect(granted.slots[0]!.explanation.categories).toEqual(['location.precise']);
  });

  it('serves the default content when contextual personalization is not granted', async () => {
    const decision = await createOrchestrator({
      consent: [granting([])],
      sources: [weatherSource({ baseUrl: stub.url })],
      strategies: [strategy()],
    }).decide(request);
    expect(decision.slots[0]).toMatchObject({ isDefault: true, content: { banner: 'default' } });
    expect(decision.dropped.map((d) => d.plugin)).toContain('@tactful/contextual');
  });
});
