// @tactful/react in a real browser: Debian's Chromium driven by playwright-core, React 19 bundled
// with esbuild. The page runs the in-page engine, or calls a real @tactful/server over HTTP (its
// Hono app mounted on the test's own HTTP server with @hono/node-server), or hydrates a page the
// server rendered with the consent-aware cache.
import { readFileSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import type { Tactful } from '@tactful/config';
import { createPageCache, decideForPage, initialDecisionScript } from '@tactful/react/server';
import { type TactfulServer, createServer as createTactfulServer, tokenDigest } from '@tactful/server';
import type { Browser, Page } from 'playwright-core';
import { renderToString } from 'react-dom/server';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeroApp, type RenderRecord } from './browser/app.js';
import {
  CONTEXTUAL,
  GARDEN_HERO,
  HERO_DEFAULT,
  PROFILE,
  gardener,
  grantedOf,
  launchChromium,
  shop,
} from '@tactful/test-fixtures';

const here = dirname(fileURLToPath(import.meta.url));
/** The site's server-to-server token: its page server asks for subject tokens with it. */
const SERVICE = 'svc-token-0123456789abcdef0123456789abcdef';
const packages = join(here, '..', '..');

interface PageApi {
  renders: RenderRecord[];
  delay: { ms: number };
  decideCalls(): number;
  text(selector: string): string | null;
  mountInPage(): void;
  grant(purposes: string[]): void;
  withdraw(): void;
  locale(l: 'en' | 'vi'): void;
  mountRemote(): void;
  remoteGrant(purposes: string[]): Promise<string[]>;
  declare(interests: string[]): Promise<number>;
  remoteWithdraw(purpose: string): Promise<string[]>;
  degradedLog: Array<{ isDefault: boolean; status: string; title: string; reason: string | undefined }>;
  mountDegraded(baseUrl: string): void;
  degradedRegrant(): void;
  hydrate(): void;
  hydrateSignedIn(withToken: boolean): void;
  signedInLocale(locale: string): void;
}
declare global {
  interface Window {
    tactfulTest: { api: PageApi };
  }
}

async function bundle(): Promise<string> {
  const outDir = join(here, '..', 'node_modules', '.cache', `browser-${process.pid}`);
  await build({
    config: false,
    silent: true,
    entry: { page: join(here, 'browser', 'page.tsx') },
    outDir,
    format: ['iife'],
    globalName: 'tactfulTest',
    platform: 'browser',
    target: 'es2022',
    dts: false,
    noExternal: [/.*/],
    env: { NODE_ENV: 'production' },
    esbuildOptions(options) {
      options.jsx = 'automatic';
      options.alias = Object.fromEntries(
        ['core', 'orchestrator', 'anonymous-session', 'react', 'client'].map((p) => [
          `@tactful/${p}`,
          join(packages, p, 'src', 'index.ts'),
        ]),
      );
    },
  });
  const code = readFileSync(join(outDir, 'page.global.js'), 'utf8');
  rmSync(outDir, { recursive: true, force: true });
  return code;
}

let browser: Browser;
let http: Server;
let base: string;
let tactful: Tactful;
let tactfulServer: TactfulServer;
let busyHits = 0;
/** An address where nothing listens: a decision server that is down. */
let downUrl: string;
const cache = createPageCache();

beforeAll(async () => {
  const script = await bundle();
  tactful = await shop({ server: { tokens: [{ name: 'site', sha256: tokenDigest(SERVICE) }] } });
  await gardener(tactful, 'alice');
  tactfulServer = await createTactfulServer(tactful, { log: false, secureCookies: false });
  const api = getRequestListener(tactfulServer.app.fetch);
  const shell = (body: string) =>
    `<!doctype html><html lang="en"><head><title>Shop</title></head><body>${body}<script src="/page.js"></script></body></html>`;
  http = createServer((request, response) => {
    const url = request.url ?? '/';
    if (url.startsWith('/v1/')) return void api(request, response);
    if (url.startsWith('/busy/')) {
      busyHits += 1;
      request.resume();
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '30' });
      return void response.end(
        JSON.stringify({ error: { code: 'OVERLOADED', message: 'the server is busy; retry in 30 seconds' } }),
      );
    }
    if (url === '/favicon.ico') return void response.writeHead(204).end();
    if (url === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      return void response.end(script);
    }
    if (url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void response.end(shell('<div id="root"></div>'));
    }
    if (url.startsWith('/ssr-signed-in?subject=')) {
      // Rendered for a signed-in person: decided with the engine, and a subject token issued for
      // this browser (the page request's cookies) so the page's client decides for them later.
      const subject = decodeURIComponent(url.slice('/ssr-signed-in?subject='.length));
      void (async () => {
        const issued = (await (
          await tactfulServer.app.request('/v1/subject-token', {
            method: 'POST',
            headers: {
              authorization: `Bearer ${SERVICE}`,
              'tactful-subject': subject,
              'content-type': 'application/json',
            },
            body: JSON.stringify(request.headers.cookie ? { cookie: request.headers.cookie } : {}),
          })
        ).json()) as { token: string; setCookie?: string };
        const consent = await grantedOf(tactful, subject);
        const initial = await decideForPage({
          decider: tactful.engine,
          consent,
          request: { subject: { id: subject } },
          slots: [{ id: 'home.hero', default: HERO_DEFAULT }],
        });
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'private, no-store',
          ...(issued.setCookie ? { 'set-cookie': issued.setCookie } : {}),
        });
        response.end(
          shell(
            `<div id="root">${renderToString(
              <HeroApp
                decider={{ decide: () => Promise.reject(new Error('no decisions while rendering')) }}
                consent={consent}
                request={{ subject: { id: subject } }}
                {...(initial ? { initial } : {})}
              />,
            )}</div>${initialDecisionScript(initial)}<script type="application/json" id="page-data">${JSON.stringify({ granted: consent.granted, subject, token: issued.token }).replace(/</g, '\\u003c')}</script>`,
          ),
        );
      })();
      return;
    }
    if (url.startsWith('/ssr?subject=')) {
      const subject = decodeURIComponent(url.slice('/ssr?subject='.length));
      void cache
        .render({
          page: '/ssr',
          decider: tactful.engine,
          consent: () => grantedOf(tactful, subject),
          request: { subject: { id: subject } },
          slots: [{ id: 'home.hero', default: HERO_DEFAULT }],
          render: (initial, consent) =>
            shell(
              `<div id="root">${renderToString(
                <HeroApp
                  decider={{ decide: () => Promise.reject(new Error('no decisions while rendering')) }}
                  consent={consent}
                  request={{ subject: { id: subject } }}
                  {...(initial ? { initial } : {})}
                />,
              )}</div>${initialDecisionScript(initial)}<script type="application/json" id="page-data">${JSON.stringify({ granted: consent.granted, subject })}</script>`,
            ),
        })
        .then((page) => {
          response.writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'x-cache': page.hit ? 'hit' : 'miss',
            ...page.headers,
          });
          response.end(page.html);
        });
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  downUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise((resolve) => closed.close(resolve));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (http ? http.close(resolve) : resolve(undefined)));
  await tactfulServer?.close();
  await tactful?.close();
});

async function open(path: string): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${base}${path}`);
  await page.waitForFunction(() => typeof window.tactfulTest?.api?.mountInPage === 'function');
  return { page, errors, close: () => context.close() };
}

const renders = (page: Page) =>
  page.evaluate(() => JSON.parse(JSON.stringify(window.tactfulTest.api.renders)) as RenderRecord[]);

describe('<Slot> in Chromium with the in-page engine', () => {
  it('renders the default first, personalizes only after consent, explains in en/vi, and the very next render after a withdrawal is not personalized', async () => {
    const { page, errors, close } = await open('/');
    await page.evaluate(() => window.tactfulTest.api.mountInPage());
    // The session browsed kids' products, but nothing is granted: a decision comes back, default.
    await page.waitForFunction(() => window.tactfulTest.api.renders.some((r) => r.status === 'ready'));
    let log = await renders(page);
    expect(log[0]).toMatchObject({ phase: 'start', isDefault: true, status: 'loading', first: 'women' });
    expect(log.every((r) => r.isDefault && r.first === 'women')).toBe(true);
    expect(await page.evaluate(() => window.tactfulTest.api.text('[data-tactful-why] p'))).toContain(
      'default content',
    );

    // Granted: the next decision puts kids first, with its explanation.
    await page.evaluate(() => window.tactfulTest.api.grant(['personalization.session']));
    await page.waitForFunction(() => window.tactfulTest.api.renders.some((r) => !r.isDefault));
    expect(await page.evaluate(() => window.tactfulTest.api.text('[data-tactful-slot] li'))).toBe('kids');
    const why = await page.evaluate(() => window.tactfulTest.api.text('[data-tactful-why]'));
    expect(why).toContain('Why am I seeing this?');
    await page.evaluate(() => window.tactfulTest.api.locale('vi'));
    expect(await page.evaluate(() => window.tactfulTest.api.text('[data-tactful-why] summary'))).toBe(
      'Tại sao tôi thấy nội dung này?',
    );
    expect(
      await page.evaluate(() => document.querySelector('[data-tactful-why]')?.getAttribute('lang')),
    ).toBe('vi');

    // Withdrawn: the render that commits with the withdrawal already shows the default.
    await page.evaluate(() => window.tactfulTest.api.withdraw());
    log = await renders(page);
    const after = log.filter((r) => r.phase === 'withdrawn');
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((r) => r.isDefault && r.first === 'women')).toBe(true);
    expect(await page.evaluate(() => window.tactfulTest.api.text('[data-tactful-slot] li'))).toBe('women');
    await page.waitForFunction(() =>
      window.tactfulTest.api.renders.filter((r) => r.phase === 'withdrawn').some((r) => r.status === 'ready'),
    );
    expect((await renders(page)).filter((r) => r.phase === 'withdrawn').every((r) => r.isDefault)).toBe(true);
    expect(errors).toEqual([]);
    await close();
  });

  it('drops a decision made under consent that was withdrawn while it was on its way', async () => {
    const { page, errors, close } = await open('/');
    await page.evaluate(() => window.tactfulTest.api.mountInPage());
    await page.waitForFunction(() => window.tactfulTest.api.renders.some((r) => r.status === 'ready'));
    // The engine answers slowly; the visitor grants and withdraws before the answer arrives.
    await page.evaluate(() => {
      window.tactfulTest.api.delay.ms = 400;
      window.tactfulTest.api.grant(['personalization.session']);
    });
    await page.waitForTimeout(50); // the granted decision is on its way
    await page.evaluate(() => window.tactfulTest.api.withdraw());
    await page.waitForTimeout(1200); // both answers have arrived
    const log = await renders(page);
    expect(log.some((r) => !r.isDefault)).toBe(false);
    expect(log.filter((r) => r.phase === 'withdrawn').at(-1)).toMatchObject({
      status: 'ready',
      isDefault: true,
    });
    expect(errors).toEqual([]);
    await close();
  });
});

describe('<Slot> in Chromium with @tactful/client against a running @tactful/server', () => {
  it('grants through the client, personalizes, and the very next render after a withdrawal is not personalized', async () => {
    const { page, errors, close } = await open('/');
    await page.evaluate(() => window.tactfulTest.api.mountRemote());
    await page.waitForFunction(() => window.tactfulTest.api.renders.some((r) => r.status === 'ready'));
    expect((await renders(page)).every((r) => r.first === HERO_DEFAULT.title)).toBe(true);
    // The first grant gives the browser its signed id cookie; then the person declares an interest.
    expect(await page.evaluate((p) => window.tactfulTest.api.remoteGrant(p), [CONTEXTUAL])).toEqual([
      CONTEXTUAL,
    ]);
    expect(await page.evaluate(() => window.tactfulTest.api.declare(['garden']))).toBe(1);
    expect(
      (await page.evaluate((p) => window.tactfulTest.api.remoteGrant(p), [PROFILE, CONTEXTUAL])).sort(),
    ).toEqual([CONTEXTUAL, PROFILE].sort());
    await page.waitForFunction(() => window.tactfulTest.api.renders.some((r) => !r.isDefault));
    expect(await page.evaluate(() => window.tactfulTest.api.text('h1'))).toBe(GARDEN_HERO.title);
    expect(await page.evaluate(() => window.tactfulTest.api.text('[data-tactful-why] p'))).toMatch(
      /^Because you belong to a customer group/,
    );

    // The server's answer to the withdrawal becomes the page's consent in one synchronous step.
    expect(await page.evaluate((p) => window.tactfulTest.api.remoteWithdraw(p), PROFILE)).toEqual([
      CONTEXTUAL,
    ]);
    const after = (await renders(page)).filter((r) => r.phase === 'withdrawn');
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((r) => r.isDefault && r.first === HERO_DEFAULT.title)).toBe(true);
    await page.waitForFunction(() =>
      window.tactfulTest.api.renders.filter((r) => r.phase === 'withdrawn').some((r) => r.status === 'ready'),
    );
    expect((await renders(page)).filter((r) => r.phase === 'withdrawn').every((r) => r.isDefault)).toBe(true);
    expect(await page.evaluate(() => window.tactfulTest.api.text('h1'))).toBe(HERO_DEFAULT.title);
    expect(errors).toEqual([]);
    await close();
  });

  const degradedLog = (page: Page) =>
    page.evaluate(
      () => JSON.parse(JSON.stringify(window.tactfulTest.api.degradedLog)) as PageApi['degradedLog'],
    );

  it('a server that is down: the default, then "degraded", never a flash of personalized content', async () => {
    const { page, close } = await open('/');
    await page.evaluate((url) => window.tactfulTest.api.mountDegraded(url), downUrl);
    await page.waitForFunction(() => window.tactfulTest.api.degradedLog.some((r) => r.status === 'degraded'));
    const log = await degradedLog(page);
    expect(log[0]).toMatchObject({ status: 'loading', isDefault: true });
    expect(log.every((r) => r.isDefault && r.title === HERO_DEFAULT.title)).toBe(true);
    expect(log.at(-1)).toMatchObject({ status: 'degraded', reason: 'network' });
    await close();
  });

  it('503 with Retry-After: the default, and the next decision within the wait is not even asked for', async () => {
    const { page, errors, close } = await open('/');
    const hits = busyHits;
    await page.evaluate(() => window.tactfulTest.api.mountDegraded('/busy'));
    await page.waitForFunction(() => window.tactfulTest.api.degradedLog.some((r) => r.status === 'degraded'));
    expect((await degradedLog(page)).at(-1)).toMatchObject({ status: 'degraded', reason: 'unavailable' });
    expect(busyHits).toBe(hits + 1);
    // A consent change asks again: the client answers defaults itself until the wait is over.
    await page.evaluate(() => window.tactfulTest.api.degradedRegrant());
    await page.waitForFunction(() =>
      window.tactfulTest.api.degradedLog.some((r) => r.reason === 'backing-off'),
    );
    const log = await degradedLog(page);
    expect(log.every((r) => r.isDefault && r.title === HERO_DEFAULT.title)).toBe(true);
    expect(busyHits).toBe(hits + 1);
    // The browser logs the 503 itself; nothing else went wrong on the page.
    expect(errors.filter((e) => !/503/.test(e))).toEqual([]);
    await close();
  });
});

describe('server-rendered pages in Chromium', () => {
  it('hydrates the personalized page without a flash, a mismatch or a second decision; another person behind the same cache gets the default', async () => {
    const alice = await open('/ssr?subject=alice');
    // Before any script ran, the HTML already held Alice's hero.
    const served = await (await fetch(`${base}/ssr?subject=alice`)).text();
    expect(served).toContain(GARDEN_HERO.title);
    await alice.page.evaluate(() => window.tactfulTest.api.hydrate());
    await alice.page.waitForFunction(() => window.tactfulTest.api.renders.length > 0);
    await alice.page.waitForTimeout(200);
    const log = await renders(alice.page);
    expect(log.every((r) => !r.isDefault && r.first === GARDEN_HERO.title)).toBe(true);
    expect(await alice.page.evaluate(() => window.tactfulTest.api.decideCalls())).toBe(0);
    expect(alice.errors).toEqual([]);
    await alice.close();

    // Bob, next, on the same URL and the same cache: not Alice's page.
    const bobPage = await fetch(`${base}/ssr?subject=bob`);
    expect(bobPage.headers.get('x-cache')).toBe('miss');
    expect(bobPage.headers.get('cache-control')).toBe('private, no-cache');
    const bobHtml = await bobPage.text();
    expect(bobHtml).toContain(HERO_DEFAULT.title);
    expect(bobHtml).not.toContain(GARDEN_HERO.title);
    // Alice again: her own page, from the cache.
    const again = await fetch(`${base}/ssr?subject=alice`);
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(again.headers.get('cache-control')).toBe('private, no-store');
  });

  it('a page rendered for a signed-in person re-decides for her after hydration with the subject token; without it, defaults and no request', async () => {
    const alice = await open('/ssr-signed-in?subject=alice');
    await alice.page.evaluate(() => window.tactfulTest.api.hydrateSignedIn(true));
    await alice.page.waitForFunction(() => window.tactfulTest.api.renders.length > 0);
    // A new request after hydration (the locale changed): decided again, through the server, for her.
    await alice.page.evaluate(() => window.tactfulTest.api.signedInLocale('vi-VN'));
    await alice.page.waitForFunction(
      (title) => window.tactfulTest.api.renders.some((r) => r.phase === 'after' && r.first === title),
      GARDEN_HERO.title,
    );
    expect(await alice.page.evaluate(() => window.tactfulTest.api.decideCalls())).toBe(1);
    const hydrated = (await renders(alice.page)).filter((r) => r.phase === 'hydrate');
    expect(hydrated.every((r) => r.first === GARDEN_HERO.title)).toBe(true);
    expect(alice.errors).toEqual([]);
    await alice.close();

    // The same page hydrated without the token: the client won't name her, so the new request
    // shows the default and nothing is sent.
    const bare = await open('/ssr-signed-in?subject=alice');
    await bare.page.evaluate(() => window.tactfulTest.api.hydrateSignedIn(false));
    await bare.page.waitForFunction(() => window.tactfulTest.api.renders.length > 0);
    await bare.page.evaluate(() => window.tactfulTest.api.signedInLocale('vi-VN'));
    await bare.page.waitForFunction(() =>
      window.tactfulTest.api.renders.some((r) => r.phase === 'after' && r.status !== 'loading'),
    );
    const after = (await renders(bare.page)).filter((r) => r.phase === 'after');
    expect(after.every((r) => r.first === HERO_DEFAULT.title)).toBe(true);
    expect(await bare.page.evaluate(() => window.tactfulTest.api.decideCalls())).toBe(0);
    await bare.close();
  });
});
