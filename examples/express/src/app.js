// The Tactful decision server mounted in an Express app at /tactful, beside the app's own routes.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { loadConfig } from '@tactful/config';
import { createPageCache } from '@tactful/react/server';
import { COOKIES, createServer } from '@tactful/server';
import express from 'express';
import { SLOTS, renderHome } from './page.js';
import { cookieOf, tactfulFor } from './tactful-api.js';

export const MOUNT = '/tactful';

/** Where the page loads `@tactful/client` from: the installed package's ESM build, served as it is. */
export const CLIENT_ASSETS = '/assets/tactful-client';

/**
 * Makes the Express app.
 *
 * @param {{ config?: string, secret?: string }} [options]
 */
export async function createApp(options = {}) {
  const file = options.config ?? fileURLToPath(new URL('../tactful.config.json', import.meta.url));
  const { config, baseDir } = await loadConfig(file);
  const tactful = await createServer(config, {
    baseDir,
    log: false,
    ...(options.secret ? { secret: options.secret } : {}),
  });
  const pages = createPageCache({ ttlMs: 30_000 });

  const app = express();
  // 1. Tactful first. Its routes read and cap the raw body themselves, so no body parser may run
  //    before them; Express strips the mount path, so the Hono app sees /v1/... as it expects.
  const listener = getRequestListener(tactful.app.fetch);
  app.use(MOUNT, (req, res) => {
    listener(req, res);
  });

  // The browser's copy of @tactful/client: the package's own files, not a copy checked in.
  const clientDist = dirname(createRequire(import.meta.url).resolve('@tactful/client'));
  app.use(CLIENT_ASSETS, express.static(clientDist, { maxAge: '1h', index: false }));

  // 2. The application's own routes, with their own body parser.
  app.use(express.json());
  app.post('/api/newsletter', (req, res) => {
    res.json({ subscribed: typeof req.body?.email === 'string' });
  });

  // 3. The home page, rendered on the server and cached by consent state and person.
  app.get('/', async (req, res, next) => {
    try {
      const api = tactfulFor(tactful.app, req);
      const page = await pages.render({
        page: '/',
        identity: cookieOf(req, COOKIES.id) ?? null,
        decider: api.decider,
        consent: () => api.consent(),
        slots: SLOTS,
        render: (initial, consent) => renderHome(initial, consent, {}),
      });
      res
        .set(page.headers)
        .set('x-page-cache', page.hit ? 'hit' : 'miss')
        .type('html')
        .send(page.html);
    } catch (error) {
      next(error);
    }
  });

  return {
    app,
    tactful,
    /** Forgets a person's cached pages (after they erase their data, say). */
    pages,
    close: () => tactful.close(),
  };
}
