// The Tactful decision server mounted in a Fastify app under /tactful, beside the app's own routes.
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { loadConfig } from '@tactful/config';
import { createServer } from '@tactful/server';
import Fastify from 'fastify';

export const MOUNT = '/tactful';

/**
 * The Tactful routes as an encapsulated Fastify plugin; register it with a `prefix`. Its
 * content-type parsers leave the body unread (the Tactful routes read and cap it themselves), and
 * each request is handed, raw, to the Hono app with the prefix taken off its URL.
 *
 * @param {import('fastify').FastifyInstance} fastify
 * @param {{ tactful: import('@tactful/server').TactfulServer }} options
 */
export async function tactfulRoutes(fastify, { tactful }) {
  const listener = getRequestListener(tactful.app.fetch);
  const prefix = fastify.prefix;
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const handle = (request, reply) => {
    reply.hijack();
    request.raw.url = request.raw.url.slice(prefix.length) || '/';
    return listener(request.raw, reply.raw);
  };
  fastify.all('/', handle);
  fastify.all('/*', handle);
}

/**
 * Makes the Fastify app.
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
  const app = Fastify();
  await app.register(tactfulRoutes, { tactful, prefix: MOUNT });
  // The application's own routes keep Fastify's JSON parsing.
  app.post('/api/newsletter', async (request) => ({ subscribed: typeof request.body?.email === 'string' }));
  app.addHook('onClose', () => tactful.close());
  return { app, tactful };
}
