// DEMO ONLY: simulated context. A visitor of the demo (or a test) can pretend to be somewhere else,
// at another time, on another device, with `?simulate=<preset>`. A real shop has none of this: its
// time is the clock's, its device the User-Agent's, its city the edge proxy's headers and its
// weather a real weather API.
import { createServer } from 'node:http';

const PHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const DESKTOP =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const TABLET =
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** The simulation presets: a local time (Vietnam), a city, a device and, for Tết, a date. */
export const SIMULATIONS = Object.freeze({
  'rainy-evening-hanoi': {
    label: { en: 'Rainy evening in Hanoi, on a phone', vi: 'Tối mưa ở Hà Nội, trên điện thoại' },
    time: '19:30',
    city: 'Hà Nội',
    country: 'VN',
    userAgent: PHONE,
  },
  'sunny-morning-saigon': {
    label: { en: 'Sunny morning in Saigon, on a laptop', vi: 'Sáng nắng ở Sài Gòn, trên máy tính' },
    time: '09:00',
    city: 'Ho Chi Minh City',
    country: 'VN',
    userAgent: DESKTOP,
  },
  'tet-hanoi': {
    label: {
      en: 'The week before Tết, in Hanoi, on a tablet',
      vi: 'Tuần trước Tết, ở Hà Nội, trên máy tính bảng',
    },
    date: '2027-02-02',
    time: '10:00',
    city: 'Hà Nội',
    country: 'VN',
    userAgent: TABLET,
  },
});

/** The preset named `name`, or undefined. */
export function simulation(name) {
  return typeof name === 'string' && Object.hasOwn(SIMULATIONS, name) ? SIMULATIONS[name] : undefined;
}

/** Today's date in Vietnam (YYYY-MM-DD). */
function todayInVietnam(now) {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Ho_Chi_Minh',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/**
 * What a preset changes in a decision: the request context's moment and time zone, the
 * User-Agent the device is read from, and the location headers the shop (acting as the trusted
 * edge proxy of its decision API) adds.
 */
export function simulatedRequest(preset, now = new Date()) {
  const date = preset.date ?? todayInVietnam(now);
  return {
    context: { now: `${date}T${preset.time}:00+07:00`, timeZone: 'Asia/Ho_Chi_Minh' },
    userAgent: preset.userAgent,
    place: { country: preset.country, city: preset.city },
  };
}

/** The weather the simulated service reports: rain over Hanoi, sun over Saigon, clouds elsewhere. */
export function simulatedWeather(latitude) {
  if (Math.abs(latitude - 21.03) < 0.5) return { temperature_2m: 24.5, weather_code: 63, precipitation: 2.4 };
  if (Math.abs(latitude - 10.82) < 0.5) return { temperature_2m: 31, weather_code: 0, precipitation: 0 };
  return { temperature_2m: 22, weather_code: 3, precipitation: 0 };
}

/**
 * Starts the simulated weather service: an Open-Meteo compatible `/v1/forecast` on 127.0.0.1 (a
 * free port), so the demo never calls the internet.
 */
export async function startSimulatedWeather() {
  const server = createServer((req, res) => {
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
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
