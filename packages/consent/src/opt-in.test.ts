import type { ConsentQuery, ConsentStore, PluginCallContext } from '@tactful/core';
import { isTactfulError } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConsentManager, memoryConsentStore, optInConsent } from '@tactful/consent';

const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const ctx: PluginCallContext = { signal: new AbortController().signal, traceId: 'trace-opt-in' };
const NOTICE = { version: '2026-03', hash: 'sha256-aaaaaaaa01' };
const query = (subject: string | undefined, purposes: string[], now = T0): ConsentQuery => ({
  ...(subject ? { subject: { id: subject } } : {}),
  context: {},
  purposes,
  now,
});

describe('optInConsent', () => {
  it('grants only purposes with a live affirmative grant, and says why for the rest', async () => {
    const store = memoryConsentStore({ clock: () => T0 });
    const consent = createConsentManager({ store, clock: () => T0 });
    const [g] = await consent.grant({
      subject: 'u-1',
      purpose: 'personalization.profile',
      method: 'banner',
      notice: NOTICE,
      expiresAt: '2026-06-01T00:00:00Z',
    });
    await consent.deny({ subject: 'u-1', purpose: 'measurement', method: 'banner' });
    const provider = optInConsent({ store });
    expect(provider.manifest).toMatchObject({ kind: 'consent', name: 'opt-in-consent', canGrant: true });
    const state = await provider.resolve(
      query('u-1', [
        'personalization.profile',
        'measurement',
        'marketing.email',
        'necessary',
        'vendor.unknown',
      ]),
      ctx,
    );
    expect(state.purposes).toEqual({
      'personalization.profile': {
        status: 'granted',
        provider: 'opt-in-consent',
        reason: 'granted',
        recordId: g?.id,
        noticeVersion: '2026-03',
        expiresAt: '2026-06-01T00:00:00.000Z',
      },
      measurement: {
        status: 'denied',
        provider: 'opt-in-consent',
        reason: 'denied',
        recordId: expect.any(String),
      },
      'marketing.email': { status: 'denied', provider: 'opt-in-consent', reason: 'no-record' },
      necessary: { status: 'granted', provider: 'opt-in-consent', reason: 'not-required' },
      'vendor.unknown': { status: 'denied', provider: 'opt-in-consent', reason: 'unknown-purpose' },
    });
    const later = await provider.resolve(
      query('u-1', ['personalization.profile'], Date.parse('2026-06-01T00:00:00Z')),
      ctx,
    );
    expect(later.purposes['personalization.profile']).toMatchObject({ status: 'denied', reason: 'expired' });
  });

  it('applies a withdrawal to the very next resolution', async () => {
    const store = memoryConsentStore();
    const consent = createConsentManager({ store });
    const provider = optInConsent({ store });
    await consent.grant({ subject: 'u-1', purpose: 'measurement', method: 'banner', notice: NOTICE });
    expect(
      (await provider.resolve(query('u-1', ['measurement'], Date.now()), ctx)).purposes['measurement']
        ?.status,
    ).toBe('granted');
    await consent.withdraw({ subject: 'u-1', purpose: 'measurement' });
    expect(
      (await provider.resolve(query('u-1', ['measurement'], Date.now()), ctx)).purposes['measurement'],
    ).toMatchObject({
      status: 'denied',
      reason: 'withdrawn',
    });
  });

  it('grants nothing without a subject; abstains instead when missing: "abstain"', async () => {
    const store = memoryConsentStore();
    expect((await optInConsent({ store }).resolve(query(undefined, ['measurement']), ctx)).purposes).toEqual({
      measurement: { status: 'denied', provider: 'opt-in-consent', reason: 'no-subject' },
    });
    const abstaining = optInConsent({ store, missing: 'abstain' });
    expect((await abstaining.resolve(query(undefined, ['measurement']), ctx)).purposes).toEqual({});
    expect((await abstaining.resolve(query('u-2', ['measurement']), ctx)).purposes).toEqual({});
  });

  it('counts a grant for an older notice section as notice-changed', async () => {
    const store = memoryConsentStore({ clock: () => T0 });
    await createConsentManager({ store }).grant({
      subject: 'u-1',
      purpose: 'measurement',
      method: 'banner',
      notice: NOTICE,
    });
    const current = { version: '2026-04', purposes: { measurement: 'sha256-newnewnew' } };
    const state = await optInConsent({ store, notice: current }).resolve(query('u-1', ['measurement']), ctx);
    expect(state.purposes['measurement']).toMatchObject({ status: 'denied', reason: 'notice-changed' });
    const same = { version: '2026-04', purposes: { measurement: NOTICE.hash } };
    expect(
      (await optInConsent({ store, notice: same }).resolve(query('u-1', ['measurement']), ctx)).purposes[
        'measurement'
      ]?.status,
    ).toBe('granted');
  });

  it('fails closed when the store cannot be read: denies everything asked, or throws CONSENT_UNAVAILABLE', async () => {
    const broken: ConsentStore = {
      ...memoryConsentStore(),
      latest: async () => {
        throw new Error('disk on fire');
      },
    };
    const denied = await optInConsent({ store: broken }).resolve(
      query('u-1', ['measurement', 'necessary']),
      ctx,
    );
    expect(denied.purposes).toEqual({
      measurement: { status: 'denied', provider: 'opt-in-consent', reason: 'consent-unavailable' },
      necessary: { status: 'granted', provider: 'opt-in-consent', reason: 'not-required' },
    });
    await expect(
      optInConsent({ store: broken, onStoreError: 'throw' }).resolve(query('u-1', ['measurement']), ctx),
    ).rejects.toSatisfy((e: unknown) => isTactfulError(e) && e.code === 'CONSENT_UNAVAILABLE');
  });

  it('rejects bad options with INVALID_OPTIONS', () => {
    expect(() => optInConsent({ store: memoryConsentStore(), missing: 'grant' as never })).toThrow(/missing/);
    expect(() => optInConsent({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  it('for any history of acts, grants a purpose exactly when its last act is an unexpired grant', async () => {
    const purposes = ['personalization.profile', 'measurement', 'marketing.email'];
    const act = fc.record({
      purpose: fc.constantFrom(...purposes),
      status: fc.constantFrom('granted' as const, 'denied' as const, 'withdrawn' as const),
      expiresInMs: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(act, { maxLength: 15 }),
        fc.integer({ min: 0, max: 20_000 }),
        async (acts, later) => {
          let now = T0;
          const store = memoryConsentStore({ clock: () => now });
          const consent = createConsentManager({ store, clock: () => now });
          const last = new Map<string, { status: string; expiresAt?: number }>();
          for (const a of acts) {
            now += 1;
            if (a.status === 'granted') {
              const expiresAt = a.expiresInMs === undefined ? undefined : now + a.expiresInMs;
              await consent.grant({
                subject: 'p',
                purpose: a.purpose,
                method: 'preference-center',
                notice: NOTICE,
                ...(expiresAt === undefined ? {} : { expiresAt: new Date(expiresAt).toISOString() }),
              });
              last.set(a.purpose, { status: 'granted', ...(expiresAt === undefined ? {} : { expiresAt }) });
            } else {
              await (a.status === 'denied' ? consent.deny : consent.withdraw)({
                subject: 'p',
                purpose: a.purpose,
              });
              last.set(a.purpose, { status: a.status });
            }
          }
          const at = now + later;
          const state = await optInConsent({ store }).resolve(query('p', purposes, at), ctx);
          for (const p of purposes) {
            const l = last.get(p);
            const expected =
              l?.status === 'granted' && (l.expiresAt === undefined || l.expiresAt > at)
                ? 'granted'
                : 'denied';
            expect(state.purposes[p]?.status).toBe(expected);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
