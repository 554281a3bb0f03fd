// The client's routes checked against the OpenAPI document the server generates: every method
// calls a documented path with its documented HTTP method, and every body it sends is one the
// server's own schema accepts (the schemas the document is generated from).
import { OPERATIONS, openApiDocument } from '@tactful/server';
import { describe, expect, it } from 'vitest';
import { ROUTES, createClient } from '../src/index.js';

type Sent = { method: string; path: string; query: Record<string, string>; body: unknown };

function recording() {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({
      method: String(init.method),
      path: decodeURIComponent(new URL(url).pathname),
      query: Object.fromEntries(new URL(url).searchParams),
      body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
    });
    return new Response(JSON.stringify({ traceId: 't', slots: [] }), { status: 200 });
  }) as typeof globalThis.fetch;
  return { sent, client: createClient({ baseUrl: 'http://decide.test', fetch }) };
}

/** One call of every method, with and without its optional parts. */
async function callEverything(client: ReturnType<typeof createClient>): Promise<Record<string, number>> {
  const calls: Array<[keyof typeof ROUTES, () => Promise<unknown>]> = [
    [
      'decide',
      () =>
        client.decide({
          slots: [{ id: 'home.hero', default: { t: 1 } }],
          context: { locale: 'vi-VN' },
          traceId: 'trace-0001',
        }),
    ],
    ['sendEvents', () => client.sendEvents([{ type: 'page_view', target: '/garden', topics: ['garden'] }])],
    ['endSession', () => client.endSession()],
    ['consent', () => client.consent()],
    ['purpose', () => client.purpose('personalization.profile')],
    [
      'choose',
      () =>
        client.choose({
          grant: ['personalization.profile'],
          deny: ['personalization.session'],
          locale: 'vi-VN',
          noticeVersion: 'v1',
        }),
    ],
    ['grant', () => client.grant('personalization.profile')],
    [
      'grant',
      () => client.grant('personalization.profile', { method: 'banner', locale: 'en', noticeVersion: 'v1' }),
    ],
    ['withdraw', () => client.withdraw('personalization.profile')],
    ['withdraw', () => client.withdraw('personalization.profile', { locale: 'vi' })],
    ['withdrawAll', () => client.withdrawAll()],
    ['withdrawAll', () => client.withdrawAll({ method: 'preference-center' })],
    ['exportData', () => client.exportData()],
    ['erase', () => client.erase()],
    [
      'declarePreferences',
      () => client.declarePreferences({ interests: ['garden'], notInterested: ['kids'] }),
    ],
    ['notice', () => client.notice()],
    ['notice', () => client.notice({ format: 'html', lang: 'vi' })],
  ];
  const seen: Record<string, number> = {};
  for (const [name, call] of calls) {
    await call().catch(() => undefined);
    seen[name] = (seen[name] ?? 0) + 1;
  }
  return seen;
}

describe("the client's routes and the server's OpenAPI document", () => {
  const doc = openApiDocument() as {
    paths: Record<string, Record<string, { requestBody?: { required: boolean } }>>;
  };

  it('every route of the table is a documented operation', () => {
    for (const [name, route] of Object.entries(ROUTES)) {
      expect(
        doc.paths[route.path]?.[route.method.toLowerCase()],
        `${name}: ${route.method} ${route.path}`,
      ).toBeDefined();
    }
  });

  it('every method of the client is in the table, and calls what the table says with a body the server accepts', async () => {
    const { client, sent } = recording();
    expect(Object.keys(client).sort()).toEqual(Object.keys(ROUTES).sort());
    await callEverything(client);
    expect(sent).toHaveLength(17);
    for (const s of sent) {
      const op = OPERATIONS.find(
        (o) =>
          o.method === s.method.toLowerCase() &&
          new RegExp(`^${o.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(s.path),
      );
      expect(op, `${s.method} ${s.path} is documented`).toBeDefined();
      const route = Object.values(ROUTES).find((r) => r.path === op!.path && r.method === s.method);
      expect(route, `${s.method} ${s.path} is in the table`).toBeDefined();
      if (op!.query !== undefined) {
        const q = (op!.query as unknown as { safeParse(v: unknown): { success: boolean } }).safeParse(
          s.query,
        );
        expect(q.success, `${s.method} ${s.path}?${new URLSearchParams(s.query)}`).toBe(true);
      } else expect(s.query, `${s.method} ${s.path} takes no query`).toEqual({});
      if (op!.body === undefined) {
        // Withdrawals take an optional body the document does not list; any other body-less route gets none.
        if (!op!.path.startsWith('/v1/consent') || s.method !== 'DELETE')
          expect(s.body, `${s.method} ${s.path}`).toBeUndefined();
        continue;
      }
      if (s.body === undefined) {
        expect(
          doc.paths[op!.path]?.[op!.method]?.requestBody?.required,
          `${s.method} ${s.path} needs a body`,
        ).toBe(false);
        continue;
      }
      const parsed = (
        op!.body as unknown as { safeParse(v: unknown): { success: boolean; error?: unknown } }
      ).safeParse(s.body);
      expect(parsed.success, `${s.method} ${s.path}: ${JSON.stringify(parsed.error)}`).toBe(true);
    }
  });

  it('the documented browser routes the client leaves out are the ones it is not for', () => {
    const covered = new Set(Object.values(ROUTES).map((r) => `${r.method} ${r.path}`));
    const left = OPERATIONS.filter(
      (o) => o.path.startsWith('/v1/') && !covered.has(`${o.method.toUpperCase()} ${o.path}`),
    ).map((o) => `${o.method.toUpperCase()} ${o.path}`);
    // General rectification (any category) and declared attributes are a back office's or a
    // profile form's job; a page's preference center declares preferences.
    // Subject tokens are issued to the site's server (a bearer token), never to a page.
    expect(left.sort()).toEqual(['PATCH /v1/me', 'PATCH /v1/me/attributes', 'POST /v1/subject-token']);
  });

  it('sends the subject token in the header the document gives, on the operations that take it, and on no other', async () => {
    const headers: Array<{ method: string; path: string; token: string | null }> = [];
    const fetch = (async (url: string, init: RequestInit) => {
      headers.push({
        method: String(init.method),
        path: decodeURIComponent(new URL(url).pathname),
        token: new Headers(init.headers).get('tactful-subject-token'),
      });
      return new Response(JSON.stringify({ traceId: 't', slots: [] }), { status: 200 });
    }) as typeof globalThis.fetch;
    const token = `st1.zz.${Buffer.from('alice').toString('base64url')}.${'b'.repeat(22)}.${'m'.repeat(43)}`;
    await callEverything(createClient({ baseUrl: 'http://decide.test', fetch, subjectToken: token }));
    const docOps = doc.paths as unknown as Record<
      string,
      Record<string, { parameters?: Array<{ name: string; in: string }> }>
    >;
    for (const h of headers) {
      const op = OPERATIONS.find(
        (o) =>
          o.method === h.method.toLowerCase() &&
          new RegExp(`^${o.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(h.path),
      )!;
      const documented = (docOps[op.path]?.[op.method]?.parameters ?? []).some(
        (p) => p.in === 'header' && p.name.toLowerCase() === 'tactful-subject-token',
      );
      expect(h.token !== null, `${h.method} ${h.path}`).toBe(documented);
      if (documented) expect(h.token).toBe(token);
    }
    expect(headers.some((h) => h.token !== null)).toBe(true);
  });
});
