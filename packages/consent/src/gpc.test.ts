import type { ConsentQuery, PluginCallContext, RequestContext } from '@tactful/core';
import { createTaxonomy, defaultTaxonomy } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dntFromHeaders,
  dntFromNavigator,
  gpcConsent,
  gpcFromHeaders,
  gpcFromNavigator,
  memoryConsentStore,
} from '@tactful/consent';

const ctx: PluginCallContext = { signal: new AbortController().signal, traceId: 'trace-gpc' };
const ALL = [
  'necessary',
  'personalization.contextual',
  'personalization.profile',
  'measurement',
  'marketing.email',
];
const query = (context: RequestContext, subject?: string, purposes = ALL): ConsentQuery => ({
  context,
  purposes,
  now: Date.now(),
  ...(subject ? { subject: { id: subject } } : {}),
});

describe('gpcConsent', () => {
  it('denies every purpose but necessary under GPC, with reason "gpc", and can never grant', async () => {
    const provider = gpcConsent();
    expect(provider.manifest).toMatchObject({ name: 'gpc-consent', canGrant: false, kind: 'consent' });
    const state = await provider.resolve(query({ gpc: true }), ctx);
    expect(Object.keys(state.purposes).sort()).toEqual(ALL.filter((p) => p !== 'necessary').sort());
    for (const p of Object.values(state.purposes))
      expect(p).toEqual({ status: 'denied', provider: 'gpc-consent', reason: 'gpc' });
  });

  it('says nothing without a signal, and honours DNT unless told not to', async () => {
    expect((await gpcConsent().resolve(query({}), ctx)).purposes).toEqual({});
    expect((await gpcConsent().resolve(query({ gpc: false, dnt: false }), ctx)).purposes).toEqual({});
    const dnt = await gpcConsent().resolve(query({ dnt: true }), ctx);
    expect(dnt.purposes['measurement']).toEqual({ status: 'denied', provider: 'gpc-consent', reason: 'dnt' });
    expect((await gpcConsent({ honorDnt: false }).resolve(query({ dnt: true }), ctx)).purposes).toEqual({});
    expect(
      (await gpcConsent().resolve(query({ gpc: true, dnt: true }), ctx)).purposes['measurement']?.reason,
    ).toBe('gpc');
  });

  it('covers only the configured purposes', async () => {
    const state = await gpcConsent({ purposes: ['marketing.email'] }).resolve(query({ gpc: true }), ctx);
    expect(Object.keys(state.purposes)).toEqual(['marketing.email']);
    expect(() => gpcConsent({ purposes: ['marketing.sms'] })).toThrow(
      /purposes\[0\]: unknown purpose "marketing.sms"; known purposes: necessary, personalization.contextual, .*marketing.email$/,
    );
  });

  it('knows the purposes of the built-in taxonomy without one, and those of a taxonomy given', async () => {
    const all = [...defaultTaxonomy.purposes.keys()];
    const state = await gpcConsent().resolve(query({ gpc: true }, undefined, all), ctx);
    expect(Object.keys(state.purposes)).toEqual(
      all.filter((p) => defaultTaxonomy.purpose(p).requiresConsent),
    );
    const taxonomy = createTaxonomy([
      { purposes: [{ id: 'marketing.sms', label: { en: 'Text messages' } }] },
    ]);
    expect(() => gpcConsent({ purposes: ['marketing.sms'], taxonomy })).not.toThrow();
    expect(() => gpcConsent({ purposes: ['loyalty.rewards'], taxonomy })).toThrow(
      /known purposes: .*marketing.sms/,
    );
  });

  it('covers vendor purposes of an extended taxonomy by default', async () => {
    const taxonomy = createTaxonomy([{ purposes: [{ id: 'loyalty.rewards', label: { en: 'Rewards' } }] }]);
    const state = await gpcConsent({ taxonomy }).resolve(
      query({ gpc: true }, undefined, ['loyalty.rewards']),
      ctx,
    );
    expect(state.purposes['loyalty.rewards']?.status).toBe('denied');
  });

  it('never grants, for any request context', async () => {
    const provider = gpcConsent();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          gpc: fc.option(fc.boolean(), { nil: undefined }),
          dnt: fc.option(fc.boolean(), { nil: undefined }),
        }),
        async (c) => {
          const context: RequestContext = {
            ...(c.gpc === undefined ? {} : { gpc: c.gpc }),
            ...(c.dnt === undefined ? {} : { dnt: c.dnt }),
          };
          const state = await provider.resolve(query(context), ctx);
          for (const p of Object.values(state.purposes)) expect(p.status).toBe('denied');
          expect(Object.keys(state.purposes).length > 0).toBe(c.gpc === true || c.dnt === true);
        },
      ),
    );
  });

  it('writes the opt-out of an identified person to the store with method "gpc", once', async () => {
    const store = memoryConsentStore();
    const provider = gpcConsent({ store, purposes: ['measurement', 'marketing.email'] });
    await provider.resolve(query({ gpc: true }, 'u-1'), ctx);
    await provider.resolve(query({ gpc: true }, 'u-1'), ctx);
    const history = await store.history('u-1');
    expect(history.map((r) => [r.purpose, r.status, r.method, r.reason])).toEqual([
      ['measurement', 'denied', 'gpc', 'gpc'],
      ['marketing.email', 'denied', 'gpc', 'gpc'],
    ]);
  });
});

describe('gpcFromHeaders / dntFromHeaders', () => {
  it('counts Sec-GPC only when exactly "1"', () => {
    expect(gpcFromHeaders(new Headers({ 'Sec-GPC': '1' }))).toBe(true);
    for (const v of ['0', 'true', 'yes', '', '11', '1.0', 'on'])
      expect(gpcFromHeaders(new Headers({ 'Sec-GPC': v })), v).toBe(false);
    expect(gpcFromHeaders({ 'sec-gpc': ' 1 ' })).toBe(true);
    expect(gpcFromHeaders({ 'SEC-GPC': '1' })).toBe(true);
    expect(gpcFromHeaders({})).toBe(false);
    expect(gpcFromHeaders(undefined)).toBe(false);
  });

  it('lets any "1" win among several headers, as Fetch joins them', () => {
    const headers = new Headers();
    headers.append('Sec-GPC', '0');
    headers.append('Sec-GPC', '1');
    expect(headers.get('sec-gpc')).toBe('0, 1');
    expect(gpcFromHeaders(headers)).toBe(true);
    expect(gpcFromHeaders({ 'sec-gpc': ['0', '1'] })).toBe(true);
    expect(gpcFromHeaders({ 'sec-gpc': ['0', 'true'] })).toBe(false);
  });

  it('reads DNT the same way', () => {
    expect(dntFromHeaders({ dnt: '1' })).toBe(true);
    expect(dntFromHeaders(new Headers({ DNT: '0' }))).toBe(false);
  });
});

describe('gpcFromNavigator', () => {
  it('reads navigator.globalPrivacyControl === true only', () => {
    expect(gpcFromNavigator({ globalPrivacyControl: true })).toBe(true);
    expect(gpcFromNavigator({ globalPrivacyControl: 'true' })).toBe(false);
    expect(gpcFromNavigator({})).toBe(false);
    expect(gpcFromNavigator(undefined)).toBe(false);
    expect(dntFromNavigator({ doNotTrack: '1' })).toBe(true);
    expect(dntFromNavigator({ doNotTrack: 'unspecified' })).toBe(false);
  });
});
