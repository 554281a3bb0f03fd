import { anonymousSession } from '@tactful/anonymous-session';
import { type Decision, type DecisionRequestInput, defineConsentProvider } from '@tactful/core';
import { createOrchestrator } from '@tactful/orchestrator';
import { TactfulWebProvider } from '@tactful/openfeature/web';
import {
  ClientProviderEvents,
  ErrorCode,
  OpenFeature,
  ProviderEvents,
  ProviderStatus,
  StandardResolutionReasons,
} from '@openfeature/web-sdk';
import { afterAll, describe, expect, it } from 'vitest';

const SESSION = 'personalization.session';
const CATEGORIES = ['women', 'men', 'home', 'toys', 'sale', 'kids'];
const DEFAULT = { kind: 'categories', order: CATEGORIES };

/** The banner's choice; the in-page engine's consent provider reads it for each decision. */
const banner = new Set<string>();
const engine = createOrchestrator({
  consent: [
    defineConsentProvider({
      manifest: { name: 'page-banner', version: '1.0.0', core: '^0.1.0' },
      resolve: ({ purposes }) => ({
        purposes: Object.fromEntries(
          purposes.map((p) => [p, { status: banner.has(p) ? 'granted' : 'denied', provider: 'page-banner' }]),
        ),
      }),
    }),
  ],
  strategies: [anonymousSession({ slots: { categories: 'home.categories' }, categories: CATEGORIES })],
});
const now = Date.now();
const session = {
  id: 'visit_0123456789abcdefgh',
  events: ['train', 'boots', 'book'].map((target, i) => ({
    type: 'product_view',
    target,
    topics: ['kids'],
    at: new Date(now - (3 - i) * 1000).toISOString(),
  })),
};

/** The engine with a delay before each answer, and a count of decisions. */
function slowEngine(ms: { value: number }) {
  const calls: DecisionRequestInput[] = [];
  return {
    calls,
    decider: {
      async decide(request: DecisionRequestInput): Promise<Decision> {
        calls.push(request);
        const decision = await engine.decide(request);
        await new Promise((r) => setTimeout(r, ms.value));
        return decision;
      },
    },
  };
}

afterAll(() => OpenFeature.close());

const granted = (g: string[]) => ({ session, consent: { granted: g } });

describe('TactfulWebProvider with @openfeature/web-sdk', () => {
  it('decides the flags when the context is set and reads them synchronously; a withdrawal is never followed by a personalized value', async () => {
    const delay = { value: 30 };
    const { decider, calls } = slowEngine(delay);
    const provider = new TactfulWebProvider({ decider, flags: { categories: 'home.categories' } });
    banner.add(SESSION);
    await OpenFeature.setProviderAndWait('web-1', provider, granted([SESSION]));
    const client = OpenFeature.getClient('web-1');
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    const personalized = client.getObjectDetails('categories', DEFAULT);
    expect((personalized.value as typeof DEFAULT).order[0]).toBe('kids');
    expect(personalized).toMatchObject({
      reason: StandardResolutionReasons.TARGETING_MATCH,
      flagMetadata: { strategy: '@tactful/anonymous-session', purposes: SESSION },
    });
    expect(calls).toHaveLength(1);

    // Withdraw: the context changes; until the new decision is in, the default (STALE), then the default (CONSENT_DENIED).
    banner.clear();
    const reconciling = new Promise((resolve) => OpenFeature.addHandler(ProviderEvents.Reconciling, resolve));
    const changed = new Promise((resolve) => OpenFeature.addHandler(ProviderEvents.ContextChanged, resolve));
    const setting = OpenFeature.setContext('web-1', granted([]));
    const during = client.getObjectDetails('categories', DEFAULT);
    expect(during).toMatchObject({ value: DEFAULT, reason: StandardResolutionReasons.STALE });
    await reconciling;
    await setting;
    await changed;
    const after = client.getObjectDetails('categories', DEFAULT);
    expect(after).toMatchObject({ value: DEFAULT, reason: 'CONSENT_DENIED' });
    expect(after.errorCode).toBeUndefined();
    await OpenFeature.clearProviders();
  });

  it('drops an answer made for a context that changed while it was on its way', async () => {
    const delay = { value: 200 };
    const { decider } = slowEngine(delay);
    const provider = new TactfulWebProvider({ decider, flags: { categories: 'home.categories' } });
    banner.clear();
    await OpenFeature.setProviderAndWait('web-2', provider, granted([]));
    const client = OpenFeature.getClient('web-2');
    banner.add(SESSION);
    const first = OpenFeature.setContext('web-2', granted([SESSION]));
    await new Promise((r) => setTimeout(r, 20));
    banner.clear();
    delay.value = 10;
    const second = OpenFeature.setContext('web-2', granted([]));
    await Promise.all([first, second]);
    await new Promise((r) => setTimeout(r, 300));
    const details = client.getObjectDetails('categories', DEFAULT);
    expect(details.value).toEqual(DEFAULT);
    expect(details.reason).toBe('CONSENT_DENIED');
    await OpenFeature.clearProviders();
  });

  it('the client sees Reconciling and then ContextChanged when the context changes, and is RECONCILING meanwhile (spec 5.3.4.1)', async () => {
    const provider = new TactfulWebProvider({ decider: engine, flags: { categories: 'home.categories' } });
    await OpenFeature.setProviderAndWait('web-3', provider, granted([]));
    const client = OpenFeature.getClient('web-3');
    const seen: string[] = [];
    client.addHandler(ProviderEvents.Reconciling, () => seen.push('reconciling'));
    client.addHandler(ClientProviderEvents.ContextChanged, () => seen.push('changed'));
    const setting = OpenFeature.setContext('web-3', granted([SESSION]));
    expect(client.providerStatus).toBe(ProviderStatus.RECONCILING);
    await setting;
    expect(seen).toEqual(['reconciling', 'changed']);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    await OpenFeature.clearProviders();
  });

  it('an invalid context is INVALID_CONTEXT with the default; an unknown flag FLAG_NOT_FOUND; a failing decider GENERAL', async () => {
    const provider = new TactfulWebProvider({ decider: engine, flags: { categories: 'home.categories' } });
    await OpenFeature.setProviderAndWait('web-4', provider, { targetingKey: 'not an id!', session });
    const client = OpenFeature.getClient('web-4');
    const bad = client.getObjectDetails('categories', DEFAULT);
    expect(bad).toMatchObject({ value: DEFAULT, errorCode: ErrorCode.INVALID_CONTEXT });
    expect(bad.errorMessage).toMatch(/targetingKey/);
    expect(client.getBooleanDetails('other', true)).toMatchObject({
      value: true,
      errorCode: ErrorCode.FLAG_NOT_FOUND,
    });

    const failing = new TactfulWebProvider({
      decider: { decide: () => Promise.reject(new Error('offline')) },
      flags: { categories: 'home.categories' },
    });
    await OpenFeature.setProviderAndWait('web-5', failing, granted([SESSION]));
    const down = OpenFeature.getClient('web-5').getObjectDetails('categories', DEFAULT);
    expect(down).toMatchObject({ value: DEFAULT, errorCode: ErrorCode.GENERAL });
    expect(down.errorMessage).toMatch(/offline/);
    expect(OpenFeature.getClient('web-5').providerStatus).toBe(ProviderStatus.READY);
    await OpenFeature.clearProviders();
  });

  it('refresh() decides again for the same context and emits ConfigurationChanged', async () => {
    banner.clear();
    const provider = new TactfulWebProvider({ decider: engine, flags: { categories: 'home.categories' } });
    // No consent snapshot in the context: the engine's consent provider is the only judge.
    await OpenFeature.setProviderAndWait('web-6', provider, { session });
    const client = OpenFeature.getClient('web-6');
    expect(client.getObjectValue('categories', DEFAULT)).toEqual(DEFAULT);
    banner.add(SESSION);
    const changed = new Promise((resolve) =>
      client.addHandler(ClientProviderEvents.ConfigurationChanged, resolve),
    );
    const refreshing = provider.refresh();
    expect(client.getObjectDetails('categories', DEFAULT).reason).toBe(StandardResolutionReasons.STALE);
    await refreshing;
    expect(await changed).toMatchObject({ flagsChanged: ['categories'] });
    expect((client.getObjectValue('categories', DEFAULT) as typeof DEFAULT).order[0]).toBe('kids');
    banner.clear();
    await OpenFeature.clearProviders();
  });

  it('becomes READY with defaults (GENERAL) when the decider hangs past timeoutMs', async () => {
    const hanging = new TactfulWebProvider({
      decider: { decide: () => new Promise<Decision>(() => {}) },
      flags: { categories: 'home.categories' },
      timeoutMs: 50,
    });
    await OpenFeature.setProviderAndWait('web-hang', hanging, granted([SESSION]));
    const client = OpenFeature.getClient('web-hang');
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(client.getObjectDetails('categories', DEFAULT)).toMatchObject({
      value: DEFAULT,
      errorCode: ErrorCode.GENERAL,
    });
    await OpenFeature.clearProviders();
  });

  it('refuses a provider without flags', () => {
    expect(() => new TactfulWebProvider({ decider: engine, flags: {} })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});
