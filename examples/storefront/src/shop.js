// The demo shop: a Hono app that serves server-rendered pages and, under /v1, the Tactful decision
// API they are built on (`@tactful/server`, made from `tactful.config.json`).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createTactful, loadConfig } from '@tactful/config';
import { parseCatalog } from '@tactful/dynamic-content';
import { createServer } from '@tactful/server';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { apiClient } from './api.js';
import { localPath } from './html.js';
import { pickLanguage, texts } from './i18n.js';
import { DECLARABLE_TOPICS, privacyPage } from './pages/privacy-page.js';
import { cartPage, categoryPage, homePage, messagePage, productPage } from './pages/shop-pages.js';
import { CATEGORIES, CATEGORY_ORDER, productById } from './products.js';
import { simulatedRequest, simulation, startSimulatedWeather } from './simulate.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

/** The shop's own cookies: all strictly necessary or set on an explicit request, none identifies anyone. */
export const SHOP_COOKIES = Object.freeze({
  /** The language the person chose with the switch (only set when they use it). */
  lang: 'shop_lang',
  /** The cart's product ids (the cart itself, no identifier). */
  cart: 'shop_cart',
  /** DEMO ONLY: the active simulation preset. */
  simulate: 'demo_simulate',
});

const HOME_SLOTS = ['home.hero', 'home.banner', 'home.rail', 'home.continue'];
const MAX_CART = 20;

function readCart(c) {
  const value = getCookie(c, SHOP_COOKIES.cart) ?? '';
  return value
    .split('.')
    .filter((id) => productById(id) !== undefined)
    .slice(0, MAX_CART);
}

function writeCart(c, items) {
  if (items.length === 0) deleteCookie(c, SHOP_COOKIES.cart, { path: '/' });
  else setCookie(c, SHOP_COOKIES.cart, items.join('.'), { path: '/', httpOnly: true, sameSite: 'Lax' });
}

/** A state-changing request from another site is refused before anything changes. */
function sameOrigin(c) {
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    try {
      return new URL(origin).host === new URL(c.req.url).host;
    } catch {
      return false;
    }
  }
  const site = c.req.header('sec-fetch-site');
  return site === undefined || site === 'same-origin';
}

/**
 * Makes the shop from a configuration file: the simulated weather service (demo), the running
 * Tactful (SQLite in the configured data folder, or `dataDir`), the decision server, and the pages.
 *
 * @param {{ configFile?: string, dataDir?: string, log?: false | ((entry: object) => void) }} [options]
 */
export async function createShop(options = {}) {
  const weather = await startSimulatedWeather();
  try {
    const { config, baseDir } = await loadConfig(options.configFile ?? here('../tactful.config.json'));
    // The shop acts as the trusted edge proxy of its decision API: a per-process secret proves it.
    const edge = {
      headers: { country: 'x-shop-edge-country', city: 'x-shop-edge-city' },
      secret: { header: 'x-shop-edge-secret', value: randomBytes(24).toString('base64url') },
    };
    const assembled = {
      ...config,
      storage: options.dataDir ? { driver: 'sqlite', directory: options.dataDir } : config.storage,
      sources: {
        ...config.sources,
        ...(config.sources.weather ? { weather: { ...config.sources.weather, baseUrl: weather.url } } : {}),
      },
      server: { ...config.server, trustedProxy: { headers: edge.headers, secret: edge.secret } },
    };
    const tactful = await createTactful(assembled, { baseDir });
    const api = await createServer(tactful, { log: options.log ?? false });
    const catalogs = config.strategies.dynamicContent.map((entry) =>
      parseCatalog(
        typeof entry.catalog === 'string'
          ? JSON.parse(
              readFileSync(
                isAbsolute(entry.catalog) ? entry.catalog : resolve(baseDir, entry.catalog),
                'utf8',
              ),
            )
          : entry.catalog,
      ),
    );
    const app = shopApp({ api, tactful, catalogs, edge });
    const listeners = [];
    return {
      app,
      tactful,
      api,
      /** Starts listening (port 0 picks a free one); resolves with the address. */
      listen({ port = config.server.port, host = config.server.host } = {}) {
        return new Promise((resolveListen) => {
          const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
            resolveListen({
              port: info.port,
              host,
              url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${info.port}`,
            });
          });
          listeners.push(server);
        });
      },
      async close() {
        await Promise.all(
          listeners.map(
            (s) =>
              new Promise((done) => {
                s.close(() => done(undefined));
                s.closeAllConnections?.();
              }),
          ),
        );
        await api.close();
        await tactful.close();
        await weather.close();
      },
    };
  } catch (error) {
    await weather.close();
    throw error;
  }
}

function slotDefaults(catalogs, ids, lang) {
  return ids.map((id) => {
    if (id === 'home.rail') return { id, default: { kind: 'categories', order: CATEGORY_ORDER, top: [] } };
    if (id === 'home.continue') return { id, default: { kind: 'continue', items: [] } };
    const catalog = catalogs.find((c) => c.slots.has(id));
    const content = catalog?.defaultContent(id, lang);
    return content === undefined ? { id } : { id, default: content };
  });
}

function shopApp({ api, tactful, catalogs, edge }) {
  const app = new Hono();
  const css = readFileSync(here('./static/shop.css'), 'utf8');
  const notices = new Map();

  app.use('*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'same-origin');
    if ((c.res.headers.get('content-type') ?? '').startsWith('text/html')) {
      c.header(
        'Content-Security-Policy',
        "default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
      );
      c.header('Cache-Control', 'no-store');
    }
  });

  // The decision API itself, for browsers and services: /v1/*, GPC, health, OpenAPI.
  const toApi = (c) => api.app.fetch(c.req.raw, c.env);
  app.all('/v1/*', toApi);
  app.get('/.well-known/gpc.json', toApi);
  app.get('/healthz', toApi);
  app.get('/readyz', toApi);
  app.get('/openapi.json', toApi);

  app.get('/static/shop.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(css);
  });

  // The shop's own forms: same-origin only.
  app.use('*', async (c, next) => {
    if (c.req.method === 'POST' && !sameOrigin(c)) {
      return c.text('cross-site request refused: nothing was changed', 403);
    }
    return next();
  });

  /** DEMO ONLY: `?simulate=<preset>` switches the simulation on, `?simulate=off` off. */
  function activeSimulation(c) {
    const asked = c.req.method === 'GET' ? c.req.query('simulate') : undefined;
    if (asked === 'off') {
      deleteCookie(c, SHOP_COOKIES.simulate, { path: '/' });
      return undefined;
    }
    if (simulation(asked)) {
      setCookie(c, SHOP_COOKIES.simulate, asked, { path: '/', httpOnly: true, sameSite: 'Lax' });
      return asked;
    }
    const kept = getCookie(c, SHOP_COOKIES.simulate);
    return simulation(kept) ? kept : undefined;
  }

  /** What every page needs: language, cart, simulation, the API client and the consent state. */
  async function pageState(c) {
    const lang = pickLanguage(getCookie(c, SHOP_COOKIES.lang), c.req.header('accept-language'));
    const simulate = activeSimulation(c);
    const preset = simulation(simulate);
    const sim = preset ? simulatedRequest(preset) : undefined;
    const client = apiClient(api.app, c, sim ? { edge, simulation: sim } : {});
    const consent = await client.call('GET', '/v1/consent');
    const url = new URL(c.req.url);
    url.searchParams.delete('simulate');
    return {
      lang,
      path: `${url.pathname}${url.search}`,
      cartCount: readCart(c).length,
      simulate,
      sim,
      client,
      consent: consent.data,
      purposes: tactful.notice.purposes,
    };
  }

  async function decide(state, ids) {
    const context = { locale: state.lang, url: state.path, ...(state.sim ? state.sim.context : {}) };
    const answer = await state.client.call('POST', '/v1/decide', {
      slots: slotDefaults(catalogs, ids, state.lang),
      context,
    });
    if (!answer.ok) throw new Error(`decide failed: ${answer.status} ${JSON.stringify(answer.data)}`);
    return Object.fromEntries(answer.data.slots.map((slot) => [slot.slot, slot]));
  }

  async function record(state, event) {
    // The API keeps nothing without consent (or with GPC); don't even ask it then.
    const session = state.consent.purposes['personalization.session'];
    if (session?.status !== 'granted' || state.consent.signals.gpc || state.consent.signals.dnt) return;
    // Under a simulated moment, events happen at that moment too (else they'd be in its future).
    const at = state.sim ? { at: state.sim.context.now } : {};
    await state.client.call('POST', '/v1/session/events', { events: [{ ...event, ...at }] });
  }

  app.get('/', async (c) => {
    const state = await pageState(c);
    return c.html(homePage(state, await decide(state, HOME_SLOTS)).toString());
  });

  app.get('/c/:category', async (c) => {
    const state = await pageState(c);
    const category = c.req.param('category');
    if (!Object.hasOwn(CATEGORIES, category)) {
      return c.html(messagePage(state, '404', texts(state.lang).notFound).toString(), 404);
    }
    await record(state, { type: 'category_view', target: category, topics: [category] });
    return c.html(categoryPage(state, category, await decide(state, ['page.notice'])).toString());
  });

  app.get('/p/:id', async (c) => {
    const state = await pageState(c);
    const product = productById(c.req.param('id'));
    if (!product) return c.html(messagePage(state, '404', texts(state.lang).notFound).toString(), 404);
    await record(state, { type: 'product_view', target: product.id, topics: product.topics });
    return c.html(productPage(state, product, await decide(state, ['page.notice'])).toString());
  });

  app.get('/cart', async (c) => {
    const state = await pageState(c);
    return c.html(cartPage(state, readCart(c)).toString());
  });

  app.post('/cart/add', async (c) => {
    const form = await c.req.parseBody();
    const product = productById(String(form.product ?? ''));
    if (product) {
      const state = await pageState(c);
      const items = [...readCart(c), product.id].slice(-MAX_CART);
      writeCart(c, items);
      await record(state, { type: 'add_to_cart', target: product.id, topics: product.topics });
    }
    return c.redirect('/cart', 303);
  });

  app.post('/cart/remove', async (c) => {
    const form = await c.req.parseBody();
    const index = Number(form.index);
    const items = readCart(c);
    if (Number.isInteger(index) && index >= 0 && index < items.length) items.splice(index, 1);
    writeCart(c, items);
    return c.redirect('/cart', 303);
  });

  app.post('/lang', async (c) => {
    const form = await c.req.parseBody();
    const lang = pickLanguage(String(form.lang ?? ''), '');
    setCookie(c, SHOP_COOKIES.lang, lang, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      maxAge: 365 * 86_400,
    });
    return c.redirect(localPath(form.return), 303);
  });

  // The banner: accept all, reject all, or per purpose. Recorded by the API against the notice shown.
  app.post('/consent', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const state = await pageState(c);
    const asked = Object.keys(state.consent.purposes);
    const chosen = new Set([form.purpose ?? []].flat().map(String));
    const action = String(form.action ?? 'choose');
    const grant = action === 'accept' ? asked : action === 'reject' ? [] : asked.filter((p) => chosen.has(p));
    const deny = asked.filter((p) => !grant.includes(p));
    const answer = await state.client.call(
      'POST',
      '/v1/consent',
      {
        grant,
        deny,
        method: 'banner',
        locale: state.lang,
        ...(typeof form.noticeVersion === 'string' ? { noticeVersion: form.noticeVersion } : {}),
      },
      { asBrowser: true },
    );
    if (!answer.ok) return apiError(c, state, answer);
    return c.redirect(localPath(form.return), 303);
  });

  async function renderPrivacy(c, state, extra = {}) {
    const exported = await state.client.call('GET', '/v1/me/export');
    const hasSubject = exported.status !== 401;
    const preferences = exported.ok ? findPreferences(exported.data) : undefined;
    const [en, vi] = await Promise.all(
      ['en', 'vi'].map(async (lang) => {
        if (!notices.has(lang)) {
          const answer = await state.client.call('GET', `/v1/notice?format=html&lang=${lang}`);
          notices.set(lang, String(answer.data));
        }
        return notices.get(lang);
      }),
    );
    return c.html(
      privacyPage(state, { exported, preferences, hasSubject, notices: { en, vi }, ...extra }).toString(),
    );
  }

  app.get('/privacy', async (c) => {
    const state = await pageState(c);
    return renderPrivacy(c, state, { saved: c.req.query('saved') === '1' });
  });

  // Consent toggles: ticked purposes are granted; a granted purpose unticked is withdrawn.
  app.post('/privacy/consent', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const state = await pageState(c);
    const ticked = new Set([form.purpose ?? []].flat().map(String));
    const purposes = state.consent.purposes;
    const grant = Object.keys(purposes).filter((p) => ticked.has(p));
    const withdraw = Object.keys(purposes).filter((p) => !ticked.has(p) && purposes[p].status === 'granted');
    const deny = Object.keys(purposes).filter((p) => !ticked.has(p) && purposes[p].status !== 'granted');
    if (grant.length + deny.length > 0) {
      const answer = await state.client.call(
        'POST',
        '/v1/consent',
        {
          grant,
          deny,
          method: 'preference-center',
          locale: state.lang,
          ...(typeof form.noticeVersion === 'string' ? { noticeVersion: form.noticeVersion } : {}),
        },
        { asBrowser: true },
      );
      if (!answer.ok) return apiError(c, state, answer);
    }
    for (const purpose of withdraw) {
      const gone = await state.client.call(
        'DELETE',
        `/v1/consent/${encodeURIComponent(purpose)}`,
        undefined,
        {
          asBrowser: true,
        },
      );
      if (!gone.ok) return apiError(c, state, gone);
    }
    return c.redirect('/privacy?saved=1#consent', 303);
  });

  // Declared interests and "not interested" (zero-party data).
  app.post('/privacy/preferences', async (c) => {
    const form = await c.req.parseBody();
    const state = await pageState(c);
    const interests = DECLARABLE_TOPICS.filter((t) => form[`topic.${t}`] === 'interested');
    const notInterested = DECLARABLE_TOPICS.filter((t) => form[`topic.${t}`] === 'not');
    const answer = await state.client.call(
      'PATCH',
      '/v1/me/preferences',
      { interests, notInterested },
      { asBrowser: true },
    );
    if (!answer.ok) return apiError(c, state, answer);
    return c.redirect('/privacy?saved=1#interests', 303);
  });

  // Erasure: every store and source, with a receipt shown on the page.
  app.post('/privacy/delete', async (c) => {
    const state = await pageState(c);
    const answer = await state.client.call('DELETE', '/v1/me', undefined, { asBrowser: true });
    if (answer.status === 401) return c.redirect('/privacy#know', 303);
    if (!answer.ok) return apiError(c, state, answer);
    return renderPrivacy(c, state, { receipt: answer.data });
  });

  app.notFound(async (c) => {
    const state = await pageState(c);
    return c.html(messagePage(state, '404', texts(state.lang).notFound).toString(), 404);
  });

  return app;
}

/** The person's declared preferences in an export document (the subject store's section). */
function findPreferences(document) {
  const sections = Array.isArray(document?.sections) ? document.sections : [];
  const subject = sections.find((s) => s?.kind === 'subject');
  const preferences = subject?.data?.preferences;
  return preferences && typeof preferences === 'object' ? preferences : undefined;
}

function apiError(c, state, answer) {
  const t = texts(state.lang);
  const message = answer.data?.message ?? answer.data?.error?.message ?? String(answer.status);
  if (answer.headers.get('retry-after')) c.header('Retry-After', answer.headers.get('retry-after'));
  return c.html(
    messagePage(state, t.errorTitle, message).toString(),
    answer.status >= 400 ? answer.status : 500,
  );
}
