import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stub answers: a status and body, after an optional delay. */
export interface StubAnswer {
  status?: number;
  body: string;
  delayMs?: number;
}

/** A local Open-Meteo stand-in on 127.0.0.1 that records every request. */
export interface WeatherStub {
  url: string;
  requests: URL[];
  answer: (url: URL) => StubAnswer;
  close(): Promise<void>;
}

/** A forecast body in Open-Meteo's format. */
export const forecastBody = (temperature: number, code: number, precipitation = 0): string =>
  JSON.stringify({
    latitude: 21,
    longitude: 105.8,
    current_units: { temperature_2m: '°C', weather_code: 'wmo code', precipitation: 'mm' },
    current: {
      time: '2026-11-29T12:00',
      interval: 900,
      temperature_2m: temperature,
      weather_code: code,
      precipitation,
    },
  });

/** Starts the stub; `answer` can be swapped per test. */
export async function startWeatherStub(answer: (url: URL) => StubAnswer): Promise<WeatherStub> {
  const stub = { requests: [] as URL[], answer } as WeatherStub;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    stub.requests.push(url);
    const { status = 200, body, delayMs = 0 } = stub.answer(url);
    const timer = setTimeout(() => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    }, delayMs);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}
