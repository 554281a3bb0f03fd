// The Fastify example as a user runs it: started on 127.0.0.1 with an ephemeral port, a person's
// consent given and withdrawn through the mounted routes, and decisions made with fetch.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';

let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  ({ app } = await createApp({ secret: 'fastify-example-secret-0123456789abcdef' }));
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => app?.close());

/** A browser: keeps the server's cookies, sends its own origin. */
function browser() {
  const jar = new Map<string, string>();
  return async (path: string, method = 'GET', body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        origin: base,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(jar.size ? { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
}

const HERO = { slots: [{ id: 'home.hero', default: { title: 'Welcome to the shop' } }] };
const heroOf = (decision: Record<string, unknown>) =>
  (decision.slots as Array<{ content: { title: string } }>)[0]?.content.title;

describe('example: Tactful mounted in Fastify', () => {
  it('grants, declares, decides personalized, withdraws, and the very next decision is not personalized', async () => {
    const visit = browser();
    expect(heroOf((await visit('/tactful/v1/decide', 'POST', HERO)).body)).toBe('Welcome to the shop');
    expect(
      (
        await visit('/tactful/v1/consent', 'POST', {
          grant: ['personalization.profile', 'personalization.contextual'],
        })
      ).status,
    ).toBe(200);
    expect((await visit('/tactful/v1/me/preferences', 'PATCH', { interests: ['garden'] })).status).toBe(200);
    const personalized = await visit('/tactful/v1/decide', 'POST', HERO);
    expect(heroOf(personalized.body)).toBe('New seeds for your garden');
    expect((await visit('/tactful/v1/consent', 'DELETE')).status).toBe(200);
    expect(heroOf((await visit('/tactful/v1/decide', 'POST', HERO)).body)).toBe('Welcome to the shop');
    // Another browser never sees the first one's personalization.
    const other = browser();
    expect(heroOf((await other('/tactful/v1/decide', 'POST', HERO)).body)).toBe('Welcome to the shop');
  });

  it("keeps the server's answers under the mount (a typed 400, the body cap, CSRF) and the app's own JSON routes", async () => {
    const visit = browser();
    const bad = await visit('/tactful/v1/decide', 'POST', { slots: [] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    const huge = await fetch(`${base}/tactful/v1/decide`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json' },
      body: JSON.stringify({ slots: [{ id: 'home.hero', default: 'x'.repeat(200_000) }] }),
    });
    expect(huge.status).toBe(413);
    const cross = await fetch(`${base}/tactful/v1/decide`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify(HERO),
    });
    expect(cross.status).toBe(403);
    expect((await fetch(`${base}/tactful/healthz`)).status).toBe(200);
    const own = await fetch(`${base}/api/newsletter`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.example' }),
    });
    expect(await own.json()).toEqual({ subscribed: true });
  });
});
