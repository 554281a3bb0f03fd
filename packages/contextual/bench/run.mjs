// Contextual signal extraction benchmark: from a raw request's headers to the `contextual.context`
// signal, per request — the header reader (trusted-proxy check, client hints, Accept-Language),
// the request-borne categories, and signal extraction (time zone, daypart, season, holidays,
// device via ua-parser-js, locale negotiation). Two mixes: a realistic pool of 40 User-Agents
// (parser results cached, as in production) and every request with a never-seen User-Agent.
// Run after a build: `pnpm --filter @tactful/contextual bench`.
import { contextual, headerReader } from '../dist/index.js';

const N = Number(process.env.BENCH_REQUESTS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const UAS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
];
const pool = Array.from({ length: 40 }, (_, i) => `${UAS[i % UAS.length]} build/${i}`);
// The pool's i-th entry is UAS[i % UAS.length], like the unique mix, so hints match the User-Agent.
const places = [
  ['VN', 'Hanoi', 'Hà Nội', 'Asia/Ho_Chi_Minh', 'vi-VN,vi;q=0.9,en-US;q=0.6,en;q=0.5'],
  ['VN', 'Ho Chi Minh City', 'Hồ Chí Minh', 'Asia/Ho_Chi_Minh', 'vi,en;q=0.8'],
  ['DE', 'BE', 'Berlin', 'Europe/Berlin', 'de-DE,de;q=0.9,en;q=0.7'],
  ['US', 'CA', 'San Francisco', 'America/Los_Angeles', 'en-US,en;q=0.9'],
  ['AU', 'NSW', 'Sydney', 'Australia/Sydney', 'en-AU,en;q=0.9'],
];
const requests = (unique) =>
  Array.from({ length: N }, (_, i) => {
    const [country, region, city, zone, lang] = places[i % places.length];
    // Chromium browsers (Android, Windows) send client hints; Safari and Firefox do not.
    const ua = i % UAS.length;
    const platform = ua === 1 || ua === 6 ? '"Android"' : ua === 2 ? '"Windows"' : undefined;
    return {
      headers: {
        'user-agent': unique ? `${UAS[ua]} req/${i}` : pool[i % pool.length],
        'accept-language': lang,
        ...(platform
          ? {
              'sec-ch-ua': '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
              'sec-ch-ua-mobile': platform === '"Android"' ? '?1' : '?0',
              'sec-ch-ua-platform': platform,
            }
          : {}),
        'cf-ipcountry': country,
        'cf-region': region,
        'cf-ipcity': city,
        'cf-timezone': zone,
      },
      remoteAddress: i % 10 === 0 ? '198.51.100.7' : '173.245.48.10',
      now: Date.parse('2026-02-14T12:00:00Z') + i * 60_000,
    };
  });

const read = headerReader({
  trustedProxy: { preset: 'cloudflare', addresses: ['173.245.48.0/20', '103.21.244.0/22'] },
});
const strategy = contextual({ supportedLocales: ['vi-VN', 'en-US', 'de-DE'] });

/** Headers → request context → request-borne categories → signals, as a server and the orchestrator do it. */
function extract(r) {
  const c = read(r.headers, { remoteAddress: r.remoteAddress });
  const data = {
    'context.time': { now: new Date(r.now).toISOString(), ...(c.timeZone ? { timeZone: c.timeZone } : {}) },
    'context.device': { userAgent: c.userAgent, clientHints: c.clientHints },
    'context.locale': { acceptLanguage: c.acceptLanguage },
    ...(c.geo ? { 'context.location.coarse': c.geo } : {}),
  };
  return strategy.signals({ data, now: r.now });
}

function run(name, list) {
  let sink = 0;
  for (const r of list) sink += extract(r).hour ?? 0;
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (const r of list) sink += extract(r).hour ?? 0;
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const ms = samples[Math.floor(samples.length / 2)];
  const us = (ms * 1000) / list.length;
  console.log(
    `${name.padEnd(42)} ${us.toFixed(2).padStart(7)} µs/request  ${((list.length / ms) * 1000).toFixed(0).padStart(8)} requests/s`,
  );
  return sink;
}

const sample = extract(requests(false)[1]);
console.log(`signals of one request: ${JSON.stringify(sample)}`);
run('headers → signals (40 User-Agents, cached)', requests(false));
run('headers → signals (every User-Agent new)', requests(true));
