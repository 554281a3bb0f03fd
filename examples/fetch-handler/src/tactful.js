// One Tactful server for the whole process, made on first use (a route module may be loaded
// several times by a framework's bundler; the server must not be).
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@tactful/config';
import { createServer } from '@tactful/server';

const KEY = Symbol.for('tactful.example.server');

/** The process's Tactful server. */
export function tactfulServer() {
  globalThis[KEY] ??= (async () => {
    const file =
      process.env.TACTFUL_CONFIG ?? fileURLToPath(new URL('../tactful.config.json', import.meta.url));
    const { config, baseDir } = await loadConfig(file);
    return createServer(config, { baseDir, log: false });
  })();
  return globalThis[KEY];
}

/**
 * Route handlers for a catch-all route at `basePath` (`app/api/tactful/[...path]/route.js` in
 * Next.js → `/api/tactful`): each takes the framework's `Request`, takes the base path off its
 * URL, and returns the Hono app's `Response` unchanged (status, cookies, headers).
 */
export function routeHandlers(basePath) {
  const handle = async (request) => {
    const server = await tactfulServer();
    const url = new URL(request.url);
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) {
      return new Response('Not Found', { status: 404 });
    }
    url.pathname = url.pathname.slice(basePath.length) || '/';
    return server.app.fetch(new Request(url, request));
  };
  return { GET: handle, POST: handle, PATCH: handle, DELETE: handle, OPTIONS: handle, HEAD: handle };
}
