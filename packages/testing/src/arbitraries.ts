import { SESSION_EVENT_TYPES, type StrategyManifest } from '@tactful/core';
import fc from 'fast-check';
import type { StrategyInputInit } from './builders.js';

/** Overrides of the generated value of a category or signal, keyed by its id. */
export type ArbitraryOverrides = Readonly<Record<string, fc.Arbitrary<unknown>>>;

const MIN_TIME = Date.UTC(2020, 0, 1);
const MAX_TIME = Date.UTC(2030, 11, 31);

const isoTime = fc.integer({ min: MIN_TIME, max: MAX_TIME }).map((ms) => new Date(ms).toISOString());
const topic = fc.constantFrom(
  'kids',
  'toys',
  'fashion',
  'electronics',
  'books',
  'tet',
  'coffee',
  'sports',
  'beauty',
  'home',
);
const topics = fc.uniqueArray(topic, { maxLength: 4 });
const shortText = fc.string({ maxLength: 24 });
const productId = fc.constantFrom('p-100', 'p-200', 'p-300', 'sku-kids-1', 'sku-coffee-9');
const timeZone = fc.constantFrom('UTC', 'Asia/Ho_Chi_Minh', 'Asia/Tokyo', 'Europe/Paris', 'America/New_York');
const primitive = fc.oneof(
  shortText,
  fc.integer({ min: -1000, max: 100_000 }),
  fc.boolean(),
  fc.constant(null),
);
const attributeKey = fc.constantFrom(
  'tier',
  'age-band',
  'city',
  'newsletter',
  'campaign',
  'page-type',
  'visits',
);
const unit = fc.double({ min: 0, max: 1, noNaN: true });

/**
 * Generators of well-formed values for the built-in categories, in the shapes the project agreed
 * on (the ones `@tactful/subject`'s sources and the orchestrator provide).
 */
export const categoryArbitraries: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  'context.time': fc.record({ now: isoTime, timeZone }, { requiredKeys: ['now'] }),
  'context.device': fc.record(
    {
      userAgent: fc.constantFrom(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
        'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
        'Googlebot/2.1 (+http://www.google.com/bot.html)',
      ),
      clientHints: fc.dictionary(
        fc.constantFrom('sec-ch-ua-mobile', 'sec-ch-ua-platform'),
        fc.constantFrom('?0', '?1', '"Android"'),
      ),
    },
    { requiredKeys: [] },
  ),
  'context.locale': fc.record(
    {
      locale: fc.constantFrom('en', 'vi', 'vi-VN', 'en-US', 'fr'),
      acceptLanguage: fc.constantFrom('vi-VN,vi;q=0.9,en;q=0.8', 'en-US,en;q=0.9', 'fr-FR'),
    },
    { requiredKeys: [] },
  ),
  'context.location.coarse': fc.record(
    {
      country: fc.constantFrom('VN', 'US', 'FR', 'JP'),
      region: fc.constantFrom('HN', 'SG', 'CA', 'IDF'),
      city: fc.constantFrom('Hanoi', 'Ho Chi Minh City', 'Da Nang', 'Paris'),
    },
    { requiredKeys: [] },
  ),
  'location.precise': fc.record(
    {
      latitude: fc.double({ min: -90, max: 90, noNaN: true }),
      longitude: fc.double({ min: -180, max: 180, noNaN: true }),
      accuracyMeters: fc.double({ min: 0, max: 10_000, noNaN: true }),
    },
    { requiredKeys: ['latitude', 'longitude'] },
  ),
  'context.page': fc.record(
    {
      url: fc.constantFrom(
        'https://shop.example/',
        'https://shop.example/kids/toys?utm_source=mail',
        'https://shop.example/cart',
      ),
      referrer: fc.constantFrom('https://search.example/?q=toys', 'https://shop.example/'),
      attributes: fc.dictionary(attributeKey, primitive, { maxKeys: 4 }),
    },
    { requiredKeys: [] },
  ),
  'context.weather': fc.record({
    condition: fc.constantFrom('clear', 'cloudy', 'fog', 'drizzle', 'rain', 'snow', 'thunderstorm'),
    temperatureC: fc.integer({ min: -20, max: 45 }),
    raining: fc.boolean(),
  }),
  'session.events': fc.array(
    fc.record(
      {
        type: fc.constantFrom(...SESSION_EVENT_TYPES),
        at: isoTime,
        target: fc.oneof(productId, shortText),
        topics,
        durationMs: fc.integer({ min: 0, max: 600_000 }),
      },
      { requiredKeys: ['type', 'at'] },
    ),
    { maxLength: 12 },
  ),
  'session.id': fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
  'subject.id': fc.stringMatching(/^[a-z]{1,4}-[0-9]{1,6}$/),
  'profile.preferences': fc.record({
    interests: topics,
    notInterested: topics,
    answers: fc.dictionary(
      fc.constantFrom('budget', 'style', 'kids-age', 'favourite'),
      fc.oneof(
        shortText,
        fc.integer({ min: 0, max: 100 }),
        fc.boolean(),
        fc.array(shortText, { maxLength: 3 }),
      ),
      { maxKeys: 3 },
    ),
  }),
  'profile.attributes': fc.dictionary(attributeKey, primitive, { maxKeys: 5 }),
  'behavior.purchases': fc.array(
    fc.record(
      {
        at: isoTime,
        orderId: fc.constantFrom('o-1', 'o-2', 'o-3'),
        productId,
        amount: fc.integer({ min: 1, max: 5_000_000 }),
        currency: fc.constantFrom('VND', 'USD', 'EUR'),
        topics,
      },
      { requiredKeys: ['at'] },
    ),
    { maxLength: 8 },
  ),
  'behavior.pageviews': fc.array(
    fc.record(
      {
        at: isoTime,
        url: fc.constantFrom('https://shop.example/kids', 'https://shop.example/coffee'),
        productId,
        topics,
        durationMs: fc.integer({ min: 0, max: 600_000 }),
      },
      { requiredKeys: ['at'] },
    ),
    { maxLength: 8 },
  ),
  'behavior.cart': fc.record({
    items: fc.array(
      fc.record({ productId, topics, addedAt: isoTime }, { requiredKeys: ['productId', 'addedAt'] }),
      {
        maxLength: 5,
      },
    ),
    updatedAt: isoTime,
  }),
  'derived.segments': fc.uniqueArray(fc.constantFrom('new', 'loyal', 'vip', 'lapsed', 'interested-kids'), {
    maxLength: 3,
  }),
  'derived.interests': fc.dictionary(topic, unit, { maxKeys: 4 }),
};

/** Generators of well-formed values for the signals the project agreed on. */
export const signalArbitraries: Readonly<Record<string, fc.Arbitrary<unknown>>> = {
  'contextual.context': fc.record(
    {
      daypart: fc.constantFrom('morning', 'afternoon', 'evening', 'night'),
      hour: fc.integer({ min: 0, max: 23 }),
      dayOfWeek: fc.constantFrom(
        'monday',
        'tuesday',
        'wednesday',
        'thursday',
        'friday',
        'saturday',
        'sunday',
      ),
      weekend: fc.boolean(),
      season: fc.constantFrom('spring', 'summer', 'autumn', 'winter'),
      holidays: fc.uniqueArray(fc.constantFrom('tet', 'mid-autumn', 'christmas'), { maxLength: 2 }),
      device: fc.record(
        {
          class: fc.constantFrom(
            'mobile',
            'tablet',
            'desktop',
            'tv',
            'console',
            'wearable',
            'bot',
            'unknown',
          ),
          os: fc.constantFrom('iOS', 'Android', 'Windows'),
          browser: fc.constantFrom('Safari', 'Chrome', 'Firefox'),
        },
        { requiredKeys: ['class'] },
      ),
      locale: fc.constantFrom('en', 'vi-VN'),
      language: fc.constantFrom('en', 'vi'),
      country: fc.constantFrom('VN', 'US'),
      city: fc.constantFrom('Hanoi', 'Paris'),
      weather: fc.record({
        condition: fc.constantFrom('clear', 'cloudy', 'rain', 'snow'),
        temperatureC: fc.integer({ min: -20, max: 45 }),
        raining: fc.boolean(),
      }),
    },
    { requiredKeys: ['daypart', 'hour', 'dayOfWeek', 'weekend', 'season', 'holidays', 'device'] },
  ),
  'segments.memberships': fc.uniqueArray(fc.constantFrom('new', 'loyal', 'vip', 'interested-kids'), {
    maxLength: 3,
  }),
  'session.interests': fc.dictionary(topic, unit, { maxKeys: 4 }),
};

/** A JSON value, for categories and signals of unknown shape (vendor ones without an override). */
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** The generator of one category's value: the override, the built-in shape, or any JSON value. */
export function arbitraryCategoryValue(
  category: string,
  overrides: ArbitraryOverrides = {},
): fc.Arbitrary<unknown> {
  return overrides[category] ?? categoryArbitraries[category] ?? anyJson;
}

/** The generator of one signal's value: the override, the agreed shape, or any JSON value. */
export function arbitrarySignalValue(
  signal: string,
  overrides: ArbitraryOverrides = {},
): fc.Arbitrary<unknown> {
  return overrides[signal] ?? signalArbitraries[signal] ?? anyJson;
}

/** Options of {@link arbitraryStrategyInput}. */
export interface ArbitraryStrategyInputOptions {
  /** Slot ids to draw from (1 to 4 of them per input). */
  readonly slots?: ReadonlyArray<string>;
  /** Generators for categories (vendor categories, or narrower shapes). */
  readonly categories?: ArbitraryOverrides;
  /** Generators for signals. */
  readonly signals?: ArbitraryOverrides;
}

/** The default pool of slot ids the generated inputs draw from. */
export const DEFAULT_SLOT_POOL = [
  'home.hero',
  'home.banner',
  'email.header',
  'product.aside',
  'cart.upsell',
] as const;

/**
 * Generates strategy inputs for a manifest the way the orchestrator would build them: a random
 * set of the strategy's purposes granted, and data only for declared categories whose purpose is
 * granted (each present or absent at random), the declared signals present or absent at random.
 *
 * @example
 * ```ts
 * await fc.assert(fc.asyncProperty(arbitraryStrategyInput(plugin.manifest), async (init) => {
 *   const output = await plugin.decide(strategyInput(init), callContext());
 *   expect(output.proposals.length).toBeLessThanOrEqual(init.slots!.length);
 * }));
 * ```
 */
export function arbitraryStrategyInput(
  manifest: StrategyManifest,
  options: ArbitraryStrategyInputOptions = {},
): fc.Arbitrary<StrategyInputInit> {
  const purposes = [...new Set([...manifest.purposes, ...manifest.reads.map((r) => r.purpose)])];
  const categories = [...new Set(manifest.reads.map((r) => r.category))];
  const pool = [...new Set(options.slots?.length ? options.slots : DEFAULT_SLOT_POOL)];
  const values = fc.record(
    Object.fromEntries(categories.map((c) => [c, arbitraryCategoryValue(c, options.categories)])),
    { requiredKeys: [] },
  );
  const signals = fc.record(
    Object.fromEntries(manifest.signals.reads.map((s) => [s, arbitrarySignalValue(s, options.signals)])),
    { requiredKeys: [] },
  );
  return fc
    .record({
      slots: fc.uniqueArray(fc.constantFrom(...pool), { minLength: 1, maxLength: Math.min(4, pool.length) }),
      granted: fc.subarray(purposes),
      values,
      signals,
      now: fc.integer({ min: MIN_TIME, max: MAX_TIME }),
      locale: fc.option(fc.constantFrom('en', 'vi', 'vi-VN', 'en-US'), { nil: undefined }),
    })
    .map(({ slots, granted, values: raw, signals: sig, now, locale }) => {
      const permitted = new Set(
        manifest.reads.filter((r) => granted.includes(r.purpose)).map((r) => r.category),
      );
      const data = Object.fromEntries(Object.entries(raw).filter(([c]) => permitted.has(c)));
      const init: StrategyInputInit = { slots, granted, data, signals: sig, now };
      return locale === undefined ? init : { ...init, locale };
    });
}
