// What a person sees, in Chromium, on a desktop and on a 390×844 phone: erasure and its receipt,
// "What we know about you", a declared "not interested", "Why am I seeing this?", the notice's
// cookies, and the shop from product to checkout. Screenshots go to test-results/screenshots/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '@tactful/test-fixtures';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShop } from '../src/shop.js';

const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));

const DEVICES = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
} as const;
type Device = keyof typeof DEVICES;

let browser: Browser;
let shop: Awaited<ReturnType<typeof createShop>>;
let base: string;
let dataDir: string;
/** Internal names a person should never read: purposes, categories, signals, plugin names. */
let internal: RegExp;

async function fresh(device: Device, locale = 'en-US'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: base, locale, ...DEVICES[device] });
  return { context, page: await context.newPage() };
}

/** A screenshot of what is on screen, or of one part of the page (`selector`). */
async function shot(page: Page, name: string, device: Device, selector?: string): Promise<void> {
  const path = join(SCREENSHOTS, `journey-${device}-${name}.png`);
  if (selector) await page.locator(selector).screenshot({ path });
  else await page.screenshot({ path });
}

/** No part of the page is wider than the screen (nothing to scroll sideways). */
async function expectNoOverflow(page: Page, what: string): Promise<void> {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    screen: window.innerWidth,
  }));
  expect(widths.page, `${what} is wider than the screen`).toBeLessThanOrEqual(widths.screen);
}

/**
 * The text a person reads (with every "Why am I seeing this?" and the notice in the other language
 * opened), without the machine-readable parts.
 */
async function personText(page: Page): Promise<string> {
  return page.evaluate(() => {
    for (const d of document.querySelectorAll('details.why, #notice details'))
      (d as HTMLDetailsElement).open = true;
    const clone = document.body.cloneNode(true) as HTMLElement;
    for (const el of clone.querySelectorAll('.machine, .demo-panel')) el.remove();
    document.body.append(clone);
    clone.style.position = 'absolute';
    // biome-ignore lint/performance/useDomNodeTextContent: what a person reads is the rendered text; textContent would add hidden nodes and the page's script and style text
    const text = clone.innerText;
    clone.remove();
    return text;
  });
}

/**
 * The text a person sees in `selector`, as rendered: Playwright's `Locator.innerText()`, which
 * leaves out what is hidden and lays out line breaks as displayed. `textContent` would also count
 * hidden nodes, and the tests are about what a person reads.
 */
function seen(page: Page, selector: string): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered, visible text is what these tests check (Playwright's Locator.innerText, not a DOM read in a loop)
  return page.locator(selector).innerText();
}

/** Internal keys, hashes and ids found in a text. */
function leaks(text: string): string[] {
  const patterns = [
    internal,
    /\b[A-Z]{2,}(?:_[A-Z0-9]+)+\b/g, // error and reason codes (PURPOSE_NOT_GRANTED)
    /\b[0-9a-f]{16,}\b/g, // hashes
    /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, // trace ids, request ids
    /\bcr_[\w-]+|\bv-[0-9a-f]{8,}/g, // consent record ids, subject ids
    /\bnot-interested:\w+|\binterests\.\w+|\bcontext\.[a-z]+\.[a-z]+/g, // signal paths
  ];
  return patterns.flatMap((p) => text.match(p) ?? []);
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'tactful-journeys-'));
  shop = await createShop({ dataDir });
  base = (await shop.listen({ port: 0, host: '127.0.0.1' })).url;
  browser = await launchChromium();
  const notice = shop.tactful.notice;
  const names = [
    ...Object.keys(notice.purposes),
    ...Object.values(notice.purposes).flatMap((p) => p.categories.map((c) => c.id)),
    ...Object.values(shop.tactful.engine.plugins).flatMap((list) => list.map((p) => p.manifest.name)),
    'contextual.context',
    'segments.memberships',
    'session.interests',
  ];
  internal = new RegExp(
    [...new Set(names)]
      .map((n) => `(?<![\\w.])${n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![\\w-])`)
      .join('|'),
    'g',
  );
});

afterAll(async () => {
  await browser?.close();
  await shop?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.each(['desktop', 'phone'] as const)('journeys on a %s', (device) => {
  it('erasure: the receipt is the first thing seen, consent is shown as it is now, and it reads as sentences', async () => {
    const { context, page } = await fresh(device);
    await page.goto('/?simulate=rainy-evening-hanoi');
    await page.click('#accept-all');
    await page.goto('/c/kids');
    await page.goto('/privacy');
    await page.check('tr[data-topic="kids"] input[value="interested"]');
    await page.click('#save-interests');
    await page.waitForURL(/saved=1/);
    // What we know: consent records are there, in sentences, by where the data came from.
    const know = await seen(page, '#know');
    expect(know).toContain('You told us');
    expect(know).toMatch(/Contextual personalization: allowed, since/);
    expect(know).toContain("You are interested in: Kids' products.");
    expect(know).toMatch(/We recorded \d+ personalization decisions?/);
    expect(leaks(await personText(page))).toEqual([]);
    await expectNoOverflow(page, 'the privacy center');
    await shot(page, 'privacy-know', device, '#know');
    await shot(page, 'privacy-interests', device, '#interests');

    await page.click('#delete-data');
    await page.locator('#receipt').waitFor();
    const top = await page.locator('#receipt').boundingBox();
    expect(top && top.y < (DEVICES[device].viewport.height * 2) / 3).toBe(true);
    expect(await seen(page, '#receipt-summary')).toMatch(/We deleted \d+ items about you/);
    for (const box of await page.locator('#consent input[type=checkbox]').all())
      expect(await box.isChecked()).toBe(false);
    expect(await page.locator('#consent .status.on').count()).toBe(0);
    expect(leaks(await personText(page))).toEqual([]);
    await expectNoOverflow(page, 'the receipt');
    await shot(page, 'receipt', device);
    await context.close();
  });

  it('a declared "not interested" wins: no rain strip, the declared interest instead, and the why says so', async () => {
    const { context, page } = await fresh(device);
    await page.goto('/?simulate=rainy-evening-hanoi');
    await page.click('#accept-all');
    await page.goto('/privacy');
    await page.check('tr[data-topic="kids"] input[value="interested"]');
    // On a phone the "Not interested" choice is fully on screen, not cut off.
    const not = page.locator('tr[data-topic="rain"] input[value="not"]');
    const label = await page.locator('tr[data-topic="rain"] td').nth(2).boundingBox();
    expect(label && label.x + label.width <= DEVICES[device].viewport.width).toBe(true);
    await not.check();
    await page.click('#save-interests');
    await page.waitForURL(/saved=1/);
    await page.goto('/c/kids');
    expect(await page.locator('#page-notice').count()).toBe(0);
    await page.goto('/');
    expect(await page.locator('#hero').getAttribute('data-variant')).toBe('kids-declared');
    await page.locator('#hero .why summary').click();
    const why = await seen(page, '#hero .why');
    // In the topic's own words from the configuration, not its key.
    expect(why).toContain('You told us you are not interested in rain gear.');
    expect(why).toContain('What we used:');
    expect(why).not.toContain('nothing about you');
    await page.locator('#banner .why summary').click();
    const banner = await seen(page, '#banner .why');
    expect(banner).toMatch(
      /What we used: (local time and date and device and browser type|device and browser type and local time and date)\./,
    );
    expect(leaks(await personText(page))).toEqual([]);
    await expectNoOverflow(page, 'the home page');
    await shot(page, 'not-interested-hero', device, '#hero');
    await shot(page, 'why-banner', device, '#banner');
    await context.close();
  });

  it('the notice lists every cookie the browser holds, and the banner links to the notice and the privacy center', async () => {
    const { context, page } = await fresh(device);
    await page.goto('/');
    expect(await page.locator('#banner-notice').getAttribute('href')).toBe('/privacy#notice');
    expect(await page.locator('#banner-privacy').getAttribute('href')).toBe('/privacy');
    await expectNoOverflow(page, 'the banner');
    await shot(page, 'banner', device);
    await page.click('#accept-all');
    await page.goto('/c/kids');
    await page.click('#lang-switch');
    await page.goto('/privacy');
    const notice = await seen(page, '#notice-vi');
    const names = (await context.cookies()).map((c) => c.name);
    expect(names.length).toBeGreaterThan(2);
    for (const name of names) expect(notice, name).toContain(name);
    expect(notice).toContain('Cookie và các hình thức lưu trữ tương tự');
    expect(notice).toContain('quyền khiếu nại');
    await expectNoOverflow(page, 'the Vietnamese privacy center');
    // What we know, in Vietnamese, in sentences.
    const know = await seen(page, '#know');
    expect(know).toContain('Bạn đã cho chúng tôi biết');
    expect(know).toMatch(/Cá nhân hóa dựa trên ngữ cảnh: đã cho phép, từ/);
    expect(leaks(await personText(page))).toEqual([]);
    await shot(page, 'privacy-know-vi', device, '#know');
    await page.locator('#notice-vi h2', { hasText: 'Cookie' }).scrollIntoViewIfNeeded();
    await shot(page, 'notice-cookies-vi', device);
    await context.close();
  });

  it.each([
    ['en-US', 'This version of the notice applies from 1 December 2026.'],
    ['vi-VN', 'Phiên bản thông báo này áp dụng từ ngày 1 tháng 12 năm 2026.'],
  ])(
    'the notice reads for people in %s: plain words for what does it, a date for its version',
    async (locale, dated) => {
      const { context, page } = await fresh(device, locale);
      await page.goto('/privacy');
      const lang = locale.slice(0, 2);
      const other = lang === 'en' ? 'vi' : 'en';
      await page.locator(`#notice-${other} summary`).click();
      const shown = await seen(page, `#notice-${lang}`);
      const otherText = await seen(page, `#notice-${other}`);
      expect(shown).toContain(dated);
      expect(shown).toContain(lang === 'en' ? 'What does it:' : 'Thành phần xử lý:');
      expect(otherText).toContain(lang === 'en' ? 'Thành phần xử lý:' : 'What does it:');
      for (const text of [shown, otherText]) expect(leaks(text)).toEqual([]);
      expect(leaks(await personText(page))).toEqual([]);
      // The consent form still binds to the full version hash, out of sight.
      expect(await page.locator('#consent input[name="noticeVersion"]').getAttribute('value')).toBe(
        shop.tactful.notice.version,
      );
      expect(await page.locator(`#notice-${lang} section`).getAttribute('data-notice-version')).toBe(
        shop.tactful.notice.version,
      );
      await page.locator(`#notice-${lang}`).scrollIntoViewIfNeeded();
      await shot(page, `notice-${lang}`, device, `#notice-${lang}`);
      await context.close();
    },
  );

  it('the shop: pictures, consistent prices, a cart and a checkout, in Vietnamese without a wrapping header', async () => {
    const { context, page } = await fresh(device, 'vi-VN');
    await page.goto('/');
    await page.click('#reject-all');
    // The header keeps its rows in Vietnamese: the categories on one line, the tools on one line,
    // the shop's name on one line.
    for (const row of [
      'header.top nav.categories a',
      'header.top nav.tools a, header.top nav.tools button',
    ]) {
      const tops = await page.$$eval(row, (els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
      expect(Math.max(...tops) - Math.min(...tops), row).toBeLessThan(12);
    }
    expect((await page.locator('header .logo').boundingBox())?.height).toBeLessThan(70);
    expect(await page.locator('.card svg').count()).toBeGreaterThan(3);
    await expectNoOverflow(page, 'the home page');
    await shot(page, 'home-vi', device);
    await page.goto('/p/ao-dai-silk');
    await page.click('#add-to-cart');
    await page.waitForURL(/\/cart$/);
    expect(await seen(page, '#cart-total')).toBe('1.250.000\u00a0₫');
    await expectNoOverflow(page, 'the cart');
    await shot(page, 'cart-vi', device);
    await page.click('#checkout');
    await page.fill('input[name="name"]', 'Nguyễn Thị Lan');
    await page.fill('input[name="phone"]', '0900000000');
    await page.fill('input[name="address"]', '1 Phố Huế, Hà Nội');
    await expectNoOverflow(page, 'the checkout');
    await shot(page, 'checkout-vi', device);
    await page.click('#place-order');
    await page.locator('#order-placed').waitFor();
    expect(await seen(page, '#cart-link')).toContain('(0)');
    expect(leaks(await personText(page))).toEqual([]);
    await context.close();
  });
});
