import { renderNotice } from '@tactful/notice';
import type { Hono } from 'hono';
import { readQuery } from '../body.js';
import { errorResponse } from '../errors.js';
import type { Runtime, ServerEnv } from '../runtime.js';
import { NoticeQuerySchema } from '../schemas.js';

const FORMATS = { md: 'markdown', html: 'html', json: 'json' } as const;
const TYPES = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const;

/** The notice, `/.well-known/gpc.json`, `/healthz`, `/readyz`. */
export function publicRoutes(app: Hono<ServerEnv>, rt: Runtime, startedOn: string): void {
  const rendered = new Map<string, string>();

  app.get('/v1/notice', (c) => {
    const q = readQuery(c, NoticeQuerySchema);
    const key = `${q.format}:${q.lang}`;
    let text = rendered.get(key);
    if (text === undefined) {
      text = renderNotice(rt.tactful.notice, { format: FORMATS[q.format], lang: q.lang });
      rendered.set(key, text);
    }
    c.header('Content-Type', TYPES[q.format]);
    c.header('Content-Language', q.lang);
    c.header('Cache-Control', 'public, max-age=300');
    c.header('ETag', `"${rt.tactful.notice.version}-${key}"`);
    return c.body(text);
  });

  app.get('/.well-known/gpc.json', (c) => {
    c.header('Cache-Control', 'public, max-age=86400');
    return c.json({ gpc: true as const, lastUpdate: startedOn });
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' as const }));

  app.get('/readyz', async (c) => {
    if (rt.state.draining) return c.json({ status: 'draining' as const }, 503);
    try {
      await rt.tactful.consentStore.latest('tactful-readiness-probe');
      return c.json({ status: 'ready' as const });
    } catch {
      c.header('Retry-After', '5');
      return errorResponse(c, 503, 'STORE_FAILED', 'the consent store cannot be read');
    }
  });
}
