import type { ConsentQuery, ConsentStore, PluginCallContext } from '@tactful/core';
import { isThenable } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { createConsentManager, gpcConsent, memoryConsentStore, optInConsent } from '@tactful/consent';

const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const ctx: PluginCallContext = { aborted: false, traceId: 'trace-sync' } as PluginCallContext;
const PROFILE = 'personalization.profile';
const NOTICE = { version: '2026-03', hash: 'sha256-aaaaaaaa01' };
const query = (subject: string, context: ConsentQuery['context'] = {}): ConsentQuery => ({
  subject: { id: subject },
  context,
  purposes: [PROFILE, 'necessary'],
  now: T0,
});

describe('consent providers answer synchronously when their store does', () => {
  it('opt-in over the memory store: a value, no promise, and a withdrawal applies to the very next answer', async () => {
    const store = memoryConsentStore({ clock: () => T0 });
    const manager = createConsentManager({ store, clock: () => T0 });
    const provider = optInConsent({ store });
    await manager.grant({ subject: 'u-1', purpose: PROFILE, method: 'banner', notice: NOTICE });
    const granted = provider.resolve(query('u-1'), ctx);
    expect(isThenable(granted)).toBe(false);
    expect((granted as Awaited<typeof granted>).purposes[PROFILE]?.status).toBe('granted');
    await manager.withdraw({ subject: 'u-1', purpose: PROFILE, method: 'preference-center' });
    const next = provider.resolve(query('u-1'), ctx);
    expect(isThenable(next)).toBe(false);
    expect((next as Awaited<typeof next>).purposes[PROFILE]).toMatchObject({
      status: 'denied',
      reason: 'withdrawn',
    });
  });

  it('opt-in over a store that answers with promises still reads it, and a store that fails denies', async () => {
    const inner = memoryConsentStore({ clock: () => T0 });
    await createConsentManager({ store: inner, clock: () => T0 }).grant({
      subject: 'u-1',
      purpose: PROFILE,
      method: 'banner',
      notice: NOTICE,
    });
    const slow: ConsentStore = { ...inner, latest: async (s) => inner.latest(s) };
    const answer = optInConsent({ store: slow }).resolve(query('u-1'), ctx);
    expect(isThenable(answer)).toBe(true);
    expect((await answer).purposes[PROFILE]?.status).toBe('granted');
    const broken: ConsentStore = {
      ...inner,
      latest: () => {
        throw new Error('disk gone');
      },
    };
    expect(
      (await optInConsent({ store: broken }).resolve(query('u-1'), ctx)).purposes[PROFILE],
    ).toMatchObject({
      status: 'denied',
      reason: 'consent-unavailable',
    });
    const rejecting: ConsentStore = { ...inner, latest: () => Promise.reject(new Error('disk gone')) };
    expect(
      (await optInConsent({ store: rejecting }).resolve(query('u-1'), ctx)).purposes[PROFILE],
    ).toMatchObject({ status: 'denied', reason: 'consent-unavailable' });
  });

  it('the memory store rejects a bad subject id (it never throws synchronously)', async () => {
    const store = memoryConsentStore();
    let answer: unknown;
    expect(() => {
      answer = store.latest('bad id!');
    }).not.toThrow();
    await expect(answer).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('gpc without a signal answers at once; with a signal and a store it writes the denial first', async () => {
    const store = memoryConsentStore({ clock: () => T0 });
    const provider = gpcConsent({ store });
    const quiet = provider.resolve(query('u-1'), ctx);
    expect(isThenable(quiet)).toBe(false);
    expect((quiet as Awaited<typeof quiet>).purposes).toEqual({});
    const signalled = await provider.resolve(query('u-1', { gpc: true }), ctx);
    expect(signalled.purposes[PROFILE]).toMatchObject({ status: 'denied', reason: 'gpc' });
    expect((await store.latest('u-1')).get(PROFILE)).toMatchObject({ status: 'denied', method: 'gpc' });
  });
});
