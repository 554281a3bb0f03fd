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
import { setCookie } from 'hono/cookie';
import { localPath } from './html.js';
import { pickLanguage, texts } from './i18n.js';
import { SHOP_COOKIES, SHOP_STORAGE, pageHelpers, readCart, writeCart } from './page-state.js';
import {
  cartPage,
  categoryPage,
  checkoutPage,
  homePage,
  messagePage,
  productPage,
} from './pages/shop-pages.js';
import { CATEGORIES, productById } from './products.js';
import { privacyRoutes } from './privacy-routes.js';
import { startSimulatedWeather } from './simulate.js';

export { SHOP_COOKIES };

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

const HOME_SLOTS = ['home.hero', 'home.banner', 'home.rail', 'home.continue'];

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
    // The notice lists the server's cookies and the shop's own, from the code that sets them.
    const tactful = await createTactful(assembled, { baseDir, storage: SHOP_STORAGE });
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
    // The segments' descriptions, for the sentences of the privacy center.
    const segments = Object.fromEntries(
      (config.strategies.segments?.segments ?? []).map((s) => [s.name, s.description ?? s.name]),
    );
    const app = shopApp({ api, tactful, catalogs, edge, segments });
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

function shopApp({ api, tactful, catalogs, edge, segments }) {
  const app = new Hono();
  const css = readFileSync(here('./static/shop.css'), 'utf8');

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

  const helpers = pageHelpers({ api, tactful, catalogs, edge, segments });
  const { pageState, decide, record } = helpers;

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

  app.get('/checkout', async (c) => {
    const state = await pageState(c);
    return c.html(checkoutPage(state, readCart(c)).toString());
  });

  // The demo places no order and keeps nothing typed in the form: it only empties the cart.
  app.post('/checkout', async (c) => {
    await c.req.parseBody();
    const state = await pageState(c);
    writeCart(c, []);
    return c.html(checkoutPage({ ...state, cartCount: 0 }, [], true).toString());
  });

  app.post('/cart/add', async (c) => {
    const form = await c.req.parseBody();
    const product = productById(String(form.product ?? ''));
    if (product) {
      const state = await pageState(c);
      writeCart(c, [...readCart(c), product.id]);
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
      // As long as the notice says (SHOP_STORAGE).
      maxAge: (SHOP_STORAGE.find((x) => x.name === SHOP_COOKIES.lang)?.lifetimeDays ?? 0) * 86_400,
    });
    return c.redirect(localPath(form.return), 303);
  });

  privacyRoutes(app, helpers);

  app.notFound(async (c) => {
    const state = await pageState(c);
    return c.html(messagePage(state, '404', texts(state.lang).notFound).toString(), 404);
  });

  return app;
}
