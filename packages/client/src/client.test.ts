import type { Decision, DecisionRequestInput } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { TactfulClientError, isTactfulClientError } from './errors.js';
import type { ClientDecision } from './types.js';

const SLOTS = [
  { id: 'home.hero', default: { title: 'Welcome' } },
  { id: 'home.banner', default: { banner: 'none' } },
];

/** A fetch answering `status` with `body` (a string, sent as is) and `headers`; counts its calls. */
function answering(status: number, body: string, headers: Record<string, string> = {}) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(status === 204 ? null : body, { status, headers });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const expectDefaults = (decision: Decision) => {
  expect(decision.slots.map((s) => [s.slot, s.content, s.isDefault])).toEqual(
    SLOTS.map((s) => [s.id, s.default, true]),
  );
  expect(decision.purposesUsed).toEqual([]);
};

describe('decide never rejects: every slot shows its own default, and says why', () => {
  it('503 with Retry-After: defaults, reason "unavailable", then no request until the wait is over', async () => {
    const { fetch, calls } = answering(
      503,
      JSON.stringify({ error: { code: 'OVERLOADED', message: 'busy' } }),
      { 'retry-after': '30', 'content-type': 'application/json' },
    );
    const client = createClient({ baseUrl: 'http://decide.test/', fetch });
    const first = await client.decide({ slots: SLOTS });
    expectDefaults(first);
    expect(first.degraded).toMatchObject({
      reason: 'unavailable',
      code: 'OVERLOADED',
      status: 503,
      retryAfter: 30,
    });
    expect(calls[0]?.url).toBe('http://decide.test/v1/decide');
    const second = await client.decide({ slots: SLOTS });
    expectDefaults(second);
    expect(second.degraded?.reason).toBe('backing-off');
    expect(calls).toHaveLength(1);
  });

  it('429: reason "rate-limited"; an HTTP-date Retry-After is honoured (capped at 10 minutes)', async () => {
    const { fetch } = answering(429, '', { 'retry-after': new Date(Date.now() + 86_400_000).toUTCString() });
    const decision = await createClient({ baseUrl: 'http://x', fetch }).decide({ slots: SLOTS });
    expectDefaults(decision);
    expect(decision.degraded).toMatchObject({ reason: 'rate-limited', status: 429, retryAfter: 600 });
  });

  it('a fetch that never settles (and ignores its signal): defaults with reason "timeout"', async () => {
    const fetch = (() => new Promise<Response>(() => {})) as typeof globalThis.fetch;
    const decision = await createClient({ baseUrl: 'http://x', fetch, timeoutMs: 50 }).decide({
      slots: SLOTS,
    });
    expectDefaults(decision);
    expect(decision.degraded?.reason).toBe('timeout');
  });

  it('headers arrive but the body never ends: the deadline covers the body too', async () => {
    const fetch = (async () =>
      new Response(new ReadableStream({ start() {} }), {
        status: 200,
      })) as unknown as typeof globalThis.fetch;
    const decision = await createClient({ baseUrl: 'http://x', fetch, timeoutMs: 50 }).decide({
      slots: SLOTS,
    });
    expect(decision.degraded?.reason).toBe('timeout');
    expectDefaults(decision);
  });

  it('a network error, an aborted call, malformed JSON, a wrong shape', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    expect(
      (await createClient({ baseUrl: 'http://x', fetch: down }).decide({ slots: SLOTS })).degraded?.reason,
    ).toBe('network');

    const controller = new AbortController();
    controller.abort();
    const hang = (() => new Promise<Response>(() => {})) as typeof globalThis.fetch;
    const aborted = await createClient({ baseUrl: 'http://x', fetch: hang }).decide(
      { slots: SLOTS },
      {
        signal: controller.signal,
      },
    );
    expect(aborted.degraded?.reason).toBe('aborted');
    expectDefaults(aborted);

    for (const body of ['{"slots": [', '"a string"', '{"slots": 3, "traceId": "t"}', '[]']) {
      const d = await createClient({ baseUrl: 'http://x', fetch: answering(200, body).fetch }).decide({
        slots: SLOTS,
      });
      expect(d.degraded?.reason, body).toBe('malformed');
      expectDefaults(d);
    }
  });

  it('an answer lacking a slot: that slot shows its default, the others are kept, extra slots are dropped', async () => {
    const hero = {
      slot: 'home.hero',
      content: { title: 'Seeds' },
      strategy: 'dynamic-content',
      isDefault: false,
      explanation: {
        strategy: 'dynamic-content',
        summary: { en: 'x' },
        signals: [],
        purposes: [],
        categories: [],
      },
    };
    const body = JSON.stringify({
      traceId: 'trace-1',
      decidedAt: '2026-01-01T00:00:00.000Z',
      slots: [hero, { ...hero, slot: 'not.asked' }],
      purposesUsed: ['personalization.profile'],
      categoriesUsed: [],
      dropped: [],
      consent: { purposes: {} },
    });
    const d = await createClient({ baseUrl: 'http://x', fetch: answering(200, body).fetch }).decide({
      slots: SLOTS,
    });
    expect(d.slots.map((s) => s.slot)).toEqual(['home.hero', 'home.banner']);
    expect(d.slots[0]?.content).toEqual({ title: 'Seeds' });
    expect(d.slots[1]).toMatchObject({ content: SLOTS[1]?.default, isDefault: true });
    expect(d.degraded?.reason).toBe('malformed');
  });

  it('a default slot asked without a default: the server leaves content out, and that is a decision, not malformed', async () => {
    // What the server answers for `{ id }` when no strategy may fill the slot (JSON drops the
    // undefined content); the OpenFeature web provider asks this way.
    const body = JSON.stringify({
      traceId: 't',
      decidedAt: 'x',
      slots: [
        {
          slot: 'home.hero',
          strategy: 'default',
          isDefault: true,
          explanation: {
            strategy: 'default',
            summary: { en: 'default' },
            signals: [],
            purposes: [],
            categories: [],
          },
        },
      ],
      purposesUsed: [],
      categoriesUsed: [],
      dropped: [],
      consent: { purposes: {} },
    });
    const d = await createClient({ baseUrl: 'http://x', fetch: answering(200, body).fetch }).decide({
      slots: [{ id: 'home.hero' }],
    });
    expect(d.degraded).toBeUndefined();
    expect(d.slots[0]).toMatchObject({ slot: 'home.hero', isDefault: true, strategy: 'default' });
    expect(d.slots[0]?.content).toBeUndefined();
  });

  it('the server\'s own "consent-unavailable" passes through', async () => {
    const body = JSON.stringify({
      traceId: 't',
      decidedAt: 'x',
      slots: [],
      purposesUsed: [],
      categoriesUsed: [],
      dropped: [],
      consent: { purposes: {} },
      degraded: { reason: 'consent-unavailable', message: 'consent could not be read' },
    });
    const d = await createClient({ baseUrl: 'http://x', fetch: answering(200, body).fetch }).decide({
      slots: SLOTS,
    });
    expect(d.degraded?.reason).toBe('consent-unavailable');
    expectDefaults(d);
  });

  it('for every status and body the server may answer: resolves with exactly the requested slots, in order', async () => {
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc.record({ traceId: fc.string(), slots: fc.array(fc.anything()) }).map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 200, max: 599 }), body, fc.string(), async (status, text, retry) => {
        let fetch: typeof globalThis.fetch;
        try {
          fetch = answering(status, text, { 'retry-after': retry.replace(/[^\x20-\x7e]/g, '') }).fetch;
          new Response(status === 204 ? null : text, { status });
        } catch {
          return; // a status the Fetch API refuses (e.g. 1xx), not an answer a server can give
        }
        const d = await createClient({ baseUrl: 'http://x', fetch }).decide({ slots: SLOTS });
        expect(d.slots.map((s) => s.slot)).toEqual(['home.hero', 'home.banner']);
        for (const [i, s] of d.slots.entries()) {
          if (s.isDefault && d.degraded !== undefined) expect(s.content).toEqual(SLOTS[i]?.default);
        }
        if (status >= 300) {
          // No decision came: every slot is its own default, and the decision says why.
          expect(d.degraded).toBeDefined();
          expect(d.slots.map((s) => [s.content, s.isDefault])).toEqual(SLOTS.map((s) => [s.default, true]));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the other methods reject with a TactfulClientError carrying the server code', () => {
  it('names the code, status, issues and Retry-After', async () => {
    const { fetch } = answering(
      400,
      JSON.stringify({
        error: {
          code: 'UNKNOWN_PURPOSE',
          message: 'grant[0]: "x" is not one this site asks consent for',
          issues: [{ path: ['grant', 0], message: 'unknown' }],
        },
      }),
    );
    const error = await createClient({ baseUrl: 'http://x', fetch })
      .choose({ grant: ['x'] })
      .catch((e: unknown) => e);
    expect(isTactfulClientError(error)).toBe(true);
    expect(error).toBeInstanceOf(TactfulClientError);
    expect(error).toMatchObject({ code: 'UNKNOWN_PURPOSE', status: 400, issues: [{ path: ['grant', 0] }] });

    const limited = answering(429, JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'too many' } }), {
      'retry-after': '120',
    });
    await expect(
      createClient({ baseUrl: 'http://x', fetch: limited.fetch }).exportData(),
    ).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      retryAfter: 120,
    });

    const notRecorded = answering(
      503,
      JSON.stringify({ recorded: false, error: { code: 'STORE_FAILED', message: 'nothing was recorded' } }),
    );
    await expect(
      createClient({ baseUrl: 'http://x', fetch: notRecorded.fetch }).grant('p'),
    ).rejects.toMatchObject({
      code: 'STORE_FAILED',
      recorded: false,
    });
  });

  it('timeouts, network errors, non-JSON and non-error bodies get their own codes', async () => {
    const hang = (() => new Promise<Response>(() => {})) as typeof globalThis.fetch;
    await expect(
      createClient({ baseUrl: 'http://x', fetch: hang, timeoutMs: 30 }).consent(),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
      status: 0,
    });
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    await expect(createClient({ baseUrl: 'http://x', fetch: down }).erase()).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
    });
    await expect(
      createClient({ baseUrl: 'http://x', fetch: answering(200, '<html>').fetch }).consent(),
    ).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
    await expect(
      createClient({
        baseUrl: 'http://x',
        fetch: answering(502, '<html>bad gateway</html>').fetch,
      }).consent(),
    ).rejects.toMatchObject({ code: 'HTTP_ERROR', status: 502 });
  });

  it('refuses bad options with a clear message', () => {
    expect(() => createClient({ baseUrl: 'http://x', timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createClient({} as never)).toThrow(/baseUrl/);
  });

  it('sends cookies (credentials: include by default), JSON only with a body, and encodes the purpose', async () => {
    const ok = JSON.stringify({ purposes: {}, noticeVersion: 'v', signals: { gpc: false, dnt: false } });
    const { fetch, calls } = answering(200, ok);
    const client = createClient({ baseUrl: 'http://x/api/', fetch });
    await client.withdraw('a b/c');
    await client.consent();
    expect(calls[0]?.url).toBe('http://x/api/v1/consent/a%20b%2Fc');
    expect(calls[0]?.init).toMatchObject({ method: 'DELETE', credentials: 'include' });
    expect(calls[0]?.init.body).toBeUndefined();
    expect((calls[0]!.init.headers as Record<string, string>)['content-type']).toBeUndefined();
    const same = answering(200, ok);
    await createClient({ baseUrl: '', fetch: same.fetch, credentials: 'same-origin' }).grant('p', {
      method: 'banner',
    });
    expect(same.calls[0]).toMatchObject({
      url: '/v1/consent/p',
      init: { credentials: 'same-origin', body: '{"method":"banner"}' },
    });
  });
});

describe('a request made through an adapter', () => {
  it('that names a person or a session is not sent: defaults, "rejected", the field named', async () => {
    const { fetch, calls } = answering(200, '{}');
    const client = createClient({ baseUrl: 'http://x', fetch });
    // The adapters' decider: `<TactfulProvider request={{ subject }}>` or an OpenFeature
    // `targetingKey` gives a request that names a person.
    const decider: { decide(request: DecisionRequestInput): Promise<Decision> } = client;
    const named = await decider.decide({ slots: SLOTS, subject: { id: 'alice' } });
    expectDefaults(named);
    expect((named as ClientDecision).degraded).toMatchObject({
      reason: 'rejected',
      code: 'SUBJECT_TOKEN_MISSING',
    });
    expect((named as ClientDecision).degraded?.message).toMatch(/^subject: /);
    const withSession = await decider.decide({ slots: SLOTS, session: { id: 'x'.repeat(16), events: [] } });
    expect((withSession as ClientDecision).degraded?.message).toMatch(/^session: /);
    expect(calls).toHaveLength(0);
  });

  it('for any subject or session value at all: nothing is sent, every slot shows its default', async () => {
    const { fetch, calls } = answering(200, '{}');
    const decider: { decide(request: DecisionRequestInput): Promise<Decision> } = createClient({
      baseUrl: 'http://x',
      fetch,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('subject', 'session'),
        fc.anything().filter((v) => v !== undefined),
        async (field, value) => {
          const d = await decider.decide({ slots: SLOTS, [field]: value } as DecisionRequestInput);
          expectDefaults(d);
          expect((d as ClientDecision).degraded).toMatchObject({
            reason: 'rejected',
            code: field === 'subject' ? 'SUBJECT_TOKEN_MISSING' : 'INVALID_REQUEST',
          });
        },
      ),
      { numRuns: 100 },
    );
    expect(calls).toHaveLength(0);
  });

  it('sends the slots, the context and the trace id, and nothing else', async () => {
    const { fetch, calls } = answering(200, JSON.stringify({ traceId: 'trace-0001', slots: [] }));
    await createClient({ baseUrl: 'http://x', fetch }).decide({
      slots: SLOTS,
      context: { locale: 'vi-VN' },
      traceId: 'trace-0001',
    });
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({
      slots: SLOTS,
      context: { locale: 'vi-VN' },
      traceId: 'trace-0001',
    });
  });
});

describe('notice', () => {
  it('gives the text as the server sent it, and the server code when refused', async () => {
    const { fetch, calls } = answering(200, '<h1>Privacy</h1>', { 'content-type': 'text/html' });
    expect(await createClient({ baseUrl: 'http://x', fetch }).notice({ format: 'html', lang: 'vi' })).toBe(
      '<h1>Privacy</h1>',
    );
    expect(calls[0]?.url).toBe('http://x/v1/notice?format=html&lang=vi');
    const refused = answering(400, JSON.stringify({ error: { code: 'INVALID_REQUEST', message: 'lang' } }));
    await expect(createClient({ baseUrl: 'http://x', fetch: refused.fetch }).notice()).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      status: 400,
    });
  });
});

/** A token as the server writes one (`st1.<expiry>.<subject>.<binding>.<mac>`); the client reads only the subject. */
const tokenFor = (subject: string, mac = 'm'.repeat(43)) =>
  `st1.zzzzzz.${Buffer.from(subject).toString('base64url')}.${'b'.repeat(22)}.${mac}`;

describe('subject tokens: the page decides for the person the server rendered it for', () => {
  const ok = () => answering(200, JSON.stringify({ traceId: 't', slots: [] }));

  it('sends the token in its header with decisions only, and a request naming that same person', async () => {
    const { fetch, calls } = ok();
    const token = tokenFor('alice');
    const client = createClient({ baseUrl: 'http://x', fetch, subjectToken: token });
    const d = await client.decide({ slots: SLOTS, subject: { id: 'alice' } });
    expect(d.degraded?.code).not.toBe('SUBJECT_MISMATCH');
    await client.decide({ slots: SLOTS });
    await client.consent();
    expect(calls).toHaveLength(3);
    const header = (i: number) => new Headers(calls[i]!.init.headers).get('tactful-subject-token');
    expect([header(0), header(1), header(2)]).toEqual([token, token, null]);
    // The person is never in the body: the server takes it from the token.
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ slots: SLOTS });
  });

  it('for every other person named (or any other value): nothing is sent, SUBJECT_MISMATCH', async () => {
    const { fetch, calls } = ok();
    const decider: { decide(request: DecisionRequestInput): Promise<Decision> } = createClient({
      baseUrl: 'http://x',
      fetch,
      subjectToken: tokenFor('alice'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .string()
            .filter((id) => id !== 'alice')
            .map((id) => ({ id })),
          fc
            .anything()
            .filter(
              (v) =>
                v !== undefined &&
                !(typeof v === 'object' && v !== null && (v as { id?: unknown }).id === 'alice'),
            ),
        ),
        async (subject) => {
          const d = await decider.decide({ slots: SLOTS, subject } as DecisionRequestInput);
          expectDefaults(d);
          expect((d as ClientDecision).degraded).toMatchObject({
            reason: 'rejected',
            code: 'SUBJECT_MISMATCH',
          });
        },
      ),
      { numRuns: 150 },
    );
    expect(calls).toHaveLength(0);
  });

  it('a function is asked before each decision, and once more when the server says the token expired', async () => {
    const calls: string[] = [];
    const fetch = (async (_url: string, init: RequestInit) => {
      const token = new Headers(init.headers).get('tactful-subject-token') ?? '';
      calls.push(token);
      if (token.endsWith('old'.padStart(43, 'o')))
        return new Response(
          JSON.stringify({ error: { code: 'SUBJECT_TOKEN_EXPIRED', message: 'expired' } }),
          {
            status: 401,
          },
        );
      return new Response(JSON.stringify({ traceId: 't', slots: [] }), { status: 200 });
    }) as typeof globalThis.fetch;
    const issued = [tokenFor('alice', 'old'.padStart(43, 'o')), tokenFor('alice', 'new'.padStart(43, 'n'))];
    let asked = 0;
    const client = createClient({ baseUrl: 'http://x', fetch, subjectToken: async () => issued[asked++] });
    const d = await client.decide({ slots: SLOTS, subject: { id: 'alice' } });
    // answered (the stub's answer names no slot, so: malformed), not refused
    expect(d.degraded?.reason).toBe('malformed');
    expect(asked).toBe(2);
    expect(calls).toEqual(issued);
    // A token string can't be renewed: an expired one shows defaults with the server's code.
    const fixed = createClient({ baseUrl: 'http://x', fetch, subjectToken: issued[0]! });
    const stale = await fixed.decide({ slots: SLOTS });
    expectDefaults(stale);
    expect(stale.degraded).toMatchObject({ reason: 'rejected', code: 'SUBJECT_TOKEN_EXPIRED', status: 401 });
  });

  it('a function that throws: nothing is sent (never a decision for the browser instead), SUBJECT_TOKEN_MISSING', async () => {
    const { fetch, calls } = ok();
    const client = createClient({
      baseUrl: 'http://x',
      fetch,
      subjectToken: () => {
        throw new Error('session ended');
      },
    });
    const d = await client.decide({ slots: SLOTS });
    expectDefaults(d);
    expect(d.degraded).toMatchObject({ reason: 'rejected', code: 'SUBJECT_TOKEN_MISSING' });
    expect(d.degraded?.message).toMatch(/session ended/);
    expect(calls).toHaveLength(0);
    // One that gives nothing (no one signed in): the browser's own decision, no token header.
    const signedOut = ok();
    await createClient({ baseUrl: 'http://x', fetch: signedOut.fetch, subjectToken: () => undefined }).decide(
      {
        slots: SLOTS,
      },
    );
    expect(new Headers(signedOut.calls[0]!.init.headers).has('tactful-subject-token')).toBe(false);
  });

  it('refuses a subject option, and a subjectToken that is neither a token nor a function', () => {
    for (const options of [
      { subject: 'alice' },
      { subjectToken: '' },
      { subjectToken: 42 },
      { subjectToken: {} },
    ]) {
      let caught: unknown;
      try {
        createClient({ baseUrl: 'http://x', ...(options as object) });
      } catch (error) {
        caught = error;
      }
      expect(isTactfulClientError(caught), JSON.stringify(options)).toBe(true);
      expect((caught as TactfulClientError).code).toBe('INVALID_OPTIONS');
    }
  });
});
