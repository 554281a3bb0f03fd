// The example's OpenFeature page in Chromium: the hero flag evaluated with @openfeature/web-sdk,
// answered by TactfulWebProvider with @tactful/client as its decider, against the example's own
// route handlers (same origin). Consent is granted and withdrawn with the page's buttons.
import type { Server } from 'node:http';
import { StandardResolutionReasons } from '@openfeature/web-sdk';
import { TACTFUL_REASONS } from '@tactful/openfeature';
import { launchChromium } from '@tactful/test-fixtures';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../src/start.js';
import { tactfulServer } from '../src/tactful.js';

process.env.TACTFUL_SECRET = 'fetch-handler-example-secret-0123456789';
const GARDEN = 'New seeds for your garden';
const WELCOME = 'Welcome to the shop';

interface Evaluation {
  cause: string;
  title: string;
  reason: string;
  degraded: string;
  errorCode: string | null;
}

let server: Server;
let base: string;
let browser: Browser;
beforeAll(async () => {
  ({ server, url: base } = (await start(0)) as { server: Server; url: string });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await (await tactfulServer()).close();
});

/** Opens the page in a fresh browser context, collecting every uncaught error the page raises. */
async function open(prepare?: (page: Page) => Promise<void>) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await prepare?.(page);
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  const read = async () => ({
    hero: await page.textContent('#hero'),
    reason: await page.textContent('#reason'),
    why: await page.textContent('#why'),
    degraded: await page.textContent('#degraded'),
  });
  const evaluations = () =>
    page.evaluate(() => (globalThis as { tactfulEvaluations?: unknown }).tactfulEvaluations) as Promise<
      Evaluation[]
    >;
  const settled = (cause: string) =>
    page.waitForFunction(
      (c) =>
        ((globalThis as { tactfulEvaluations?: Array<{ cause: string }> }).tactfulEvaluations ?? []).some(
          (e) => e.cause === c,
        ),
      cause,
    );
  return { context, page, errors, read, evaluations, settled };
}

describe('example: the OpenFeature page (web SDK + TactfulWebProvider + @tactful/client) in Chromium', () => {
  it('no consent: the default with CONSENT_DENIED; granted: the personalized variant; withdrawn: the very next evaluation is the default', async () => {
    const { context, page, errors, read, evaluations, settled } = await open();
    const first = await read();
    expect(first).toMatchObject({ hero: WELCOME, reason: TACTFUL_REASONS.consentDenied, degraded: '' });
    expect(first.why).toMatch(/default content/);

    await page.click('#grant');
    await settled('grant: decided');
    const granted = await read();
    expect(granted).toMatchObject({ hero: GARDEN, reason: StandardResolutionReasons.TARGETING_MATCH });
    // The explanation, from the hook (the decision's flagMetadata read back).
    expect(granted.why).toMatch(/customer group/);

    const before = (await evaluations()).length;
    await page.click('#withdraw');
    await settled('withdraw: decided');
    const after = (await evaluations()).slice(before);
    // The first evaluation after the withdrawal, before the server has answered for the new
    // context, is already the default (STALE), and none after it is personalized.
    expect(after[0]).toMatchObject({
      cause: 'withdraw',
      title: WELCOME,
      reason: StandardResolutionReasons.STALE,
    });
    expect(after.every((e) => e.title === WELCOME)).toBe(true);
    const withdrawn = await read();
    expect(withdrawn).toMatchObject({ hero: WELCOME, reason: TACTFUL_REASONS.consentDenied });
    expect(withdrawn.why).toMatch(/default content/);
    // Reloaded: the server remembers the withdrawal (the person's cookie stays, consent does not).
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await read()).toMatchObject({ hero: WELCOME, reason: TACTFUL_REASONS.consentDenied });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('consent granted in an earlier visit: the page loads personalized', async () => {
    const { context, page, read, settled } = await open();
    await page.click('#grant');
    await settled('grant: decided');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await read()).toMatchObject({ hero: GARDEN, reason: StandardResolutionReasons.TARGETING_MATCH });
    await context.close();
  });

  it('the decision server answering 503: the page shows the default and never throws, whatever is clicked', async () => {
    const { context, page, errors, read, evaluations } = await open(async (p) => {
      await p.route('**/api/tactful/**', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: '{"error":{"code":"UNAVAILABLE"}}',
        }),
      );
    });
    // @tactful/client never throws from decide(): it answers the defaults and says why (degraded),
    // so the provider's reason is DEFAULT, with the degradation in flagMetadata.
    expect(await read()).toMatchObject({
      hero: WELCOME,
      reason: StandardResolutionReasons.DEFAULT,
      degraded: '(default content: the server was unavailable)',
    });
    expect(await page.textContent('#error')).toBe('');
    await page.click('#grant');
    await page.waitForFunction(() => document.getElementById('status')?.textContent !== '');
    await page.click('#withdraw');
    await page.waitForFunction(() => !(document.getElementById('withdraw') as HTMLButtonElement).disabled);
    expect((await read()).hero).toBe(WELCOME);
    expect((await evaluations()).every((e) => e.title === WELCOME)).toBe(true);
    expect(await page.textContent('#status')).toMatch(/^Could not reach the server/);
    // Only the browser's own report of the 503 answers, never an uncaught error.
    expect(errors.filter((e) => !/status of 503/.test(e))).toEqual([]);
    await context.close();
  });

  it('the decision server unreachable (connection refused): the page shows the default and never throws', async () => {
    const { context, page, errors, read } = await open(async (p) => {
      await p.route('**/api/tactful/**', (route) => route.abort('connectionrefused'));
    });
    expect(await read()).toMatchObject({
      hero: WELCOME,
      reason: StandardResolutionReasons.DEFAULT,
      degraded: '(default content: the server was network)',
    });
    await page.click('#grant');
    await page.waitForFunction(() => document.getElementById('status')?.textContent !== '');
    expect((await read()).hero).toBe(WELCOME);
    expect(errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e))).toEqual([]);
    await context.close();
  });
});
