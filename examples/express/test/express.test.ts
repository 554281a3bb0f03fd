// The Express example as a user runs it: started on 127.0.0.1 with an ephemeral port, decided
// through the mounted routes with fetch, and the server-rendered page driven in Chromium.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const GARDEN = 'New seeds for your garden';
const WELCOME = 'Welcome to the shop';

let server: Server;
let base: string;
let close: () => Promise<void>;
let browser: Browser;

beforeAll(async () => {
  const made = await createApp({ secret: 'express-example-secret-0123456789abcdef' });
  close = made.close;
  server = made.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with "apt-get install -y chromium", or set CHROMIUM_PATH.`,
    );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await close?.();
});

describe('example: Tactful mounted in Express', () => {
  it('decides through the mounted routes, and the app keeps its own JSON routes', async () => {
    const response = await fetch(`${base}/tactful/v1/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ slots: [{ id: 'home.hero', default: { title: WELCOME } }] }),
    });
    expect(response.status).toBe(200);
    const decision = (await response.json()) as {
      slots: Array<{ slot: string; isDefault: boolean; content: unknown }>;
    };
    expect(decision.slots[0]).toMatchObject({
      slot: 'home.hero',
      isDefault: true,
      content: { title: WELCOME },
    });
    // The server's own checks still hold under the mount: a cross-site POST is refused.
    const crossSite = await fetch(`${base}/tactful/v1/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ slots: [{ id: 'home.hero' }] }),
    });
    expect(crossSite.status).toBe(403);
    const own = await fetch(`${base}/api/newsletter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.example' }),
    });
    expect(await own.json()).toEqual({ subscribed: true });
    expect((await fetch(`${base}/tactful/healthz`)).status).toBe(200);
  });

  it('renders the page on the server for each person: personalized after consent, never another person’s, not after a withdrawal', async () => {
    const alice = await browser.newContext();
    const page = await alice.newPage();
    const first = await page.goto(`${base}/`);
    expect(first?.headers()['cache-control']).toBe('private, no-cache');
    expect(await page.textContent('h1')).toBe(WELCOME);
    expect(await page.textContent('[data-tactful-why] p')).toContain('default content');

    await Promise.all([page.waitForEvent('load'), page.click('#personalize')]);
    expect(await page.textContent('h1')).toBe(GARDEN);
    expect(await page.textContent('[data-tactful-why] p')).toMatch(/^Because you belong to a customer group/);
    const again = await page.reload();
    expect(again?.headers()['x-page-cache']).toBe('hit');
    expect(again?.headers()['cache-control']).toBe('private, no-store');
    expect(await page.textContent('h1')).toBe(GARDEN);

    // Another person, same URL, same cache, right after: the default page (the one shared by
    // visitors nobody is known about), never Alice's.
    const bob = await browser.newContext();
    const bobPage = await bob.newPage();
    const bobFirst = await bobPage.goto(`${base}/`);
    expect(bobFirst?.headers()['cache-control']).toBe('private, no-cache');
    expect(await bobPage.textContent('h1')).toBe(WELCOME);
    expect(await bobPage.content()).not.toContain(GARDEN);

    // Alice withdraws: the very next page is not personalized.
    await Promise.all([page.waitForEvent('load'), page.click('#withdraw')]);
    expect(await page.textContent('h1')).toBe(WELCOME);
    await alice.close();
    await bob.close();
  });
});
