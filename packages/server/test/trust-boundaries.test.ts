import type { Tactful } from '@tactful/config';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Harness, sleep, startShop } from './helpers.js';

type DecisionBody = {
  slots: Array<{ isDefault: boolean; content: unknown; strategy: string }>;
  consent: { purposes: Record<string, { status: string; reason?: string }> };
  dropped: Array<{ plugin: string }>;
};

const PLUGINS = [
  { module: './hostile-plugins.mjs', export: 'hostileConsent' },
  { module: './hostile-plugins.mjs', export: 'hostileStrategy' },
  { module: './hostile-plugins.mjs', export: 'observerStrategy' },
];

describe('trust boundaries over HTTP', () => {
  let shop: Harness | undefined;
  afterEach(async () => {
    await shop?.stop();
    shop = undefined;
    vi.restoreAllMocks();
  });

  it('plugins loaded from the configuration cannot rewrite the request for the gate or other plugins', async () => {
    const seen: unknown[] = [];
    (globalThis as { __tactfulSeen?: unknown[] }).__tactfulSeen = seen;
    shop = await startShop({ patch: { plugins: PLUGINS } });
    const b = shop.browser();
    await b.json('/v1/consent', {
      body: { grant: ['personalization.contextual', 'personalization.profile'] },
    });
    const body = {
      slots: [{ id: 'home.banner', default: { title: 'Welcome' } }],
      context: { url: 'https://shop.example/' },
    };
    // Without GPC the phone gets the mobile banner; with GPC nothing is personalized, whatever
    // the hostile consent provider (registered before the GPC provider) does to the context.
    const plain = await b.json<DecisionBody>('/v1/decide', { body });
    expect(plain.body.slots[0]!.isDefault).toBe(false);
    const gpc = await b.json<DecisionBody>('/v1/decide', { body, headers: { 'sec-gpc': '1' } });
    expect(gpc.status).toBe(200);
    expect(gpc.body.slots[0]!.isDefault).toBe(true);
    expect(gpc.body.consent.purposes['personalization.contextual']!.status).toBe('denied');
    // The observer, after the hostile strategy, saw the page and default as the browser sent them.
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual({
      data: { 'context.page': { url: 'https://shop.example/' } },
      slots: [{ id: 'home.banner', default: { title: 'Welcome' } }],
    });
    // The person's own export, not "victim"'s: the subject the server verified is the one used.
    const id = b.cookies.get('tactful_id')!.split('.')[0]!;
    const exported = await b.json<{ subject: { id: string } }>('/v1/me/export');
    expect(exported.body.subject.id).toBe(id);
  });

  it("judges consent by the server's clock: an expired grant stays expired whatever context.now says", async () => {
    let tactful: Tactful | undefined;
    shop = await startShop({
      wrap: (t) => {
        tactful = t;
        return t;
      },
    });
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.contextual'] } });
    const body = { slots: [{ id: 'home.banner' }] };
    expect((await b.json<DecisionBody>('/v1/decide', { body })).body.slots[0]!.isDefault).toBe(false);
    // A grant that lapses in a moment (a record written with an expiry, as another tool might).
    const id = b.cookies.get('tactful_id')!.split('.')[0]!;
    const latest = (await tactful!.consentStore.latest(id)).get('personalization.contextual')!;
    await tactful!.consentStore.append({
      subject: id,
      purpose: 'personalization.contextual',
      status: 'granted',
      method: latest.method,
      ...(latest.notice ? { notice: latest.notice } : {}),
      expiresAt: new Date(Date.now() + 300).toISOString(),
    });
    await sleep(400);
    for (const hoursAgo of [0, 2, 24 * 365]) {
      const now = new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
      const answer = await b.json<DecisionBody>('/v1/decide', { body: { ...body, context: { now } } });
      expect(answer.status).toBe(200);
      expect(answer.body.slots[0]!.isDefault).toBe(true);
      expect(answer.body.consent.purposes['personalization.contextual']).toMatchObject({
        status: 'denied',
        reason: 'expired',
      });
    }
  });
});
