// Serves the route module as a fetch-handler framework would: requests under /api/tactful go to
// the exported handler of their method. `/` is a page that evaluates a flag with the OpenFeature
// web SDK against those routes. Run it with `pnpm start`, or drop the route folder into a Next.js app.
import { createAdaptorServer } from '@hono/node-server';
import { DELETE, GET, HEAD, OPTIONS, PATCH, POST } from './app/api/tactful/[...path]/route.js';
import { PAGE, flagsScript } from './page/bundle.js';

const METHODS = { GET, POST, PATCH, DELETE, OPTIONS, HEAD };

/** The framework's router, reduced to what the example needs. */
export async function fetchHandler(request) {
  const { pathname } = new URL(request.url);
  if (request.method === 'GET' && pathname === '/') {
    return new Response(PAGE, { headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
  if (request.method === 'GET' && pathname === '/assets/flags.js') {
    try {
      return new Response(await flagsScript(), {
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' },
      });
    } catch (error) {
      console.error(error.message);
      return new Response(`// ${error.message.replace(/\s+/g, ' ')}\n`, {
        status: 503,
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' },
      });
    }
  }
  const handler = Object.hasOwn(METHODS, request.method) ? METHODS[request.method] : undefined;
  if (!pathname.startsWith('/api/tactful') || typeof handler !== 'function') {
    return new Response('Not Found', { status: 404 });
  }
  return handler(request);
}

/** Starts the example on `port` (0: any free port); resolves with the server and its URL. */
export function start(port = Number(process.env.PORT ?? 3000), host = '127.0.0.1') {
  const server = createAdaptorServer({ fetch: fetchHandler });
  return new Promise((resolve) => {
    server.listen(port, host, () => resolve({ server, url: `http://${host}:${server.address().port}` }));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await start();
  console.log(`${url}/ (the OpenFeature page), ${url}/api/tactful/healthz`);
}
