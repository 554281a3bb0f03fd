// @tactful/client in a real browser (Debian's Chromium, playwright-core): a page on one origin
// calls a @tactful/server on another (another port of 127.0.0.1: cross-origin, same site), listed
// in `server.cors.origins`. The browser itself sends the Origin and keeps the cookies.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Tactful, TactfulConfigSchema, createTactful } from '@tactful/config';
import {
  type ListeningServer,
  type TactfulServer,
  createServer as createTactfulServer,
  tokenDigest,
} from '@tactful/server';
import { PROFILE, gardener, launchChromium } from '@tactful/test-fixtures';
import type { Browser } from 'playwright-core';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The site's own server-to-server token (its page server renders pages for signed-in people). */
const SERVICE = 'svc-token-0123456789abcdef0123456789abcdef';
const SEEDS = { title: 'New seeds for your garden' };

let outDir: string;
let page: Server;
let pageUrl: string;
let tactful: Tactful;
let server: TactfulServer;
let listening: ListeningServer;
let browser: Browser;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'tactful-client-'));
  await build({
    config: false,
    silent: true,
    entry: { client: join(here, '..', 'src', 'index.ts') },
    outDir,
    format: ['iife'],
    globalName: 'tactfulClient',
    platform: 'browser',
    target: 'es2022',
    dts: false,
  });
  const script = readFileSync(join(outDir, 'client.global.js'), 'utf8');
  page = createServer(async (_request, response) => {
    if (_request.url === '/client.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      return;
    }
    if (_request.url === '/signed-in/alice') {
      // The site renders the page for Alice (signed in): it asks the decision server for a
      // subject token bound to this browser (its cookies, as the page request carried them).
      const cookie = _request.headers.cookie;
      const issued = (await (
        await fetch(`${listening.url}/v1/subject-token`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${SERVICE}`,
            'tactful-subject': 'alice',
            'content-type': 'application/json',
          },
          body: JSON.stringify(cookie === undefined ? {} : { cookie }),
        })
      ).json()) as { token: string; setCookie?: string };
      response
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          ...(issued.setCookie === undefined ? {} : { 'set-cookie': issued.setCookie }),
        })
        .end(
          `<!doctype html><title>shop</title><script src="/client.js"></script><script type="application/json" id="subject-token">${JSON.stringify(issued.token)}</script>`,
        );
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<!doctype html><title>shop</title><script src="/client.js"></script>');
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  const config = TactfulConfigSchema.parse({
    controller: { name: 'Shop ABC', contact: 'privacy@shop.example' },
    storage: { driver: 'memory' },
    audit: { enabled: false },
    server: { cors: { origins: [pageUrl] }, tokens: [{ name: 'site', sha256: tokenDigest(SERVICE) }] },
    strategies: {
      dynamicContent: [
        {
          catalog: {
            slots: [
              {
                id: 'home.hero',
                default: { content: { title: 'Welcome' } },
                variants: [{ id: 'garden', when: { segments: 'gardener' }, content: SEEDS }],
              },
            ],
          },
        },
      ],
      segments: {
        segments: [
          {
            name: 'gardener',
            description: { en: 'Gardeners', vi: 'Người làm vườn' },
            condition: { 'profile.preferences.interests': 'garden' },
          },
        ],
      },
    },
  });
  tactful = await createTactful(config, { memory: true, secret: 's'.repeat(40) });
  server = await createTactfulServer(tactful, { log: false, secureCookies: false });
  listening = await server.listen({ port: 0, host: '127.0.0.1' });
  // Alice likes gardening and granted profile personalization (on another device, say).
  await gardener(tactful, 'alice');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await tactful?.close();
  page?.closeAllConnections();
  await new Promise((resolve) => page?.close(resolve));
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('in Chromium, from a page on another origin', () => {
  it('the banner grants with the cookie the server sets, and withdraws; decide and export work cross-origin', async () => {
    const tab = await browser.newPage();
    await tab.goto(pageUrl);
    const result = await tab.evaluate(
      async ({ api, profile }) => {
        const { createClient, createConsentBanner } = (
          window as unknown as { tactfulClient: typeof import('../src/index.js') }
        ).tactfulClient;
        const client = createClient({ baseUrl: api });
        const first = await client.decide({ slots: [{ id: 'home.hero', default: { title: 'Welcome' } }] });
        const purposes = Object.keys((await client.consent()).purposes);
        const banner = createConsentBanner({ client, purposes });
        await banner.load();
        const ticksBefore = Object.values(banner.getState().choices);
        await banner.acceptAll();
        const afterAccept = (await client.purpose(profile)).status;
        const exported = await client.exportData();
        await banner.withdrawAll();
        const afterWithdraw = await client.purpose(profile);
        const second = await client.decide({ slots: [{ id: 'home.hero', default: { title: 'Welcome' } }] });
        return {
          first: { degraded: first.degraded ?? null, content: first.slots[0]?.content },
          ticksBefore,
          afterAccept,
          exportedSubject: typeof exported.subject.id,
          afterWithdraw,
          second: { degraded: second.degraded ?? null, purposesUsed: second.purposesUsed },
          bannerStatus: banner.getState().status,
        };
      },
      { api: listening.url, profile: PROFILE },
    );
    expect(result.first).toEqual({ degraded: null, content: { title: 'Welcome' } });
    expect(result.ticksBefore.length).toBeGreaterThan(0);
    expect(result.ticksBefore.every((t) => t === false)).toBe(true);
    expect(result.afterAccept).toBe('granted');
    expect(result.exportedSubject).toBe('string');
    expect(result.afterWithdraw).toMatchObject({ status: 'denied', reason: 'withdrawn' });
    expect(result.second.degraded).toBeNull();
    expect(result.second.purposesUsed).not.toContain(PROFILE);
    expect(result.bannerStatus).toBe('idle');
    await tab.close();
  });

  it('a page on an origin the server does not list gets defaults from decide, and a typed error elsewhere', async () => {
    const tab = await browser.newPage();
    // Another origin, not in the allow-list: localhost is a different site from 127.0.0.1.
    await tab.goto(pageUrl.replace('127.0.0.1', 'localhost'));
    const result = await tab.evaluate(async (api) => {
      const { createClient } = (window as unknown as { tactfulClient: typeof import('../src/index.js') })
        .tactfulClient;
      const client = createClient({ baseUrl: api, timeoutMs: 5000 });
      const decision = await client.decide({ slots: [{ id: 'home.hero', default: { title: 'Welcome' } }] });
      const error = await client
        .grant('personalization.profile')
        .catch((e: { code: string; name: string }) => ({
          code: e.code,
          name: e.name,
        }));
      return { degraded: decision.degraded?.reason, content: decision.slots[0]?.content, error };
    }, listening.url);
    expect(result.content).toEqual({ title: 'Welcome' });
    // The browser withholds an answer the server sent without CORS headers (and the server's
    // cross-site check refuses the grant before any handler runs: its own tests show that).
    expect(result.degraded).toBe('network');
    expect(result.error).toMatchObject({ name: 'TactfulClientError', code: 'NETWORK_ERROR' });
    await tab.close();
  });

  it('a page rendered for a signed-in person decides for her after hydration with the subject token; a script can name no one', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(`${pageUrl}/signed-in/alice`);
    const result = await tab.evaluate(async (api) => {
      const { createClient } = (window as unknown as { tactfulClient: typeof import('../src/index.js') })
        .tactfulClient;
      const token = JSON.parse(document.getElementById('subject-token')!.textContent!) as string;
      const slots = [{ id: 'home.hero', default: { title: 'Welcome' } }];
      const client = createClient({ baseUrl: api, subjectToken: token });
      const hers = await client.decide({ slots, subject: { id: 'alice' } });
      // A hostile script: names someone with an option, with a request, with the service's
      // header, or alters the token to name someone else.
      let option: unknown;
      try {
        createClient({ baseUrl: api, subject: 'bob' } as never);
      } catch (error) {
        option = (error as { code: string }).code;
      }
      const bare = await createClient({ baseUrl: api }).decide({ slots, subject: { id: 'alice' } });
      // (cross-origin, the service's header is not one the server's CORS answer allows)
      const viaHeader = await fetch(`${api}/v1/decide`, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json', 'tactful-subject': 'alice' },
        body: JSON.stringify({ slots }),
      })
        .then(async (r) => (await r.json()).slots[0]?.content)
        .catch(() => 'blocked by the browser');
      const parts = token.split('.');
      parts[2] = btoa('bob').replace(/=+$/, '');
      const altered = await createClient({ baseUrl: api, subjectToken: parts.join('.') }).decide({
        slots,
        subject: { id: 'bob' },
      });
      const exported = await client.exportData().catch((e: { code: string }) => e.code);
      return {
        hers: { content: hers.slots[0]?.content, degraded: hers.degraded ?? null },
        option,
        bare: { content: bare.slots[0]?.content, code: bare.degraded?.code },
        viaHeader,
        altered: {
          content: altered.slots[0]?.content,
          code: altered.degraded?.code,
          status: altered.degraded?.status,
        },
        exported: typeof exported === 'string' ? exported : exported.subject.id,
        token,
      };
    }, listening.url);
    expect(result.hers).toEqual({ content: SEEDS, degraded: null });
    expect(result.option).toBe('INVALID_OPTIONS');
    expect(result.bare).toEqual({ content: { title: 'Welcome' }, code: 'SUBJECT_TOKEN_MISSING' });
    expect(result.viaHeader).toBe('blocked by the browser');
    expect(result.altered).toEqual({
      content: { title: 'Welcome' },
      code: 'SUBJECT_TOKEN_INVALID',
      status: 401,
    });
    // The token is for decisions: the client's other calls are this browser's own, never hers.
    expect(result.exported).not.toBe('alice');

    // The token copied into another browser (its own cookies): refused, defaults.
    const elsewhere = await browser.newContext();
    const thief = await elsewhere.newPage();
    await thief.goto(pageUrl);
    const stolen = await thief.evaluate(
      async ({ api, token }) => {
        const { createClient } = (window as unknown as { tactfulClient: typeof import('../src/index.js') })
          .tactfulClient;
        const d = await createClient({ baseUrl: api, subjectToken: token }).decide({
          slots: [{ id: 'home.hero', default: { title: 'Welcome' } }],
        });
        return { content: d.slots[0]?.content, code: d.degraded?.code };
      },
      { api: listening.url, token: result.token },
    );
    expect(stolen).toEqual({ content: { title: 'Welcome' }, code: 'SUBJECT_TOKEN_WRONG_BROWSER' });
    await elsewhere.close();
    await context.close();
  });
});
