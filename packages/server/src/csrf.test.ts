import fc from 'fast-check';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { csrfGuard } from './csrf.js';
import type { ServerEnv } from './runtime.js';

function app(origins?: string[]) {
  const a = new Hono<ServerEnv>();
  a.use('*', async (c, next) => {
    c.set('caller', { kind: 'browser', subject: undefined, sessionId: undefined });
    await next();
  });
  a.use('*', csrfGuard(origins));
  a.all('*', (c) => c.text('changed'));
  return a;
}

const host = fc.domain();
const method = fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE');

describe('CSRF guard', () => {
  it('refuses every state change whose Origin is another host', async () => {
    const a = app();
    await fc.assert(
      fc.asyncProperty(
        host,
        host,
        method,
        fc.constantFrom('http', 'https'),
        async (own, other, m, scheme) => {
          fc.pre(own !== other);
          const r = await a.request(`https://${own}/v1/x`, {
            method: m,
            headers: { host: own, origin: `${scheme}://${other}` },
          });
          return r.status === 403;
        },
      ),
    );
  });

  it('lets through state changes from the own host, and every safe method from anywhere', async () => {
    const a = app();
    await fc.assert(
      fc.asyncProperty(host, host, method, async (own, other, m) => {
        const same = await a.request(`https://${own}/v1/x`, {
          method: m,
          headers: { host: own, origin: `https://${own}` },
        });
        const read = await a.request(`https://${own}/v1/x`, {
          headers: { host: own, origin: `https://${other}` },
        });
        return same.status === 200 && read.status === 200;
      }),
    );
  });

  it('with configured origins, accepts exactly those', async () => {
    const a = app(['https://shop.example', 'https://www.shop.example/']);
    const post = (origin: string) =>
      a.request('http://10.0.0.5:3000/v1/x', { method: 'POST', headers: { host: '10.0.0.5:3000', origin } });
    expect((await post('https://shop.example')).status).toBe(200);
    expect((await post('https://www.shop.example')).status).toBe(200);
    expect((await post('http://shop.example')).status).toBe(403);
    expect((await post('http://10.0.0.5:3000')).status).toBe(403);
    expect((await post('null')).status).toBe(403);
  });

  it('without Origin, trusts only Sec-Fetch-Site: same-origin, and refuses cookie-bearing requests with neither', async () => {
    const a = app();
    const post = (headers: Record<string, string>) =>
      a.request('http://shop.example/v1/x', {
        method: 'DELETE',
        headers: { host: 'shop.example', ...headers },
      });
    expect((await post({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await post({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ cookie: 'tactful_id=v-1.sig' })).status).toBe(403);
    expect((await post({})).status).toBe(200);
  });
});
