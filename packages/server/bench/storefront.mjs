// The workload every route of the bench serves: the demo storefront's own configuration
// (examples/storefront: contextual rules, segments, the catalog, anonymous sessions, weather), five
// slots, and one visitor — a phone in Hanoi on a rainy Thursday evening who granted every
// personalization purpose, declared an interest in kids' products and browsed four pages.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@tactful/config';

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

export const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** The visit: a fixed moment (so every run chooses the same content), a place and a device. */
export const VISIT = {
  now: '2026-12-03T19:30:00+07:00',
  timeZone: 'Asia/Ho_Chi_Minh',
  country: 'VN',
  city: 'Hà Nội',
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

/** The storefront's simulated weather (examples/storefront/src/simulate.js): rain over Hanoi. */
export function simulatedWeather(latitude) {
  if (Math.abs(latitude - 21.03) < 0.5) return { temperature_2m: 24.5, weather_code: 63, precipitation: 2.4 };
  if (Math.abs(latitude - 10.82) < 0.5) return { temperature_2m: 31, weather_code: 0, precipitation: 0 };
  return { temperature_2m: 22, weather_code: 3, precipitation: 0 };
}

/** An Open-Meteo compatible `/v1/forecast` on 127.0.0.1 (both the decision server and the peers ask it). */
export async function startWeather() {
  const server = createHttpServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const latitude = Number(url.searchParams.get('latitude'));
    if (url.pathname !== '/v1/forecast' || !Number.isFinite(latitude)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":true,"reason":"not found"}');
      return;
    }
    const current = {
      time: new Date().toISOString().slice(0, 16),
      interval: 900,
      ...simulatedWeather(latitude),
    };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ latitude, longitude: Number(url.searchParams.get('longitude')), current }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * What a decision chose, slot by slot, in a form every route can give: the variant (or rule) id,
 * or `default`, and the content. The bench checks that every route gives the same.
 */
export function chosen(answer) {
  return Object.fromEntries(
    answer.slots.map((s) => [s.slot, { variant: s.isDefault ? 'default' : s.variant, content: s.content }]),
  );
}
