import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConsentBannerOptions, createConsentBanner } from './banner.js';
import { TactfulClientError } from './errors.js';
import type { ConsentChoices, ConsentStatus } from './types.js';

const PURPOSES = ['personalization.profile', 'personalization.session', 'personalization.contextual'];

/** A consent "server" in memory that records what the banner asked, as the real one answers. */
function fakeClient(initial: Record<string, 'granted' | 'denied'> = {}) {
  const recorded: Record<string, 'granted' | 'denied'> = { ...initial };
  const calls: Array<{ kind: string; choices?: ConsentChoices; method?: string | undefined }> = [];
  const status = (): ConsentStatus => ({
    purposes: Object.fromEntries(
      PURPOSES.map((p) => [p, { status: recorded[p] ?? 'denied', reason: recorded[p] ?? 'no-record' }]),
    ),
    noticeVersion: 'notice-1',
    signals: { gpc: false, dnt: false },
  });
  const client: ConsentBannerOptions['client'] = {
    consent: async () => status(),
    choose: async (choices) => {
      calls.push({ kind: 'choose', choices });
      for (const p of choices.grant ?? []) recorded[p] = 'granted';
      for (const p of choices.deny ?? []) recorded[p] = 'denied';
      return status();
    },
    withdrawAll: async (o) => {
      calls.push({ kind: 'withdrawAll', method: o?.method });
      for (const p of Object.keys(recorded)) recorded[p] = 'denied';
      return status();
    },
  };
  return { client, calls, recorded };
}

describe('createConsentBanner', () => {
  it('nothing is pre-ticked, before and after loading a first visit', async () => {
    const { client } = fakeClient();
    const banner = createConsentBanner({ client, purposes: PURPOSES });
    expect(banner.getState()).toMatchObject({ status: 'idle', recorded: undefined });
    expect(Object.values(banner.getState().choices)).toEqual([false, false, false]);
    await banner.load();
    expect(Object.values(banner.getState().choices)).toEqual([false, false, false]);
  });

  it('load ticks exactly what the person granted before', async () => {
    const { client } = fakeClient({ 'personalization.session': 'granted' });
    const banner = createConsentBanner({ client, purposes: PURPOSES });
    await banner.load();
    expect(banner.getState().choices).toEqual({
      'personalization.profile': false,
      'personalization.session': true,
      'personalization.contextual': false,
    });
  });

  it('accept all, reject all and withdraw all are one call each; save records ticks and refusals at once with the notice seen', async () => {
    const { client, calls } = fakeClient();
    const banner = createConsentBanner({ client, purposes: PURPOSES, locale: 'vi-VN' });
    await banner.load();
    await banner.acceptAll();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.choices).toMatchObject({
      grant: PURPOSES,
      deny: [],
      method: 'banner',
      locale: 'vi-VN',
      noticeVersion: 'notice-1',
    });
    await banner.rejectAll();
    expect(calls[1]?.choices).toMatchObject({ grant: [], deny: PURPOSES });
    banner.toggle('personalization.session');
    expect(calls).toHaveLength(2); // a tick is not recorded until saved
    await banner.save();
    expect(calls[2]?.choices).toMatchObject({
      grant: ['personalization.session'],
      deny: ['personalization.profile', 'personalization.contextual'],
    });
    await banner.withdrawAll();
    expect(calls[3]).toEqual({ kind: 'withdrawAll', method: 'preference-center' });
    expect(Object.values(banner.getState().choices)).toEqual([false, false, false]);
  });

  it('for every sequence of toggles, save grants exactly the ticked purposes and denies the rest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...PURPOSES), { maxLength: 12 }), async (toggles) => {
        const { client, recorded } = fakeClient();
        const banner = createConsentBanner({ client, purposes: PURPOSES });
        for (const p of toggles) banner.toggle(p);
        const ticked = PURPOSES.filter((p) => toggles.filter((t) => t === p).length % 2 === 1);
        await banner.save();
        expect(PURPOSES.filter((p) => recorded[p] === 'granted')).toEqual(ticked);
        expect(PURPOSES.filter((p) => banner.getState().choices[p])).toEqual(ticked);
      }),
    );
  });

  it('subscribers see every change (busy, then the result) and can unsubscribe', async () => {
    const { client } = fakeClient();
    const banner = createConsentBanner({ client, purposes: PURPOSES });
    const seen: string[] = [];
    const off = banner.subscribe((s) => seen.push(s.status));
    await banner.acceptAll();
    expect(seen).toEqual(['busy', 'idle']);
    off();
    await banner.rejectAll();
    expect(seen).toHaveLength(2);
  });

  it('a failed save keeps the ticks, says why, and records nothing', async () => {
    const failing: ConsentBannerOptions['client'] = {
      ...fakeClient().client,
      choose: async () => {
        throw new TactfulClientError('STORE_FAILED', 'nothing was recorded', {
          status: 503,
          recorded: false,
        });
      },
    };
    const banner = createConsentBanner({ client: failing, purposes: PURPOSES });
    banner.toggle('personalization.profile');
    const state = await banner.save();
    expect(state.status).toBe('error');
    expect(state.error).toMatchObject({ code: 'STORE_FAILED', recorded: false });
    expect(state.choices['personalization.profile']).toBe(true);
    expect(state.recorded).toBeUndefined();
  });

  it('refuses an unknown purpose and an empty list', () => {
    const banner = createConsentBanner({ client: fakeClient().client, purposes: PURPOSES });
    expect(() => banner.toggle('marketing.email')).toThrow(/not one this banner asks about/);
    expect(() => banner.toggle('__proto__')).toThrow(TactfulClientError);
    expect(() => createConsentBanner({ client: fakeClient().client, purposes: [] })).toThrow(/purposes/);
  });
});
