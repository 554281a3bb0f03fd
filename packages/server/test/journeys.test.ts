import { ErasureReceiptSchema } from '@tactful/subject';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startShop } from './helpers.js';

const SLOTS = [{ id: 'home.hero' }, { id: 'home.banner' }, { id: 'home.categories' }];
type Slot = { slot: string; content?: unknown; isDefault: boolean; strategy: string };
type DecisionBody = { slots: Slot[]; purposesUsed: string[]; degraded?: unknown };
const slot = (body: DecisionBody, id: string) => body.slots.find((s) => s.slot === id)!;

describe("a person's journey through the API", () => {
  let shop: Harness;
  beforeEach(async () => {
    shop = await startShop();
  });
  afterEach(async () => {
    await shop.stop();
  });

  it('serves default content on a first visit and sets no cookie', async () => {
    const b = shop.browser();
    const { status, body, response } = await b.json<DecisionBody>('/v1/decide', { body: { slots: SLOTS } });
    expect(status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(body.slots.every((s) => s.isDefault)).toBe(true);
    expect(body.purposesUsed).toEqual([]);
    expect(b.lastSetCookie).toEqual([]);
  });

  it('after "reject all" keeps default content and sets only the strictly necessary id cookie', async () => {
    const b = shop.browser();
    const consent = await b.json<{ purposes: Record<string, { status: string }> }>('/v1/consent', {
      body: { deny: ['personalization.contextual', 'personalization.session', 'personalization.profile'] },
    });
    expect(consent.status).toBe(200);
    expect(Object.values(consent.body.purposes).every((p) => p.status === 'denied')).toBe(true);
    expect([...b.cookies.keys()]).toEqual(['tactful_id']);
    const events = await b.json('/v1/session/events', {
      body: { events: [{ type: 'product_view', target: 'p-1', topics: ['kids'] }] },
    });
    expect(events.body).toEqual({ recorded: 0, session: 'off', reason: 'no-consent' });
    expect(b.cookies.has('tactful_session')).toBe(false);
    const decision = await b.json<DecisionBody>('/v1/decide', { body: { slots: SLOTS } });
    expect(decision.body.slots.every((s) => s.isDefault)).toBe(true);
  });

  it('personalizes on the context once contextual consent is granted, and stops after withdrawal', async () => {
    const b = shop.browser();
    await b.json('/v1/consent/personalization.contextual', { method: 'POST' });
    const on = await b.json<DecisionBody>('/v1/decide', { body: { slots: SLOTS } });
    expect(slot(on.body, 'home.banner').content).toEqual({ banner: 'app-download' });
    expect(on.body.purposesUsed).toContain('personalization.contextual');

    const withdrawn = await b.json<{ purposes: Record<string, { status: string; reason: string }> }>(
      '/v1/consent/personalization.contextual',
      { method: 'DELETE' },
    );
    expect(withdrawn.body.purposes['personalization.contextual']).toMatchObject({
      status: 'denied',
      reason: 'withdrawn',
    });
    const off = await b.json<DecisionBody>('/v1/decide', { body: { slots: SLOTS } });
    expect(slot(off.body, 'home.banner').isDefault).toBe(true);
  });

  it('withdraws with a JSON content type and no body, as a browser fetch sends a bodiless DELETE', async () => {
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.contextual'] } });
    const withdrawn = await b.json<{ purposes: Record<string, { status: string; reason: string }> }>(
      '/v1/consent/personalization.contextual',
      { method: 'DELETE', headers: { 'content-type': 'application/json' } },
    );
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.purposes['personalization.contextual']).toMatchObject({ reason: 'withdrawn' });
    // A body that is there must still be JSON.
    const bad = await b.json('/v1/consent/personalization.contextual', {
      method: 'DELETE',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
  });

  it('keeps session events only with personalization.session consent, then reorders categories', async () => {
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.session'] } });
    expect(b.cookies.has('tactful_session')).toBe(false);
    const recorded = await b.json('/v1/session/events', {
      body: {
        events: [
          { type: 'category_view', target: 'kids', topics: ['kids'] },
          { type: 'product_view', target: 'p-1', topics: ['kids'] },
          { type: 'product_view', target: 'p-2', topics: ['kids'] },
        ],
      },
    });
    expect(recorded.body).toEqual({ recorded: 3, session: 'active' });
    const line = b.lastSetCookie.find((l) => l.startsWith('tactful_session='))!;
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Lax/);
    expect(line).not.toMatch(/Max-Age/);
    const decision = await b.json<DecisionBody>('/v1/decide', { body: { slots: SLOTS } });
    const categories = slot(decision.body, 'home.categories');
    expect(categories.isDefault).toBe(false);
    expect((categories.content as { order: string[] }).order[0]).toBe('kids');

    // Withdrawing the session purpose ends the session and removes its cookie.
    await b.json('/v1/consent/personalization.session', { method: 'DELETE' });
    expect(b.cookies.has('tactful_session')).toBe(false);
    const after = await b.json<DecisionBody>('/v1/decide', { body: { slots: SLOTS } });
    expect(slot(after.body, 'home.categories').isDefault).toBe(true);
  });

  it('rotates the session id on a consent change, keeping the events', async () => {
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.session'] } });
    await b.json('/v1/session/events', {
      body: { events: [{ type: 'product_view', target: 'p', topics: ['garden'] }] },
    });
    const before = b.cookies.get('tactful_session');
    await b.json('/v1/consent', { body: { grant: ['personalization.contextual'] } });
    const after = b.cookies.get('tactful_session');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const decision = await b.json<DecisionBody>('/v1/decide', { body: { slots: SLOTS } });
    expect((slot(decision.body, 'home.categories').content as { order: string[] }).order[0]).toBe('garden');
  });

  it("exports, rectifies and erases the person's data, with a receipt, after which the export is empty", async () => {
    const b = shop.browser();
    await b.json('/v1/consent', { body: { grant: ['personalization.profile'] } });
    const patched = await b.json('/v1/me/preferences', {
      method: 'PATCH',
      body: { interests: ['kids', 'garden'], notInterested: ['sports'] },
    });
    expect(patched.status).toBe(200);
    const exported = await b.json<{ empty: boolean; sections: Array<{ kind: string; data?: unknown }> }>(
      '/v1/me/export',
    );
    expect(exported.status).toBe(200);
    expect(exported.body.empty).toBe(false);
    expect(JSON.stringify(exported.body.sections)).toContain('garden');
    expect(exported.response.headers.get('cache-control')).toBe('no-store');

    const erased = await b.json('/v1/me', { method: 'DELETE' });
    expect(erased.status).toBe(200);
    const receipt = ErasureReceiptSchema.parse(erased.body);
    expect(JSON.stringify(receipt)).not.toContain(b.cookies.get('tactful_id')!.split('.')[0]);
    const after = await b.json<{ empty: boolean }>('/v1/me/export');
    expect(after.status).toBe(200);
    expect(after.body.empty).toBe(true);
  });

  it('reads the consent state of every purpose the notice covers, denied without a record', async () => {
    const b = shop.browser();
    const { body } = await b.json<{
      purposes: Record<string, { status: string; reason: string }>;
      noticeVersion: string;
    }>('/v1/consent');
    expect(Object.keys(body.purposes).sort()).toEqual(
      ['personalization.contextual', 'personalization.profile', 'personalization.session'].sort(),
    );
    expect(Object.values(body.purposes).every((p) => p.status === 'denied' && p.reason === 'no-record')).toBe(
      true,
    );
    expect(body.noticeVersion).toBe(shop.server.tactful.notice.version);
    expect(b.lastSetCookie).toEqual([]);
  });

  it('refuses a grant recorded against an older notice (409), and an unknown purpose (400)', async () => {
    const b = shop.browser();
    const old = await b.json('/v1/consent', {
      body: { grant: ['personalization.contextual'], noticeVersion: 'a'.repeat(64) },
    });
    expect(old.status).toBe(409);
    const unknown = await b.json<{ error: { code: string } }>('/v1/consent/personalization.health', {
      method: 'POST',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('UNKNOWN_PURPOSE');
    expect(b.cookies.size).toBe(0);
  });

  it('corrects attributes and any held category, withdraws everything at once, ends the session on request', async () => {
    const b = shop.browser();
    await b.json('/v1/consent', {
      body: { grant: ['personalization.profile', 'personalization.session', 'personalization.contextual'] },
    });
    const attributes = await b.json('/v1/me/attributes', {
      method: 'PATCH',
      body: { shoeSize: 42, city: 'Hue' },
    });
    expect(attributes.status).toBe(200);
    const changes = await b.json('/v1/me', {
      method: 'PATCH',
      body: { changes: [{ category: 'profile.preferences', value: { interests: ['tea'] } }] },
    });
    expect(changes.status).toBe(200);
    const unknown = await b.json<{ error: { code: string } }>('/v1/me', {
      method: 'PATCH',
      body: { changes: [{ category: 'health.condition', value: 'x' }] },
    });
    expect(unknown.status).toBe(400);
    const exported = JSON.stringify((await b.json('/v1/me/export')).body);
    expect(exported).toContain('Hue');
    expect(exported).toContain('tea');

    const one = await b.json<{ purpose: string; status: string }>('/v1/consent/personalization.profile');
    expect(one.body).toMatchObject({ purpose: 'personalization.profile', status: 'granted' });

    await b.json('/v1/session/events', { body: { events: [{ type: 'page_view', target: '/' }] } });
    expect(b.cookies.has('tactful_session')).toBe(true);
    expect((await b.fetch('/v1/session', { method: 'DELETE' })).status).toBe(204);
    expect(b.cookies.has('tactful_session')).toBe(false);

    const all = await b.json<{ purposes: Record<string, { status: string; reason: string }> }>(
      '/v1/consent',
      {
        method: 'DELETE',
      },
    );
    expect(
      Object.values(all.body.purposes).every((p) => p.status === 'denied' && p.reason === 'withdrawn'),
    ).toBe(true);
  });
});
