// The fetch-handler example: the route module's handlers called with Requests, as a framework
// calls them, and the example started on 127.0.0.1 with an ephemeral port and decided over HTTP.
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as route from '../src/app/api/tactful/[...path]/route.js';
import { start } from '../src/start.js';
import { tactfulServer } from '../src/tactful.js';

process.env.TACTFUL_SECRET = 'fetch-handler-example-secret-0123456789';
let server: Server;
let base: string;
beforeAll(async () => {
  ({ server, url: base } = (await start(0)) as { server: Server; url: string });
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await (await tactfulServer()).close();
});

const HERO = { slots: [{ id: 'home.hero', default: { title: 'Welcome to the shop' } }] };
const titleOf = async (response: Response) =>
  ((await response.json()) as { slots: Array<{ content: { title: string } }> }).slots[0]?.content.title;

describe('example: Tactful as route handlers', () => {
  it('answers the route handlers directly, as a framework calls them: the base path off, cookies and headers kept', async () => {
    const origin = 'http://shop.localhost';
    const health = await route.GET(new Request(`${origin}/api/tactful/healthz`));
    expect(health.status).toBe(200);
    const granted = await route.POST(
      new Request(`${origin}/api/tactful/v1/consent`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ grant: ['personalization.profile', 'personalization.contextual'] }),
      }),
    );
    expect(granted.status).toBe(200);
    const cookie = granted.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    expect(cookie).toMatch(/^tactful_id=/);
    const declared = await route.PATCH(
      new Request(`${origin}/api/tactful/v1/me/preferences`, {
        method: 'PATCH',
        headers: { origin, cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ interests: ['garden'] }),
      }),
    );
    expect(declared.status).toBe(200);
    const decide = () =>
      route.POST(
        new Request(`${origin}/api/tactful/v1/decide`, {
          method: 'POST',
          headers: { origin, cookie, 'content-type': 'application/json' },
          body: JSON.stringify(HERO),
        }),
      );
    expect(await titleOf(await decide())).toBe('New seeds for your garden');
    const withdrawn = await route.DELETE(
      new Request(`${origin}/api/tactful/v1/consent`, { method: 'DELETE', headers: { origin, cookie } }),
    );
    expect(withdrawn.status).toBe(200);
    expect(await titleOf(await decide())).toBe('Welcome to the shop');
    // Outside the base path: not Tactful's.
    expect((await route.GET(new Request(`${origin}/api/other`))).status).toBe(404);
  });

  it('starts on 127.0.0.1 with an ephemeral port and decides over HTTP', async () => {
    const response = await fetch(`${base}/api/tactful/v1/decide`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json' },
      body: JSON.stringify(HERO),
    });
    expect(response.status).toBe(200);
    expect(await titleOf(response)).toBe('Welcome to the shop');
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    const invalid = await fetch(`${base}/api/tactful/v1/decide`, {
      method: 'POST',
      headers: { origin: base, 'content-type': 'application/json' },
      body: '{"slots":',
    });
    expect(invalid.status).toBe(400);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });
});
