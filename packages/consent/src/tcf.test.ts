import { GVL, TCModel, TCString } from '@iabtcf/core';
import type { ConsentQuery, PluginCallContext } from '@tactful/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tcfConsent } from '@tactful/consent/tcf';

const NOW = Date.parse('2026-03-01T08:00:00.000Z');
const ctx: PluginCallContext = { signal: new AbortController().signal, traceId: 'trace-tcf' };
const MAPPED = [
  'personalization.contextual', // TCF purpose 11
  'personalization.profile', // TCF purposes 5 + 6
  'personalization.session', // TCF purpose 1
  'personalization.precise-location', // special feature 1
  'measurement', // TCF purpose 8
];
const ASKED = [...MAPPED, 'marketing.email', 'necessary'];

/** A small, locally built Global Vendor List (v3 shape): enough to encode real TC strings offline. */
function vendorList(policy = 4) {
  const purposes: Record<number, object> = {};
  for (let i = 1; i <= 11; i++)
    purposes[i] = { id: i, name: `Purpose ${i}`, description: '', illustrations: [] };
  return {
    gvlSpecificationVersion: 3,
    vendorListVersion: 42,
    tcfPolicyVersion: policy,
    lastUpdated: '2026-01-01T00:00:00Z',
    purposes,
    specialPurposes: {},
    features: {},
    specialFeatures: {
      1: { id: 1, name: 'Precise geolocation', description: '' },
      2: { id: 2, name: 'Device scan', description: '' },
    },
    vendors: {
      755: {
        id: 755,
        name: 'Us',
        purposes: [1, 5, 6, 8, 11],
        legIntPurposes: [],
        flexiblePurposes: [],
        specialPurposes: [],
        features: [],
        specialFeatures: [1],
        policyUrl: 'https://example.test',
      },
      99: {
        id: 99,
        name: 'Other',
        purposes: [1, 5],
        legIntPurposes: [],
        flexiblePurposes: [],
        specialPurposes: [],
        features: [],
        specialFeatures: [],
        policyUrl: 'https://example.test',
      },
    },
    stacks: {},
    dataCategories: {},
  };
}

function tcString(
  opts: {
    purposes?: number[];
    specialFeatures?: number[];
    vendors?: number[];
    publisher?: number[];
    policy?: number;
    lastUpdated?: string;
  } = {},
): string {
  const model = new TCModel(new GVL(vendorList(opts.policy) as never));
  model.cmpId = 10;
  model.cmpVersion = 1;
  model.purposeConsents.set(opts.purposes ?? []);
  model.specialFeatureOptins.set(opts.specialFeatures ?? []);
  model.vendorConsents.set(opts.vendors ?? []);
  if (opts.publisher) {
    model.isServiceSpecific = true;
    model.publisherConsents.set(opts.publisher);
  }
  model.lastUpdated = new Date(opts.lastUpdated ?? '2026-02-15T00:00:00Z');
  return TCString.encode(model);
}

const query = (tc: string | undefined, now = NOW): ConsentQuery => ({
  context: tc === undefined ? {} : { tcString: tc },
  purposes: ASKED,
  now,
});
const statuses = (purposes: Record<string, { status: string; reason?: string | undefined }>) =>
  Object.fromEntries(Object.entries(purposes).map(([p, c]) => [p, `${c.status}:${c.reason}`]));

afterEach(() => vi.unstubAllGlobals());

describe('tcfConsent', () => {
  it('maps TCF purpose consents onto the taxonomy: a purpose needs ALL its TCF purposes', async () => {
    const provider = tcfConsent();
    const state = await provider.resolve(query(tcString({ purposes: [1, 5, 8, 11] })), ctx);
    expect(statuses(state.purposes)).toEqual({
      'personalization.contextual': 'granted:tcf',
      'personalization.profile': 'denied:tcf', // 6 missing
      'personalization.session': 'granted:tcf',
      'personalization.precise-location': 'denied:tcf', // special feature 1 not opted in
      measurement: 'granted:tcf',
    });
    const all = await provider.resolve(
      query(tcString({ purposes: [1, 5, 6, 8, 11], specialFeatures: [1] })),
      ctx,
    );
    expect(Object.values(all.purposes).every((p) => p.status === 'granted')).toBe(true);
    expect(all.purposes['marketing.email']).toBeUndefined();
  });

  it('grants precise location only with special feature 1', async () => {
    const provider = tcfConsent();
    const on = await provider.resolve(query(tcString({ specialFeatures: [1] })), ctx);
    expect(on.purposes['personalization.precise-location']?.status).toBe('granted');
    const off = await provider.resolve(query(tcString({ specialFeatures: [2] })), ctx);
    expect(off.purposes['personalization.precise-location']?.status).toBe('denied');
  });

  it('says nothing without a TC string', async () => {
    expect((await tcfConsent().resolve(query(undefined), ctx)).purposes).toEqual({});
    expect((await tcfConsent().resolve(query('  '), ctx)).purposes).toEqual({});
  });

  it('denies every mapped purpose for a malformed string, without throwing', async () => {
    for (const bad of ['garbage!!', 'CQ', 'COwJDpQOwJDpQIAAAAENAPCgAAAAAAAAAAAAAAAAAAAA', 'a'.repeat(300)]) {
      const state = await tcfConsent().resolve(query(bad), ctx);
      expect(Object.keys(state.purposes).sort(), bad).toEqual([...MAPPED].sort());
      for (const p of Object.values(state.purposes)) expect(p.status).toBe('denied');
    }
  });

  it('never throws and never grants for arbitrary strings', async () => {
    const provider = tcfConsent();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.base64String(),
          fc.stringMatching(/^C[A-Za-z0-9_-]{10,80}(\.[A-Za-z0-9_-]{4,20})?$/),
        ),
        async (s) => {
          const state = await provider.resolve(query(s), ctx);
          for (const p of Object.values(state.purposes)) expect(p.status).toBe('denied');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('treats pre-2.2 and stale strings as outdated', async () => {
    const old = await tcfConsent().resolve(query(tcString({ purposes: [1], policy: 2 })), ctx);
    expect(old.purposes['personalization.session']).toMatchObject({
      status: 'denied',
      reason: 'tcf-expired',
    });
    const stale = await tcfConsent().resolve(
      query(tcString({ purposes: [1], lastUpdated: '2024-12-01T00:00:00Z' })),
      ctx,
    );
    expect(stale.purposes['personalization.session']).toMatchObject({
      status: 'denied',
      reason: 'tcf-expired',
    });
    const lenient = await tcfConsent({ maxAgeDays: 900 }).resolve(
      query(tcString({ purposes: [1], lastUpdated: '2024-12-01T00:00:00Z' })),
      ctx,
    );
    expect(lenient.purposes['personalization.session']?.status).toBe('granted');
  });

  it('with vendorId, also needs the vendor consent; with a local vendor list, the vendor must declare the purposes', async () => {
    const tc = tcString({ purposes: [1, 5, 6], vendors: [99] });
    expect(
      (await tcfConsent({ vendorId: 755 }).resolve(query(tc), ctx)).purposes['personalization.session']
        ?.status,
    ).toBe('denied');
    const other = tcfConsent({ vendorId: 99, vendorList: vendorList() });
    const state = await other.resolve(query(tc), ctx);
    expect(state.purposes['personalization.session']?.status).toBe('granted');
    expect(state.purposes['personalization.profile']?.status).toBe('denied'); // vendor 99 does not declare purpose 6
    expect(() => tcfConsent({ vendorId: 1234, vendorList: vendorList() })).toThrow(
      /vendorId 1234 is not in vendor list version 42/,
    );
    expect(() => tcfConsent({ vendorList: vendorList() })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });

  it('reads the publisher segment when publisher: true', async () => {
    const tc = tcString({ purposes: [], publisher: [1, 5, 6] });
    expect((await tcfConsent().resolve(query(tc), ctx)).purposes['personalization.profile']?.status).toBe(
      'denied',
    );
    const state = await tcfConsent({ publisher: true }).resolve(query(tc), ctx);
    expect(state.purposes['personalization.profile']?.status).toBe('granted');
    expect(state.purposes['measurement']?.status).toBe('denied');
  });

  it('never touches the network', async () => {
    const fetch = vi.fn(() => Promise.reject(new Error('network used')));
    vi.stubGlobal('fetch', fetch);
    vi.stubGlobal('XMLHttpRequest', function XMLHttpRequest() {
      throw new Error('network used');
    });
    const provider = tcfConsent({ vendorId: 755, vendorList: vendorList() });
    await provider.resolve(query(tcString({ purposes: [1], vendors: [755] })), ctx);
    await provider.resolve(query('garbage'), ctx);
    expect(fetch).not.toHaveBeenCalled();
  });
});
