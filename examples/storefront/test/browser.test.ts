// The shop's journeys in a real browser: Debian's Chromium driven by playwright-core (not jsdom).
// Each journey starts from a fresh browser context (no cookies) against one shop started on a free
// port with its own temporary data folder. Screenshots of the key pages go to
// test-results/screenshots/ at the repository root.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@tactful/test-fixtures';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShop } from '../src/shop.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));
/** Cookies that may exist without any consent: none of them identifies or tracks anyone. */
const NECESSARY_COOKIES = new Set(['tactful_id', 'shop_lang', 'shop_cart', 'demo_simulate']);

let browser: Browser;
let shop: Awaited<ReturnType<typeof createShop>>;
let base: string;
let dataDir: string;
const shots: string[] = [];

async function fresh(
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: base,
    locale: 'en-US',
    viewport: { width: 1200, height: 900 },
    ...options,
  });
  const page = await context.newPage();
  return { context, page };
}

async function shot(page: Page, name: string, selector?: string): Promise<void> {
  const file = join(SCREENSHOTS, `storefront-${name}.png`);
  if (selector) await page.locator(selector).screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage: true });
  shots.push(file);
}

const heroVariant = (page: Page) => page.locator('#hero').getAttribute('data-variant');
const railOrder = async (page: Page) =>
  (await page.locator('#rail').getAttribute('data-order'))?.split(',') ?? [];
const cookieNames = async (context: BrowserContext) => (await context.cookies()).map((c) => c.name).sort();

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'tactful-storefront-'));
  shop = await createShop({ dataDir });
  base = (await shop.listen({ port: 0, host: '127.0.0.1' })).url;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await shop?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (shots.length > 0) console.log(`storefront screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`);
});

describe('storefront in Chromium', () => {
  it('shows the consent banner and default content on a first visit, with nothing pre-ticked', async () => {
    const { context, page } = await fresh();
    await page.goto('/');
    await expect.poll(() => page.locator('#consent-banner').isVisible()).toBe(true);
    expect(await heroVariant(page)).toBe('default');
    expect(await page.locator('#hero .why-summary').textContent()).toContain('Everyone sees this');
    expect(await railOrder(page)).toEqual(['women', 'men', 'home', 'rain', 'kids']);
    // Reject all is as easy as accept all: same size, same look.
    const reject = await page.locator('#reject-all').boundingBox();
    const accept = await page.locator('#accept-all').boundingBox();
    expect(
      reject && accept && Math.abs(reject.width - accept.width) < 1 && reject.height === accept.height,
    ).toBe(true);
    const colours = await page.evaluate(() =>
      ['#reject-all', '#accept-all'].map((s) => {
        const style = getComputedStyle(document.querySelector(s) as Element);
        return `${style.backgroundColor}|${style.color}|${style.fontSize}|${style.fontWeight}`;
      }),
    );
    expect(colours[0]).toBe(colours[1]);
    const boxes = page.locator('#consent-banner input[type=checkbox]');
    expect(await boxes.count()).toBeGreaterThanOrEqual(3);
    for (const box of await boxes.all()) expect(await box.isChecked()).toBe(false);
    expect(await cookieNames(context)).toEqual([]);
    await shot(page, '01-first-visit');
    await context.close();
  });

  it('keeps default content and sets no tracking cookie after "Reject all"', async () => {
    const { context, page } = await fresh();
    await page.goto('/?simulate=rainy-evening-hanoi');
    await page.click('#reject-all');
    await page.waitForURL(`${base}/`);
    expect(await page.locator('#consent-banner').count()).toBe(0);
    expect(await heroVariant(page)).toBe('default');
    await page.goto('/c/kids');
    await page.goto('/p/wooden-train');
    await page.goto('/');
    expect(await heroVariant(page)).toBe('default');
    expect(await railOrder(page)).toEqual(['women', 'men', 'home', 'rain', 'kids']);
    const names = await cookieNames(context);
    expect(names).not.toContain('tactful_session');
    expect(names.filter((n) => !NECESSARY_COOKIES.has(n))).toEqual([]);
    await shot(page, '02-after-reject');
    await context.close();
  });

  it('changes the hero with the simulated context once contextual personalization is accepted', async () => {
    const { context, page } = await fresh();
    await page.goto('/?simulate=rainy-evening-hanoi');
    expect(await page.locator('#simulation-active').textContent()).toContain('Hanoi');
    expect(await heroVariant(page)).toBe('default');
    await page.locator('#consent-banner summary').click();
    await shot(page, '03a-banner-choices', '#consent-banner');
    await page.check('#consent-banner input[value="personalization.contextual"]');
    await page.click('#save-choices');
    await page.waitForURL(`${base}/`);
    expect(await heroVariant(page)).toBe('rain');
    expect(await page.locator('#banner').getAttribute('data-variant')).toBe('mobile-evening');
    await page.locator('#hero .why summary').click();
    expect(await page.locator('#hero .why-summary').textContent()).toContain('raining');
    expect(await page.locator('#hero .why').getAttribute('data-purposes')).toContain(
      'personalization.contextual',
    );
    expect(await page.locator('#hero .why-purposes').textContent()).toContain('Contextual personalization');
    await shot(page, '03-hero-rainy-evening-hanoi');

    await page.goto('/?simulate=sunny-morning-saigon');
    expect(await heroVariant(page)).toBe('default');
    await page.goto('/?simulate=tet-hanoi');
    expect(await heroVariant(page)).toBe('tet');
    await shot(page, '04-hero-tet');
    // Only contextual personalization was granted: no anonymous session cookie.
    expect(await cookieNames(context)).not.toContain('tactful_session');
    await context.close();
  });

  it("reorders the product rail after browsing kids' products, then stops after withdrawal and erases on request", async () => {
    const { context, page } = await fresh();
    await page.goto('/');
    await page.click('#accept-all');
    await page.waitForURL(`${base}/`);
    expect(await railOrder(page)).toEqual(['women', 'men', 'home', 'rain', 'kids']);
    expect(await page.locator('#rail .card').first().getAttribute('data-category')).toBe('women');

    await page.click('nav.categories a[href="/c/kids"]');
    await page.click('.card[data-product="wooden-train"]');
    await page.goto('/p/picture-book');
    await page.goto('/p/kids-raincoat');
    await page.goto('/');
    expect((await railOrder(page))[0]).toBe('kids');
    expect(await page.locator('#rail .card').first().getAttribute('data-category')).toBe('kids');
    expect(await heroVariant(page)).toBe('kids-session');
    expect(await page.locator('#continue .card').count()).toBeGreaterThan(0);
    expect(await cookieNames(context)).toContain('tactful_session');
    await page.locator('#rail .why summary').click();
    expect(await page.locator('#rail .why').getAttribute('data-strategy')).toContain('anonymous-session');
    await shot(page, '05-rail-after-kids');

    // Privacy center: withdraw everything; the very next page is not personalized.
    await page.click('#privacy-link');
    for (const box of await page.locator('#consent input[type=checkbox]').all()) await box.uncheck();
    await page.click('#save-consent');
    await page.waitForURL(/\/privacy\?saved=1/);
    for (const box of await page.locator('#consent input[type=checkbox]').all())
      expect(await box.isChecked()).toBe(false);
    await page.goto('/');
    expect(await heroVariant(page)).toBe('default');
    expect(await railOrder(page)).toEqual(['women', 'men', 'home', 'rain', 'kids']);
    expect(await page.locator('#continue').count()).toBe(0);
    expect(await cookieNames(context)).not.toContain('tactful_session');

    // Zero-party data: declare an interest, see it in the export.
    await page.goto('/privacy');
    await page.check('tr[data-topic="kids"] input[value="interested"]');
    await page.check('tr[data-topic="rain"] input[value="not"]');
    await page.click('#save-interests');
    await page.waitForURL(/\/privacy\?saved=1/);
    expect(await page.locator('tr[data-topic="kids"] input[value="interested"]').isChecked()).toBe(true);
    const exported = JSON.parse((await page.locator('#export-json').textContent()) ?? '{}');
    expect(exported.empty).toBe(false);
    expect(JSON.stringify(exported.sections)).toContain('"kids"');
    await shot(page, '06-privacy-center');
    const download = await Promise.all([page.waitForEvent('download'), page.click('#download')]).then(
      ([d]) => d,
    );
    const downloaded = await download.path();
    expect(downloaded && JSON.parse((await import('node:fs')).readFileSync(downloaded, 'utf8')).format).toBe(
      'tactful.subject-export',
    );

    // Delete my data: a receipt, then an empty export.
    await page.click('#delete-data');
    await expect.poll(() => page.locator('#receipt').isVisible()).toBe(true);
    const receipt = (await page.locator('#receipt pre').textContent()) ?? '';
    expect(JSON.parse(receipt).request.type).toBe('erasure');
    expect(await page.locator('#receipt-summary').textContent()).toMatch(/We deleted \d+ items about you/);
    // Drawn after the erasure: nothing is ticked, and the receipt is the first thing on the page.
    for (const box of await page.locator('#consent input[type=checkbox]').all())
      expect(await box.isChecked()).toBe(false);
    expect(await page.locator('#receipt').evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(900);
    await shot(page, '07-deletion-receipt');
    await page.goto('/privacy');
    expect(await page.locator('#export-empty').isVisible()).toBe(true);
    const after =
      (await page.locator('#export-json').count()) > 0
        ? JSON.parse((await page.locator('#export-json').textContent()) ?? '{}')
        : { empty: true };
    expect(after.empty).toBe(true);
    await context.close();
  });

  it('renders through @tactful/client: defaults when the decision API is busy (503, Retry-After), hangs, or leaves a slot out', async () => {
    const { context, page } = await fresh();
    await page.goto('/?simulate=rainy-evening-hanoi');
    await page.locator('#consent-banner summary').click();
    await page.check('#consent-banner input[value="personalization.contextual"]');
    await page.click('#save-choices');
    await page.waitForURL(`${base}/`);
    expect(await heroVariant(page)).toBe('rain');

    // The pages' API calls go to the decision server's app; its decide route is made to fail.
    const app = shop.api.app as { fetch: (request: Request, env?: unknown) => Response | Promise<Response> };
    const real = app.fetch;
    let mode: 'busy' | 'hang' | 'partial' = 'busy';
    let decides = 0;
    app.fetch = async (request, env) => {
      if (new URL(request.url).pathname !== '/v1/decide') return real(request, env);
      decides++;
      if (mode === 'busy') {
        return new Response(JSON.stringify({ error: { code: 'OVERLOADED', message: 'busy' } }), {
          status: 503,
          headers: { 'content-type': 'application/json', 'retry-after': '30' },
        });
      }
      if (mode === 'hang') return new Promise<Response>(() => {});
      // A 200 whose answer leaves the hero out: the rest is the server's own decision.
      const answer = (await (await real(request, env)).json()) as { slots: Array<{ slot: string }> };
      answer.slots = answer.slots.filter((slot) => slot.slot !== 'home.hero');
      return Response.json(answer);
    };
    try {
      const busy = await page.goto('/');
      expect(busy?.status()).toBe(200);
      expect(await heroVariant(page)).toBe('default');
      expect(await page.locator('#banner').getAttribute('data-variant')).not.toBe('mobile-evening');

      mode = 'hang';
      const hung = await page.goto('/', { timeout: 20_000 });
      expect(hung?.status()).toBe(200);
      expect(await heroVariant(page)).toBe('default');

      mode = 'partial';
      await page.goto('/');
      expect(await heroVariant(page)).toBe('default');
      expect(await page.locator('#banner').getAttribute('data-variant')).toBe('mobile-evening');
      expect(decides).toBe(3);
    } finally {
      app.fetch = real;
    }
    // The API answers again: the next page is personalized again.
    await page.goto('/');
    expect(await heroVariant(page)).toBe('rain');
    await context.close();
  });

  it('switches the language to Vietnamese: banner, content and the notice', async () => {
    const { context, page } = await fresh();
    await page.goto('/');
    await page.click('#lang-switch');
    await page.waitForURL(`${base}/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.locator('#reject-all').textContent()).toBe('Từ chối tất cả');
    expect(await page.locator('#accept-all').textContent()).toBe('Đồng ý tất cả');
    expect(await page.locator('#hero h1').textContent()).toBe('Hàng mới tuần này');
    expect(await page.locator('#hero .why summary').textContent()).toBe('Tại sao tôi thấy nội dung này?');
    await shot(page, '08-home-vi');
    await page.goto('/privacy');
    expect(await page.locator('#notice-vi').textContent()).toMatch(/dữ liệu cá nhân/);
    expect(await page.locator('#notice-en').count()).toBe(1);
    await context.close();
  });

  it('honours Global Privacy Control: "Accept all" personalizes nothing while the signal is sent', async () => {
    const { context, page } = await fresh({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
    await page.goto('/?simulate=rainy-evening-hanoi');
    expect(await page.locator('#consent-banner .gpc').count()).toBe(1);
    await page.click('#accept-all');
    await page.waitForURL(`${base}/`);
    expect(await heroVariant(page)).toBe('default');
    await page.goto('/c/kids');
    await page.goto('/');
    expect(await cookieNames(context)).not.toContain('tactful_session');
    await context.close();
  });
});
