// The browser entry point in a real browser: Debian's Chromium driven by playwright-core (not jsdom,
// not a Node sandbox). browser-page.js is bundled with the orchestrator and core for the browser,
// served from a small HTTP server on 127.0.0.1, and driven from the test through page.evaluate.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', '..', '..', 'packages');

interface PageApi {
  CATEGORIES: string[];
  sessionId(): string;
  record(events: unknown[]): number;
  events(): { type: string; target?: string; topics?: string[]; at: number }[];
  decideCategories(): Promise<{
    content: { kind: string; order: string[] };
    strategy: string;
    isDefault: boolean;
  }>;
}
declare global {
  interface Window {
    contentSession: PageApi;
  }
}

const KIDS_VIEWS = [
  { type: 'product_view', target: 'wooden-train', topics: ['kids', 'toys'] },
  { type: 'product_view', target: 'rain-boots-kids', topics: ['kids'] },
  { type: 'product_view', target: 'picture-book', topics: ['kids'] },
];

let browser: Browser;
let server: Server;
let base: string;
/** Every URL any page asked for: the page must stay on the test's own server. */
const requested: string[] = [];

async function bundle(): Promise<string> {
  const outDir = join(here, '..', 'node_modules', '.cache', `browser-${process.pid}`);
  await build({
    config: false,
    silent: true,
    entry: { page: join(here, 'browser-page.js') },
    outDir,
    format: ['iife'],
    globalName: 'contentSession',
    platform: 'browser',
    target: 'es2022',
    dts: false,
    noExternal: [/.*/],
    esbuildOptions(options) {
      // Each package's src folder: `@tactful/x` is its index.ts, `@tactful/x/y` its y.ts (as the exports map).
      options.alias = {
        ...Object.fromEntries(
          ['core', 'orchestrator', 'anonymous-session'].map((p) => [
            `@tactful/${p}`,
            join(packages, p, 'src'),
          ]),
        ),
      };
    },
  });
  const code = readFileSync(join(outDir, 'page.global.js'), 'utf8');
  rmSync(outDir, { recursive: true, force: true });
  return code;
}

async function fresh(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(`${base}/`);
  await page.waitForFunction(() => typeof window.contentSession?.record === 'function');
  return { context, page };
}

/** Everything this origin keeps in the tab: sessionStorage, localStorage, cookies. */
async function storageOf(context: BrowserContext, page: Page) {
  const { session, local, documentCookie } = await page.evaluate(() => {
    const dump = (s: Storage) =>
      Object.fromEntries(
        Array.from({ length: s.length }, (_, i) => s.key(i) as string).map((k) => [k, s.getItem(k)]),
      );
    return { session: dump(sessionStorage), local: dump(localStorage), documentCookie: document.cookie };
  });
  return { session, local, documentCookie, cookies: await context.cookies() };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: this browser test needs it. Install it with "apt-get install -y chromium" (CI installs it), or point CHROMIUM_PATH at a Chromium binary.`,
    );
  }
  const script = await bundle();
  server = createServer((request, response) => {
    if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        '<!doctype html><html lang="en"><head><title>Home</title><script src="/page.js"></script></head><body></body></html>',
      );
    } else if (request.url === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      response.end(script);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

describe('example: the browser entry point in Chromium', () => {
  it("records kids' product views in sessionStorage, moves kids first in an in-page decision, and a new session starts empty", async () => {
    const first = await fresh();
    // Before anything is recorded, the page has written nothing anywhere.
    expect(await storageOf(first.context, first.page)).toEqual({
      session: {},
      local: {},
      documentCookie: '',
      cookies: [],
    });

    const count = await first.page.evaluate((events) => window.contentSession.record(events), KIDS_VIEWS);
    expect(count).toBe(3);
    const id = await first.page.evaluate(() => window.contentSession.sessionId());
    expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);

    // The events are in this tab's sessionStorage, under the current id, as the entry point wrote them.
    const afterViews = await storageOf(first.context, first.page);
    expect(Object.keys(afterViews.session).sort()).toEqual(
      ['tactful.session.current', `tactful.session.${id}`].sort(),
    );
    expect(afterViews.session['tactful.session.current']).toBe(id);
    const stored = JSON.parse(afterViews.session[`tactful.session.${id}`] as string) as {
      v: number;
      events: { type: string; target: string; topics: string[] }[];
    };
    expect(stored.v).toBe(1);
    expect(stored.events.map(({ type, target, topics }) => ({ type, target, topics }))).toEqual(KIDS_VIEWS);
    // No persistent identifier: nothing in localStorage, no cookie.
    expect(afterViews.local).toEqual({});
    expect(afterViews.documentCookie).toBe('');
    expect(afterViews.cookies).toEqual([]);

    // The decision runs in the page: kids moves from last to first.
    const categories = await first.page.evaluate(() => window.contentSession.CATEGORIES);
    expect(categories.at(-1)).toBe('kids');
    const decided = await first.page.evaluate(() => window.contentSession.decideCategories());
    expect(decided.isDefault).toBe(false);
    expect(decided.strategy).toBe('@tactful/anonymous-session');
    expect(decided.content.kind).toBe('categories');
    expect(decided.content.order[0]).toBe('kids');
    expect([...decided.content.order].sort()).toEqual([...categories].sort());

    // A reload of the same tab keeps the visit (sessionStorage lives as long as the tab).
    await first.page.reload();
    await first.page.waitForFunction(() => typeof window.contentSession?.record === 'function');
    expect(await first.page.evaluate(() => window.contentSession.sessionId())).toBe(id);
    expect((await first.page.evaluate(() => window.contentSession.events())).map((e) => e.target)).toEqual(
      KIDS_VIEWS.map((e) => e.target),
    );

    // A fresh browser context is a new visitor: nothing carried over, a new id, the default order.
    const second = await fresh();
    expect(await storageOf(second.context, second.page)).toEqual({
      session: {},
      local: {},
      documentCookie: '',
      cookies: [],
    });
    expect(await second.page.evaluate(() => window.contentSession.events())).toEqual([]);
    const secondId = await second.page.evaluate(() => window.contentSession.sessionId());
    expect(secondId).not.toBe(id);
    const undecided = await second.page.evaluate(() => window.contentSession.decideCategories());
    expect(undecided.content.order).toEqual(categories);
    // Starting the new session wrote only to sessionStorage.
    const secondAfter = await storageOf(second.context, second.page);
    expect(Object.keys(secondAfter.session).sort()).toEqual(
      ['tactful.session.current', `tactful.session.${secondId}`].sort(),
    );
    expect(secondAfter.local).toEqual({});
    expect(secondAfter.cookies).toEqual([]);

    await first.context.close();
    await second.context.close();
    // Everything the pages loaded came from the test's server.
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => !url.startsWith(`${base}/`))).toEqual([]);
  });
});
