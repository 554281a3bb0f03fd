import { createServer } from 'node:http';

/**
 * A stand-in for the Open-Meteo forecast API on 127.0.0.1, so the example never calls the
 * internet: rain over Hanoi, sunshine over Berlin, clouds elsewhere.
 */
export async function startWeatherStub() {
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const latitude = Number(url.searchParams.get('latitude'));
    const current =
      Math.abs(latitude - 21) < 1
        ? { temperature_2m: 24.5, weather_code: 63, precipitation: 2.4 }
        : Math.abs(latitude - 52.5) < 1
          ? { temperature_2m: 8.5, weather_code: 0, precipitation: 0 }
          : { temperature_2m: 18, weather_code: 3, precipitation: 0 };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ latitude, current: { time: '2026-11-29T12:00', interval: 900, ...current } }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
