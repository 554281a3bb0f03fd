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

  // Readiness: the stores can be read and accept writes (a real tiny write on SQLite, the disk's
  // room), checked at most every READY_CACHE_MS and never twice at once.
  let checked: { at: number; answer: Promise<Readiness> } | undefined;
  const readiness = (): Promise<Readiness> => {
    const at = performance.now();
    if (checked === undefined || at - checked.at > READY_CACHE_MS) {
      checked = { at, answer: checkReadiness(rt) };
    }
    return checked.answer;
  };

  app.get('/readyz', async (c) => {
    if (rt.state.draining) return c.json({ status: 'draining' as const }, 503);
    const ready = await readiness();
    if (ready.ok) return c.json({ status: 'ready' as const });
    c.header('Retry-After', '5');
    return errorResponse(c, 503, 'STORE_FAILED', ready.message);
  });
}

/** How long one readiness check is reused, in milliseconds. */
const READY_CACHE_MS = 1500;

interface Readiness {
  ok: boolean;
  message: string;
}

async function checkReadiness(rt: Runtime): Promise<Readiness> {
  try {
    await rt.tactful.consentStore.latest('tactful-readiness-probe');
  } catch {
    return { ok: false, message: 'the consent store cannot be read' };
  }
  const probe = (rt.tactful as { checkWritable?: () => Promise<{ writable: boolean; reason?: string }> })
    .checkWritable;
  if (typeof probe !== 'function') return { ok: true, message: 'ready' };
  try {
    const result = await probe.call(rt.tactful);
    return result.writable
      ? { ok: true, message: 'ready' }
      : { ok: false, message: `the stores do not accept writes: ${result.reason ?? 'unknown reason'}` };
  } catch {
    return { ok: false, message: 'the stores do not accept writes' };
  }
}
