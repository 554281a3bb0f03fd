// CORS: a page on another origin (another port of 127.0.0.1) calls the server from Chromium.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startShop } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A page server: answers every path with an empty HTML page (its origin is what matters). */
async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>shop</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let shop: Harness;
let listed: { server: Server; origin: string };
let other: { server: Server; origin: string };
let browser: Browser;

beforeAll(async () => {
  listed = await pageServer();
  other = await pageServer();
  shop = await startShop({ patch: { server: { cors: { origins: [listed.origin] } } } as never });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await shop?.stop();
  listed?.server.close();
  other?.server.close();
});

/** Runs `fetch` from a page of `origin` against the server; returns what the page could read. */
async function fromPage(origin: string, path: string, init: { method: string; body?: unknown }) {
  const page = await browser.newPage();
  try {
    await page.goto(`${origin}/`);
    return await page.evaluate(
      async ({ url, method, body }) => {
        try {
          const r = await fetch(url, {
            method,
            credentials: 'include',
            headers: body === undefined ? {} : { 'content-type': 'application/json' },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });
          return { ok: true as const, status: r.status, body: await r.json() };
        } catch (error) {
          return { ok: false as const, error: String(error) };
        }
      },
      { url: `${shop.url}${path}`, method: init.method, body: init.body },
    );
  } finally {
    await page.close();
  }
}

describe('CORS', () => {
  it('lets a listed page decide across origins with credentials included (preflight answered)', async () => {
    const result = await fromPage(listed.origin, '/v1/decide', {
      method: 'POST',
      body: { slots: [{ id: 'home.hero', default: 'hi' }] },
    });
    expect(result.ok && result.status).toBe(200);
    expect(result.ok && (result.body as { slots: unknown[] }).slots).toHaveLength(1);
  });

  it('refuses a page on an origin that is not listed (the browser cannot read the answer)', async () => {
    const result = await fromPage(other.origin, '/v1/decide', {
      method: 'POST',
      body: { slots: [{ id: 'home.hero' }] },
    });
    expect(result.ok).toBe(false);
  });

  it('answers a preflight with credentials and methods for a listed origin only, never "*"', async () => {
    const ask = (origin: string) =>
      fetch(`${shop.url}/v1/decide`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    const yes = await ask(listed.origin);
    expect(yes.status).toBe(204);
    expect(yes.headers.get('access-control-allow-origin')).toBe(listed.origin);
    expect(yes.headers.get('access-control-allow-credentials')).toBe('true');
    expect(yes.headers.get('access-control-allow-methods')).toContain('POST');
    expect(yes.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    const no = await ask(other.origin);
    expect(no.status).toBe(204);
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
    expect(no.headers.get('access-control-allow-credentials')).toBeNull();
    expect(no.headers.get('vary')).toContain('Origin');
  });

  it('a state change from an unlisted origin is still refused by the CSRF check; a listed one passes', async () => {
    const post = (origin: string) =>
      fetch(`${shop.url}/v1/decide`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ slots: [{ id: 'home.hero' }] }),
      });
    const refused = await post(other.origin);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await post(listed.origin);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(listed.origin);
  });

  it('the decide answer carries its CORS headers once, with the security headers, whoever asks', async () => {
    const post = (origin: string, body: unknown) =>
      fetch(`${shop.url}/v1/decide`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const good = { slots: [{ id: 'home.hero' }] };
    const fromListed = await post(listed.origin, good);
    expect(fromListed.status).toBe(200);
    expect(fromListed.headers.get('vary')).toBe('Origin');
    expect(fromListed.headers.get('access-control-allow-origin')).toBe(listed.origin);
    expect(fromListed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(fromListed.headers.get('access-control-expose-headers')).toBe('Retry-After');
    expect(fromListed.headers.get('cache-control')).toBe('no-store');
    expect(fromListed.headers.get('x-content-type-options')).toBe('nosniff');
    const sameSite = await post(shop.url, good);
    expect(sameSite.status).toBe(200);
    expect(sameSite.headers.get('vary')).toBe('Origin');
    expect(sameSite.headers.get('access-control-allow-origin')).toBeNull();
    expect(sameSite.headers.get('cache-control')).toBe('no-store');
    // An error answer of the same route from a listed page: readable by it, never cached.
    const bad = await post(listed.origin, { slots: 'no' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('vary')).toBe('Origin');
    expect(bad.headers.get('access-control-allow-origin')).toBe(listed.origin);
    expect(bad.headers.get('cache-control')).toBe('no-store');
  });
});
