// The shop over HTTP without a browser: escaping, forms refused from other sites, the edge headers
// only the shop can vouch for, cookie attributes, the API under /v1, and the bilingual catalog.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateConfig } from '@tactful/config';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { html, localPath, raw } from '../src/html.js';
import { railProducts } from '../src/pages/shop-pages.js';
import { DRAWN } from '../src/illustrations.js';
import { CATEGORY_ORDER, PRODUCTS } from '../src/products.js';
import { createShop } from '../src/shop.js';

const ORIGIN = 'http://127.0.0.1:3000';
let shop: Awaited<ReturnType<typeof createShop>>;
let dataDir: string;

/** A browser stand-in: keeps cookies between requests to the shop's app. */
function visitor(headers: Record<string, string> = {}) {
  const jar = new Map<string, string>();
  return {
    jar,
    async go(path: string, init: RequestInit = {}) {
      const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      const response = await shop.app.request(`${ORIGIN}${path}`, {
        ...init,
        headers: {
          ...headers,
          ...(cookie ? { cookie } : {}),
          ...((init.headers as Record<string, string>) ?? {}),
        },
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq);
        if (/max-age=0/i.test(line) || pair.slice(eq + 1) === '') jar.delete(name);
        else jar.set(name, pair.slice(eq + 1));
      }
      return response;
    },
    post(path: string, form: Record<string, string>, origin = ORIGIN) {
      return this.go(path, { method: 'POST', body: new URLSearchParams(form), headers: { origin } });
    },
  };
}

const heroOf = (page: string) => /id="hero" data-variant="([^"]*)"/.exec(page)?.[1];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'tactful-storefront-http-'));
  shop = await createShop({ dataDir });
});
afterAll(async () => {
  await shop?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('html', () => {
  it('escapes every interpolated value and passes nested html through', () => {
    const evil = '<script>alert("x")</script>&\'`';
    const out = html`<p title="${evil}">${evil}${html`<b>${evil}</b>`}${raw('<i>ok</i>')}</p>`.toString();
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;');
    expect(out).toContain('<b>&lt;script&gt;');
    expect(out).toContain('<i>ok</i>');
  });

  it('returns only local paths after a form post, whatever it is given', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.constant('//evil.example/x')), (value) => {
        const path = localPath(value);
        expect(path.startsWith('/')).toBe(true);
        expect(path.startsWith('//')).toBe(false);
        expect(path.includes('\\')).toBe(false);
      }),
    );
    expect(localPath('/c/kids?x=1')).toBe('/c/kids?x=1');
  });
});

describe('rail', () => {
  it('shows the categories in the decided order and never loses or repeats a product', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...CATEGORY_ORDER, 'unknown']), (order) => {
        const products = railProducts(order);
        expect(new Set(products.map((p) => p.id)).size).toBe(products.length);
        const first = order.find((c) => CATEGORY_ORDER.includes(c));
        if (first) expect(products[0]?.category).toBe(first);
      }),
    );
  });
});

describe('shop over HTTP', () => {
  it('refuses a consent form posted from another site: 403, no cookie, nothing recorded', async () => {
    const v = visitor();
    const refused = await v.post('/consent', { action: 'accept', return: '/' }, 'https://evil.example');
    expect(refused.status).toBe(403);
    expect(refused.headers.getSetCookie()).toEqual([]);
    const page = await (await v.go('/')).text();
    expect(page).toContain('id="consent-banner"');
  });

  it('ignores location headers a visitor sends: only the shop, with its secret, vouches for a place', async () => {
    const v = visitor();
    expect((await v.post('/consent', { action: 'accept', return: '/' })).status).toBe(303);
    const forged = {
      'x-shop-edge-country': 'VN',
      'x-shop-edge-city': 'Hanoi',
      'x-shop-edge-secret': 'a-guess-at-the-secret-value',
    };
    const page = await (await v.go('/?simulate=off', { headers: forged })).text();
    expect(heroOf(page)).not.toBe('rain');
    const simulated = await (await v.go('/?simulate=rainy-evening-hanoi')).text();
    expect(heroOf(simulated)).toBe('rain');
  });

  it('sets the anonymous session cookie only after consent, HttpOnly and SameSite=Lax', async () => {
    const v = visitor();
    const before = await v.go('/c/kids');
    expect(before.headers.getSetCookie().some((c) => c.startsWith('tactful_session='))).toBe(false);
    await v.post('/consent', { action: 'choose', purpose: 'personalization.session', return: '/' });
    const after = await v.go('/c/kids');
    const session = after.headers.getSetCookie().find((c) => c.startsWith('tactful_session='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/Max-Age|Expires/i);
  });

  it('lets a declared "not interested" beat what the session suggests (zero-party first)', async () => {
    const v = visitor();
    await v.post('/consent', { action: 'accept', return: '/' });
    await v.go('/?simulate=sunny-morning-saigon');
    for (const path of ['/c/kids', '/p/wooden-train', '/p/picture-book', '/p/kids-raincoat'])
      await v.go(path);
    expect(heroOf(await (await v.go('/')).text())).toBe('kids-session');
    const saved = await v.post('/privacy/preferences', { 'topic.kids': 'not' });
    expect(saved.status).toBe(303);
    const page = await (await v.go('/')).text();
    expect(heroOf(page)).not.toMatch(/^kids/);
  });

  it('a declared "not interested: rain gear" wins everywhere: no rain strip, the hero falls back to the declared interest, and says why', async () => {
    const v = visitor();
    await v.post('/consent', { action: 'accept', return: '/' });
    expect(heroOf(await (await v.go('/?simulate=rainy-evening-hanoi')).text())).toBe('rain');
    expect(await (await v.go('/c/kids')).text()).toContain('id="page-notice"');
    await v.post('/privacy/preferences', { 'topic.kids': 'interested', 'topic.rain': 'not' });
    for (const path of ['/c/kids', '/c/rain', '/p/wooden-train']) {
      expect(await (await v.go(path)).text(), path).not.toContain('id="page-notice"');
    }
    const home = await (await v.go('/')).text();
    expect(heroOf(home)).toBe('kids-declared');
    const hero = home.slice(home.indexOf('id="hero"'), home.indexOf('id="banner"'));
    // The topic in the words the configuration gives it, not its key.
    expect(hero).toContain('You told us you are not interested in rain gear.');
    expect(hero).not.toContain('nothing about you');
    const vi = await (await v.go('/', { headers: { 'accept-language': 'vi' } })).text();
    expect(vi.slice(vi.indexOf('id="hero"'), vi.indexOf('id="banner"'))).toContain(
      'Bạn đã cho biết bạn không quan tâm đến đồ đi mưa.',
    );
    // Without the declared interest, the next variant that applies stands in (this visit's kids
    // pages), never rain.
    await v.post('/privacy/preferences', { 'topic.rain': 'not' });
    expect(heroOf(await (await v.go('/')).text())).toBe('kids-session');
  });

  it('explains each slot with exactly the data its choice used (the phone-evening banner: time and device only)', async () => {
    const v = visitor();
    await v.post('/consent', { action: 'accept', return: '/' });
    await v.post('/privacy/preferences', { 'topic.kids': 'interested' });
    const page = await (await v.go('/?simulate=rainy-evening-hanoi')).text();
    const why = (slot: string) => {
      const tag =
        new RegExp(`<details class="why" data-slot="${slot.replace('.', '\\.')}"[^>]*>`).exec(page)?.[0] ??
        '';
      const attr = (name: string) =>
        new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1]?.split(',').filter(Boolean).sort();
      return {
        variant: attr('data-variant'),
        categories: attr('data-categories'),
        purposes: attr('data-purposes'),
      };
    };
    expect(why('home.banner')).toEqual({
      variant: ['mobile-evening'],
      categories: ['context.device', 'context.time'],
      purposes: ['personalization.contextual'],
    });
    // The rain hero used the weather (and the place it is asked for), not the profile or the visit.
    expect(why('home.hero')).toEqual({
      variant: ['rain'],
      categories: ['context.location.coarse', 'context.weather'],
      purposes: ['personalization.contextual'],
    });
  });

  it('keeps a cart in a cookie of product ids: add, list, remove; a cross-site add changes nothing', async () => {
    const v = visitor();
    expect((await v.post('/cart/add', { product: 'umbrella' })).status).toBe(303);
    expect((await v.post('/cart/add', { product: 'no-such-product' })).status).toBe(303);
    expect((await v.post('/cart/add', { product: 'poncho' }, 'https://evil.example')).status).toBe(403);
    expect(v.jar.get('shop_cart')).toBe('umbrella');
    const cart = await (await v.go('/cart')).text();
    expect(cart).toContain('data-product="umbrella"');
    expect(cart).toContain('₫190,000');
    await v.post('/cart/remove', { index: '0' });
    expect(await (await v.go('/cart')).text()).toContain('Your cart is empty.');
  });

  it('takes a cart through checkout: totals with delivery, a form, then an empty cart and nothing kept', async () => {
    const v = visitor();
    await v.post('/cart/add', { product: 'umbrella' });
    const cart = await (await v.go('/cart')).text();
    // Below the free-delivery threshold: ₫190,000 + ₫30,000 delivery.
    expect(cart).toContain('id="cart-total">₫220,000<');
    expect(cart).toContain('href="/checkout"');
    await v.post('/cart/add', { product: 'ao-dai-silk' });
    const checkout = await (await v.go('/checkout')).text();
    expect(checkout).toContain('id="place-order"');
    expect(checkout).toContain('id="cart-total">₫1,440,000<');
    const placed = await v.post('/checkout', {
      name: 'Lan',
      phone: '0900000000',
      address: '1 Phố Huế',
      payment: 'cod',
    });
    expect(await placed.text()).toContain('id="order-placed"');
    expect(v.jar.has('shop_cart')).toBe(false);
    expect((await v.post('/checkout', { name: 'x' }, 'https://evil.example')).status).toBe(403);
  });

  it('formats every price the same way per language (Intl), draws every product, and links GPC to words, not JSON', async () => {
    const v = visitor();
    const en = await (await v.go('/c/kids')).text();
    const vi = await (
      await visitor({ 'accept-language': 'vi' }).go('/?x=1', { headers: { 'accept-language': 'vi' } })
    ).text();
    const enPrices = [...en.matchAll(/[\d.,]+\s?₫|₫[\d.,]+/g)].map((m) => m[0]);
    expect(enPrices.length).toBeGreaterThan(2);
    for (const price of enPrices) expect(price).toMatch(/^₫\d{1,3}(,\d{3})*$/);
    const viPrices = [...vi.matchAll(/[\d.,]+[\s\u00a0]?₫|₫[\d.,]+/g)].map((m) => m[0]);
    expect(viPrices.length).toBeGreaterThan(2);
    for (const price of viPrices) expect(price).toMatch(/^\d{1,3}(\.\d{3})*\u00a0₫$/);
    for (const product of PRODUCTS) expect(DRAWN, product.id).toContain(product.id);
    expect(en).toMatch(/<svg viewBox="0 0 120 90" role="img" aria-label="Wooden train"/);
    expect(vi).toContain('aria-label="Áo dài lụa"');
    expect(en).not.toContain('href="/.well-known/gpc.json"');
    expect(en).toContain('href="/privacy#gpc"');
  });

  it('after "Delete my data" shows the consent as it is now, the receipt first, and a stale form saves nothing', async () => {
    const v = visitor();
    await v.post('/consent', { action: 'accept', return: '/' });
    const before = await (await v.go('/privacy')).text();
    const shown = /name="shown" value="([^"]*)"/.exec(before)?.[1] ?? '';
    const erased = await (await v.post('/privacy/delete', {})).text();
    // The page is drawn from the consent after the erasure: nothing is ticked or "allowed".
    const consentPart = erased.slice(erased.indexOf('id="consent"'));
    expect(consentPart.slice(0, consentPart.indexOf('</form>'))).not.toMatch(/checked|class="status on"/);
    // The receipt comes before everything else on the page.
    expect(erased.indexOf('id="receipt"')).toBeGreaterThan(0);
    expect(erased.indexOf('id="receipt"')).toBeLessThan(erased.indexOf('id="consent"'));
    // The form shown before the erasure, posted with every purpose ticked, grants nothing.
    const purposes = [...before.matchAll(/name="purpose" value="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(purposes.length).toBeGreaterThan(2);
    const body = new URLSearchParams({ shown });
    for (const p of purposes) body.append('purpose', p);
    const stale = await v.go('/privacy/consent', { method: 'POST', body, headers: { origin: ORIGIN } });
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('id="stale"');
    const consent = await (await v.go('/v1/consent')).json();
    for (const p of purposes) expect(consent.purposes[p].status).not.toBe('granted');
  });

  it('lists the consent records it holds under "What we know about you", in sentences', async () => {
    const v = visitor();
    await v.post('/consent', { action: 'choose', purpose: 'personalization.contextual', return: '/' });
    const page = await (await v.go('/privacy')).text();
    const know = page.slice(page.indexOf('id="know"'), page.indexOf('id="interests"'));
    expect(know).not.toContain('Nothing held here');
    expect(know).toMatch(/Personalization[^<]*<\/strong>[^<]*allowed/i);
    expect(know).toContain('You told us');
  });

  it('serves every default, without a banner, while the consent store cannot be read (fail closed)', async () => {
    const v = visitor();
    await v.post('/consent', { action: 'accept', return: '/' });
    expect(heroOf(await (await v.go('/?simulate=rainy-evening-hanoi')).text())).toBe('rain');
    const store = shop.tactful.consentStore as { latest: (subject: string) => Promise<unknown> };
    const latest = store.latest;
    store.latest = async () => {
      throw new Error('the disk is gone');
    };
    try {
      const response = await v.go('/');
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(heroOf(page)).toBe('default');
      expect(page).not.toContain('id="consent-banner"');
      expect(page).toContain('data-order="women,men,home,rain,kids"');
    } finally {
      store.latest = latest;
    }
    expect(heroOf(await (await v.go('/')).text())).toBe('rain');
  });

  it('serves the decision API, GPC support and health under the same origin', async () => {
    const v = visitor();
    expect(await (await v.go('/.well-known/gpc.json')).json()).toMatchObject({ gpc: true });
    expect(await (await v.go('/healthz')).json()).toEqual({ status: 'ok' });
    const notice = await v.go('/v1/notice?format=json');
    expect(notice.status).toBe(200);
    const decided = await v.go('/v1/decide', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ slots: [{ id: 'home.hero' }] }),
    });
    expect(decided.status).toBe(200);
    expect((await decided.json()).slots[0].isDefault).toBe(true);
  });

  it('answers unknown pages with 404 and pages with a strict content security policy', async () => {
    const v = visitor({ 'accept-language': 'vi-VN,vi;q=0.9' });
    const missing = await v.go('/c/nothing-here');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Trang này không tồn tại.');
    const home = await v.go('/');
    expect(home.headers.get('content-security-policy')).toContain("script-src 'none'");
    expect(await home.text()).toContain('<html lang="vi">');
  });
});

describe('configuration', () => {
  it('validates with every load-time check (plugins, catalog, the creepy line)', async () => {
    const file = new URL('../tactful.config.json', import.meta.url);
    const result = await validateConfig(readFileSync(file, 'utf8'), {
      baseDir: fileURLToPath(new URL('..', import.meta.url)),
    });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe('catalog', () => {
  it('has every default and variant in English and Vietnamese, with a reason in both', () => {
    const catalog = JSON.parse(readFileSync(new URL('../catalog.json', import.meta.url), 'utf8'));
    for (const slot of catalog.slots) {
      expect(slot.default.locales?.vi, slot.id).toBeDefined();
      for (const variant of slot.variants ?? []) {
        expect(variant.locales?.vi, `${slot.id}/${variant.id}`).toBeDefined();
        expect(variant.reason?.vi, `${slot.id}/${variant.id}`).toBeTruthy();
        expect(Object.keys(variant.locales.vi).sort()).toEqual(Object.keys(variant.content).sort());
      }
    }
  });
});
