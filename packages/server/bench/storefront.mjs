// The workload every route of the bench serves: the demo storefront's own configuration
// (examples/storefront: contextual rules, segments, the catalog, anonymous sessions, weather), five
// slots, and one visitor — a phone in Hanoi on a rainy Thursday evening who granted every
// personalization purpose, declared an interest in kids' products and browsed four pages.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@tactful/config';
import {
  SIMULATIONS,
  simulatedRequest,
  startSimulatedWeather,
} from '../../../examples/storefront/src/simulate.js';

const storefront = (path) => fileURLToPath(new URL(`../../../examples/storefront/${path}`, import.meta.url));

/** The storefront's configuration file (JSON with comments) and its folder. */
export const CONFIG_FILE = storefront('tactful.config.json');

/** The storefront's configuration (parsed as Tactful parses it) and its catalog, read as data. */
export async function storefrontSources() {
  const { config, baseDir } = await loadConfig(CONFIG_FILE);
  const catalog = JSON.parse(readFileSync(storefront('catalog.json'), 'utf8'));
  return { config, baseDir, catalog };
}

/** The slots every route fills: the home page's four and the notice line. */
export const SLOTS = ['home.hero', 'home.banner', 'home.rail', 'home.continue', 'page.notice'];

/** The storefront's own preset of this visitor: a phone in Hanoi at 19:30. */
const PRESET = SIMULATIONS['rainy-evening-hanoi'];
const { context, place, userAgent } = simulatedRequest({ ...PRESET, date: '2026-12-03' });

/** The visitor's phone (the storefront preset's User-Agent). */
export const PHONE = userAgent;

/** The visit: a fixed moment (so every run chooses the same content), a place and a device. */
export const VISIT = {
  now: context.now,
  timeZone: context.timeZone,
  country: place.country,
  city: place.city,
  userAgent: PHONE,
  acceptLanguage: 'vi-VN,vi;q=0.9,en;q=0.8',
};

/** The four pages the visitor saw (oldest first). */
export const EVENTS = [
  { type: 'category_view', target: 'kids', topics: ['kids'], at: '2026-12-03T19:21:00+07:00' },
  {
    type: 'product_view',
    target: 'kids-raincoat',
    topics: ['kids', 'rain'],
    at: '2026-12-03T19:23:00+07:00',
  },
  { type: 'category_view', target: 'rain', topics: ['rain'], at: '2026-12-03T19:26:00+07:00' },
  { type: 'product_view', target: 'kids-boots', topics: ['kids'], at: '2026-12-03T19:28:00+07:00' },
];

/** What the visitor declared in the privacy center. */
export const DECLARED = { interests: ['kids'], notInterested: [] };

/** The edge proxy the decision server trusts for the visitor's coarse location. */
export const EDGE = {
  headers: { country: 'x-shop-edge-country', city: 'x-shop-edge-city' },
  secret: { header: 'x-shop-edge-secret', value: 'bench-edge-secret-0123456789abcdef' },
};

/** The request body of every route: the slots and the page's moment. */
export const BODY = JSON.stringify({
  slots: SLOTS.map((id) => ({ id })),
  context: { now: VISIT.now, timeZone: VISIT.timeZone },
});

/** The request headers of the visit (cookies are added per route). */
export function visitHeaders(origin) {
  return {
    'user-agent': VISIT.userAgent,
    'accept-language': VISIT.acceptLanguage,
    'content-type': 'application/json',
    origin,
    [EDGE.secret.header]: EDGE.secret.value,
    [EDGE.headers.country]: VISIT.country,
    [EDGE.headers.city]: encodeURIComponent(VISIT.city),
  };
}

/**
 * The storefront's simulated weather service (an Open-Meteo compatible `/v1/forecast` on
 * 127.0.0.1, rain over Hanoi): both the decision server and the peers ask it.
 */
export const startWeather = startSimulatedWeather;

/**
 * What a decision chose, slot by slot, in a form every route can give: the variant (or rule) id,
 * or `default`, and the content. The bench checks that every route gives the same.
 */
export function chosen(answer) {
  return Object.fromEntries(
    answer.slots.map((s) => [s.slot, { variant: s.isDefault ? 'default' : s.variant, content: s.content }]),
  );
}
