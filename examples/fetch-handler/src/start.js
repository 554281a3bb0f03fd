// Serves the route module as a fetch-handler framework would: requests under /api/tactful go to
// the exported handler of their method. Run it with `pnpm start`, or drop the route folder into a
// Next.js app.
import { createAdaptorServer } from '@hono/node-server';
import { DELETE, GET, HEAD, OPTIONS, PATCH, POST } from './app/api/tactful/[...path]/route.js';

const METHODS = { GET, POST, PATCH, DELETE, OPTIONS, HEAD };

/** The framework's router, reduced to what the example needs. */
export function fetchHandler(request) {
  const { pathname } = new URL(request.url);
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
  console.log(`${url}/api/tactful/healthz`);
}
