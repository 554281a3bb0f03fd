import { type StrategyInput, isTactfulError } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { contextual } from './contextual.js';

const signal = new AbortController().signal;
const ctx = { signal, traceId: 'trace-0001' };
const iphone =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const windows =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

const input = (data: Record<string, unknown>, slots = ['home.hero', 'home.promo']): StrategyInput => ({
  slots: slots.map((id) => ({ id })),
  data,
  signals: {},
  granted: ['personalization.contextual'],
  now: Date.parse('2026-11-29T12:00:00Z'),
});

const rules = [
  {
    id: 'rain-gear',
    slot: 'home.hero',
    when: { 'weather.raining': true },
    content: { banner: 'rain-gear' },
    priority: 10,
    reason: { en: 'It is raining where you are.', vi: 'Trời đang mưa ở nơi bạn ở.' },
  },
  {
    id: 'evening-mobile-video',
    slot: 'home.hero',
    when: { daypart: 'evening', 'device.class': 'mobile' },
    content: { video: 'short' },
    reason: {
      en: 'A short video for your evening on the phone.',
      vi: 'Video ngắn cho buổi tối trên điện thoại.',
    },
  },
  {
    id: 'tet-hero',
    slot: 'home.promo',
    when: { holidays: 'tet', country: 'VN' },
    content: { hero: 'tet' },
    score: 0.9,
    reason: { en: 'Tết is coming.', vi: 'Tết đang đến.' },
    topics: ['holiday'],
  },
];

describe('contextual strategy', () => {
  it('declares contextual reads under personalization.contextual and publishes contextual.context', () => {
    const s = contextual({ rules });
    expect(s.manifest.name).toBe('@tactful/contextual');
    expect(s.manifest.purposes).toEqual(['personalization.contextual']);
    expect(s.manifest.reads.map((r) => [r.category, r.purpose])).toEqual([
      ['context.time', 'personalization.contextual'],
      ['context.device', 'personalization.contextual'],
      ['context.locale', 'personalization.contextual'],
      ['context.location.coarse', 'personalization.contextual'],
      ['context.weather', 'personalization.contextual'],
    ]);
    expect(s.manifest.signals.publishes.map((p) => p.name)).toEqual(['contextual.context']);
    expect(contextual({ rules: [rules[1]!] }).manifest.reads.map((r) => r.category)).not.toContain(
      'context.weather',
    );
  });

  it('offers the other matching rules of a slot as fallbacks when the first is about a topic (P4)', async () => {
    const topical = [
      {
        id: 'rain',
        slot: 'home.hero',
        priority: 2,
        topics: ['rain'],
        when: { 'weather.raining': true },
        content: 'rain',
        reason: { en: 'Rain.' },
      },
      {
        id: 'evening',
        slot: 'home.hero',
        priority: 1,
        when: { daypart: 'evening' },
        content: 'evening',
        reason: { en: 'Evening.' },
      },
      {
        id: 'morning',
        slot: 'home.hero',
        when: { daypart: 'morning' },
        content: 'morning',
        reason: { en: 'Morning.' },
      },
    ];
    const out = await contextual({ rules: topical }).decide(
      input({
        'context.time': { now: '2026-11-29T12:00:00Z', timeZone: 'Asia/Ho_Chi_Minh' },
        'context.weather': { condition: 'rain', temperatureC: 22, raining: true },
      }),
      ctx,
    );
    expect(out.proposals).toHaveLength(1);
    expect(out.proposals[0]?.variant).toBe('rain');
    expect(out.proposals[0]?.fallbacks).toEqual([
      {
        content: 'evening',
        variant: 'evening',
        reason: { en: 'Evening.' },
        signals: ['daypart=evening'],
        categories: ['context.time'],
      },
    ]);
  });

  it('proposes rain gear on a rainy evening on a phone in Hanoi, with its signals and categories', async () => {
    const out = await contextual({ rules }).decide(
      input({
        'context.time': { now: '2026-11-29T12:00:00Z', timeZone: 'Asia/Ho_Chi_Minh' },
        'context.device': { userAgent: iphone },
        'context.locale': { acceptLanguage: 'vi-VN,vi;q=0.9,en;q=0.5' },
        'context.location.coarse': { country: 'VN', city: 'Hà Nội' },
        'context.weather': { condition: 'rain', temperatureC: 22, raining: true },
      }),
      ctx,
    );
    expect(out.signals?.['contextual.context']).toEqual({
      daypart: 'evening',
      hour: 19,
      dayOfWeek: 'sunday',
      weekend: true,
      season: 'autumn',
      holidays: [],
      device: { class: 'mobile', os: 'iOS', browser: 'Safari' },
      locale: 'vi-VN',
      language: 'vi',
      country: 'VN',
      city: 'Hà Nội',
      weather: { condition: 'rain', temperatureC: 22, raining: true },
    });
    expect(out.proposals).toEqual([
      {
        slot: 'home.hero',
        content: { banner: 'rain-gear' },
        variant: 'rain-gear',
        origin: 'contextual',
        reason: { en: 'It is raining where you are.', vi: 'Trời đang mưa ở nơi bạn ở.' },
        signals: ['weather.raining=true'],
        categories: ['context.weather', 'context.location.coarse'],
      },
    ]);
  });

  it('falls back to a lower-priority rule when a higher one does not match, and serves Tết in Viet Nam', async () => {
    const out = await contextual({ rules }).decide(
      input({
        'context.time': { now: '2026-02-15T12:00:00Z', timeZone: 'Asia/Ho_Chi_Minh' },
        'context.device': { userAgent: iphone },
        'context.location.coarse': { country: 'VN' },
        'context.weather': { condition: 'clear', temperatureC: 18, raining: false },
      }),
      ctx,
    );
    expect(out.proposals.map((p) => [p.slot, p.variant, p.signals])).toEqual([
      ['home.hero', 'evening-mobile-video', ['daypart=evening', 'device.class=mobile']],
      ['home.promo', 'tet-hero', ['holidays=tet', 'country=VN']],
    ]);
    expect(out.proposals[1]).toMatchObject({ score: 0.9, topics: ['holiday'] });
  });

  it('leaves time signals out for a bad time zone, and still decides', async () => {
    const out = await contextual({ rules }).decide(
      input({
        'context.time': { now: '2026-11-29T12:00:00Z', timeZone: 'Not/AZone' },
        'context.device': { userAgent: windows },
      }),
      ctx,
    );
    expect(out.signals?.['contextual.context']).toEqual({
      device: { class: 'desktop', os: 'Windows', browser: 'Chrome' },
    });
    expect(out.proposals).toEqual([]);
  });

  it('uses the default time zone, else the offset the request carries, else no time', () => {
    const data = { 'context.time': { now: '2026-11-29T08:00:00+07:00' } };
    expect(contextual().signals({ data, now: 0 }).hour).toBe(8);
    expect(contextual({ defaultTimeZone: 'Europe/Berlin' }).signals({ data, now: 0 }).hour).toBe(2);
    expect(
      contextual().signals({ data: { 'context.time': { now: '2026-11-29T08:00:00Z' } }, now: 0 }).hour,
    ).toBeUndefined();
  });

  it('ignores a malformed weather value instead of failing', async () => {
    const s = contextual({ rules });
    const out = await s.decide(input({ 'context.weather': { condition: 'acid-rain', raining: 'yes' } }), ctx);
    expect(out.signals?.['contextual.context']).toEqual({});
  });

  it('reads precise location only under personalization.precise-location, and only for near rules', async () => {
    const s = contextual({
      places: [{ name: 'store-hoan-kiem', latitude: 21.0285, longitude: 105.8542, radiusKm: 1 }],
      rules: [
        {
          id: 'near-store',
          slot: 'home.hero',
          when: { near: 'store-hoan-kiem' },
          content: { banner: 'drop-in' },
          reason: { en: 'Our store is a short walk away.', vi: 'Cửa hàng của chúng tôi ở gần bạn.' },
        },
      ],
    });
    expect(s.manifest.reads.find((r) => r.category === 'location.precise')?.purpose).toBe(
      'personalization.precise-location',
    );
    expect(s.manifest.purposes).toEqual(['personalization.contextual']);
    const withheld = await s.decide(input({}), ctx);
    expect(withheld.proposals).toEqual([]);
    const granted = await s.decide(
      input({ 'location.precise': { latitude: 21.03, longitude: 105.85 } }),
      ctx,
    );
    expect(granted.proposals[0]).toMatchObject({ variant: 'near-store', categories: ['location.precise'] });
    expect(() => contextual({ rules: [{ ...rules[0]!, id: 'n', when: { near: 'x' } }] })).toThrow(/places/);
  });

  it('rejects unknown operators, unknown signals and duplicate ids at load, naming the rule', () => {
    const bad =
      (when: Record<string, unknown>, id = 'bad-rule') =>
      () =>
        contextual({ rules: [{ id, slot: 'home.hero', when, content: 1, reason: { en: 'x' } }] });
    expect(bad({ hour: { $between: [1, 2] } })).toThrow(/bad-rule/);
    try {
      bad({ hour: { $between: [1, 2] } })();
    } catch (error) {
      expect(isTactfulError(error) && error.code).toBe('INVALID_CONDITION');
    }
    try {
      bad({ 'wether.raining': true })();
    } catch (error) {
      expect(isTactfulError(error) && error.code).toBe('INVALID_OPTIONS');
      expect((error as Error).message).toContain('"wether.raining"');
    }
    expect(() => contextual({ rules: [rules[0]!, rules[0]!] })).toThrow(/used twice/);
    expect(() => contextual({ defaultTimeZone: 'Nowhere/Land' })).toThrow(/defaultTimeZone/);
    expect(() => contextual({ rules: [{ ...rules[0]!, reason: undefined as never }] })).toThrow(
      /rules\[0\]\.reason/,
    );
  });

  it('reads headers through its trusted proxy', () => {
    const s = contextual({ trustedProxy: { preset: 'cloudflare', addresses: ['10.0.0.0/8'] } });
    expect(s.contextFromHeaders({ 'cf-ipcountry': 'VN' }, { remoteAddress: '10.0.0.1' }).geo).toEqual({
      country: 'VN',
    });
    expect(s.contextFromHeaders({ 'cf-ipcountry': 'VN' }, { remoteAddress: '8.8.8.8' }).geo).toBeUndefined();
  });
});
