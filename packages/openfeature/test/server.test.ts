import type { Tactful } from '@tactful/config';
import type { Decision, DecisionRequestInput } from '@tactful/core';
import { explanationHook, type ExplanationEvent } from '@tactful/openfeature';
import { TactfulServerProvider } from '@tactful/openfeature/server';
import {
  type Client,
  ErrorCode,
  OpenFeature,
  ProviderEvents,
  ProviderStatus,
  StandardResolutionReasons,
} from '@openfeature/server-sdk';
import { SUBJECT_HEADER, type TactfulServer, createServer, tokenDigest } from '@tactful/server';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GARDEN_HERO, HERO_DEFAULT, PROFILE, gardener, shop } from '@tactful/test-fixtures';

let tactful: Tactful;
beforeAll(async () => {
  tactful = await shop();
  await gardener(tactful, 'alice');
  await gardener(tactful, 'bob', false);
});
afterAll(async () => {
  await OpenFeature.close();
  await tactful.close();
});
afterEach(() => OpenFeature.clearHooks());

async function clientWith(provider: TactfulServerProvider, domain: string): Promise<Client> {
  await OpenFeature.setProviderAndWait(domain, provider);
  return OpenFeature.getClient(domain);
}

describe('TactfulServerProvider with @openfeature/server-sdk', () => {
  it('returns the slot content for a person who consented, with reason, variant and the strategy and purposes in the metadata', async () => {
    const client = await clientWith(new TactfulServerProvider({ decider: tactful.engine }), 'shop-1');
    const details = await client.getObjectDetails('home.hero', HERO_DEFAULT, { targetingKey: 'alice' });
    expect(details.value).toEqual(GARDEN_HERO);
    expect(details.reason).toBe(StandardResolutionReasons.TARGETING_MATCH);
    expect(details.variant).toBe('garden');
    expect(details.errorCode).toBeUndefined();
    expect(details.flagMetadata).toMatchObject({ slot: 'home.hero', strategy: '@tactful/dynamic-content' });
    expect(String(details.flagMetadata.purposes).split(',')).toContain(PROFILE);
    expect(details.flagMetadata.explanation).toMatch(/^Because you belong to a customer group/);
    expect(typeof details.flagMetadata.traceId).toBe('string');
  });

  it('gives the default value with reason CONSENT_DENIED, never an error, to a person who did not consent', async () => {
    const client = await clientWith(new TactfulServerProvider({ decider: tactful.engine }), 'shop-2');
    const details = await client.getObjectDetails('home.hero', HERO_DEFAULT, { targetingKey: 'bob' });
    expect(details).toMatchObject({ value: HERO_DEFAULT, reason: 'CONSENT_DENIED' });
    expect(details.errorCode).toBeUndefined();
    expect(details.flagMetadata).toMatchObject({ strategy: 'default', purposes: '' });
  });

  it('applies a withdrawal to the very next evaluation', async () => {
    await gardener(tactful, 'carol');
    const client = await clientWith(new TactfulServerProvider({ decider: tactful.engine }), 'shop-3');
    expect(await client.getObjectValue('home.hero', HERO_DEFAULT, { targetingKey: 'carol' })).toEqual(
      GARDEN_HERO,
    );
    await tactful.consent.withdraw({ subject: 'carol', purpose: PROFILE });
    expect(await client.getObjectValue('home.hero', HERO_DEFAULT, { targetingKey: 'carol' })).toEqual(
      HERO_DEFAULT,
    );
  });

  it('maps the evaluation context with the schema checks of a request: a bad targeting key or field is INVALID_CONTEXT with the default', async () => {
    const client = await clientWith(new TactfulServerProvider({ decider: tactful.engine }), 'shop-4');
    const email = await client.getObjectDetails('home.hero', HERO_DEFAULT, {
      targetingKey: 'alice@example.com smith',
    });
    expect(email).toMatchObject({
      value: HERO_DEFAULT,
      errorCode: ErrorCode.INVALID_CONTEXT,
      reason: StandardResolutionReasons.ERROR,
    });
    expect(email.errorMessage).toMatch(/targetingKey/);
    const gpc = await client.getObjectDetails('home.hero', HERO_DEFAULT, {
      targetingKey: 'alice',
      gpc: 'yes',
    });
    expect(gpc).toMatchObject({ errorCode: ErrorCode.INVALID_CONTEXT });
    expect(gpc.errorMessage).toMatch(/gpc/);
    const consent = await client.getObjectDetails('home.hero', HERO_DEFAULT, {
      targetingKey: 'alice',
      consent: { granted: 'all' },
    });
    expect(consent).toMatchObject({ errorCode: ErrorCode.INVALID_CONTEXT });
    expect(consent.errorMessage).toMatch(/consent\.granted/);
  });

  it('withholds personalized content the caller says the person has not granted (consent in the context)', async () => {
    const client = await clientWith(new TactfulServerProvider({ decider: tactful.engine }), 'shop-5');
    const details = await client.getObjectDetails('home.hero', HERO_DEFAULT, {
      targetingKey: 'alice',
      consent: { granted: [] },
    });
    expect(details).toMatchObject({ value: HERO_DEFAULT, reason: 'CONSENT_DENIED' });
  });

  it('answers TYPE_MISMATCH with the default for content of another type, and FLAG_NOT_FOUND for an unmapped flag', async () => {
    const client = await clientWith(
      new TactfulServerProvider({ decider: tactful.engine, flags: { hero: 'home.hero' } }),
      'shop-6',
    );
    const asString = await client.getStringDetails('hero', 'welcome', { targetingKey: 'alice' });
    expect(asString).toMatchObject({ value: 'welcome', errorCode: ErrorCode.TYPE_MISMATCH });
    expect(asString.errorMessage).toMatch(/object content, not a string/);
    const missing = await client.getBooleanDetails('home.hero', false, { targetingKey: 'alice' });
    expect(missing).toMatchObject({ value: false, errorCode: ErrorCode.FLAG_NOT_FOUND });
  });

  it('decides the flags evaluated in the same tick with the same context in one request', async () => {
    const calls: DecisionRequestInput[] = [];
    const decider = {
      decide(r: DecisionRequestInput) {
        calls.push(r);
        return tactful.engine.decide(r);
      },
    };
    const client = await clientWith(new TactfulServerProvider({ decider }), 'shop-7');
    const ctx = { targetingKey: 'alice' };
    const [a, b] = await Promise.all([
      client.getObjectValue('home.hero', HERO_DEFAULT, ctx),
      client.getObjectValue('home.banner', { banner: 'none' }, ctx),
      client.getObjectValue('home.hero', HERO_DEFAULT, ctx),
    ]);
    expect(a).toEqual(GARDEN_HERO);
    expect(b).toEqual({ banner: 'none' });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.slots.map((s) => s.id).sort()).toEqual(['home.banner', 'home.hero']);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('boom');
      },
    ],
    ['rejects', () => Promise.reject(new TypeError('network down'))],
    ['answers null', () => Promise.resolve(null)],
    ['answers junk slots', () => Promise.resolve({ slots: [1, 'x', null] })],
    [
      'answers a slot without an explanation',
      () => Promise.resolve({ slots: [{ slot: 'home.hero', content: { x: 1 }, isDefault: false }] }),
    ],
  ])(
    'never throws when the decider %s: the default value with an error code or reason',
    async (_n, decide) => {
      const client = await clientWith(
        new TactfulServerProvider({ decider: { decide: decide as never } }),
        `hostile-${_n}`,
      );
      const details = await client.getObjectDetails('home.hero', HERO_DEFAULT, { targetingKey: 'alice' });
      expect(details.value).toEqual(HERO_DEFAULT);
      expect(details.errorCode === ErrorCode.GENERAL || details.reason === 'CONSENT_DENIED').toBe(true);
    },
  );

  it('answers the default with GENERAL when the decider hangs past timeoutMs, instead of hanging the evaluation', async () => {
    const hanging = { decide: () => new Promise<Decision>(() => {}) };
    const client = await clientWith(
      new TactfulServerProvider({ decider: hanging, timeoutMs: 50 }),
      'hanging',
    );
    const details = await client.getObjectDetails('home.hero', HERO_DEFAULT, { targetingKey: 'alice' });
    expect(details).toMatchObject({ value: HERO_DEFAULT, errorCode: ErrorCode.GENERAL });
    expect(details.errorMessage).toMatch(/longer than 50 ms/);
  });

  it('for every evaluation context, never throws and returns the default or the slot content', async () => {
    const client = await clientWith(new TactfulServerProvider({ decider: tactful.engine }), 'shop-prop');
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.date({ noInvalidDate: true }),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
    );
    const key = fc.constantFrom(
      'targetingKey',
      'locale',
      'timeZone',
      'gpc',
      'dnt',
      'url',
      'attributes',
      'session',
      'consent',
      'now',
      'geo',
      '__proto__',
      'constructor',
      'other',
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, value, { maxKeys: 5 }), async (context) => {
        const details = await client.getObjectDetails('home.hero', HERO_DEFAULT, context as never);
        expect([JSON.stringify(HERO_DEFAULT), JSON.stringify(GARDEN_HERO)]).toContain(
          JSON.stringify(details.value),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('is READY once set, runs READY handlers, and signals configuration changes', async () => {
    const provider = new TactfulServerProvider({ decider: tactful.engine });
    const client = await clientWith(provider, 'shop-events');
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    const ready = await new Promise((resolve) => client.addHandler(ProviderEvents.Ready, resolve));
    expect(ready).toMatchObject({ providerName: 'tactful' });
    const changed = new Promise((resolve) => client.addHandler(ProviderEvents.ConfigurationChanged, resolve));
    provider.configurationChanged(['home.hero']);
    expect(await changed).toMatchObject({ flagsChanged: ['home.hero'], providerName: 'tactful' });
  });

  it('adds the explanation in the after stage, and a failing sink breaks nothing', async () => {
    const events: ExplanationEvent[] = [];
    const client = await clientWith(new TactfulServerProvider({ decider: tactful.engine }), 'shop-hook');
    client.addHooks(
      explanationHook({ onExplanation: (e) => events.push(e) }),
      explanationHook({
        onExplanation: () => {
          throw new Error('sink down');
        },
      }),
    );
    expect(await client.getObjectValue('home.hero', HERO_DEFAULT, { targetingKey: 'alice' })).toEqual(
      GARDEN_HERO,
    );
    expect(await client.getObjectValue('home.hero', HERO_DEFAULT, { targetingKey: 'bob' })).toEqual(
      HERO_DEFAULT,
    );
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      flagKey: 'home.hero',
      slot: 'home.hero',
      variant: 'garden',
      explanation: { strategy: '@tactful/dynamic-content' },
    });
    expect(events[0]?.explanation.purposes).toContain(PROFILE);
    expect(events[0]?.explanation.summary.vi).toBeTruthy();
    expect(events[1]).toMatchObject({
      reason: 'CONSENT_DENIED',
      explanation: { strategy: 'default', purposes: [] },
    });
  });

  it('refuses options without a decider, or with a flag mapped to a bad slot id', () => {
    expect(() => new TactfulServerProvider({} as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
    expect(
      () => new TactfulServerProvider({ decider: tactful.engine, flags: { hero: 'home hero' } }),
    ).toThrow(/flags\["hero"\]/);
  });
});

describe('TactfulServerProvider against @tactful/server over HTTP', () => {
  let server: TactfulServer;
  let url: string;
  let remote: Tactful;
  const TOKEN = 'service-token-0123456789abcdef';
  beforeAll(async () => {
    remote = await shop({ server: { tokens: [{ name: 'web', sha256: tokenDigest(TOKEN) }] } });
    await gardener(remote, 'alice');
    server = await createServer(remote, { log: false });
    url = (await server.listen({ port: 0, host: '127.0.0.1' })).url;
  });
  afterAll(async () => {
    await server.close();
    await remote.close();
  });

  it('decides through POST /v1/decide as a service acting for the targeting key', async () => {
    const decider = {
      async decide(request: DecisionRequestInput): Promise<Decision> {
        const response = await fetch(`${url}/v1/decide`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
            ...(request.subject ? { [SUBJECT_HEADER]: request.subject.id } : {}),
          },
          body: JSON.stringify({
            slots: request.slots,
            ...(request.context ? { context: request.context } : {}),
          }),
        });
        if (!response.ok) throw new Error(`decide answered ${response.status}`);
        return (await response.json()) as Decision;
      },
    };
    const client = await clientWith(new TactfulServerProvider({ decider }), 'remote');
    expect(await client.getObjectDetails('home.hero', HERO_DEFAULT, { targetingKey: 'alice' })).toMatchObject(
      { value: GARDEN_HERO, variant: 'garden' },
    );
    expect(
      await client.getObjectDetails('home.hero', HERO_DEFAULT, { targetingKey: 'nobody-1' }),
    ).toMatchObject({ value: HERO_DEFAULT });
    await remote.consent.withdraw({ subject: 'alice', purpose: PROFILE });
    expect(await client.getObjectValue('home.hero', HERO_DEFAULT, { targetingKey: 'alice' })).toEqual(
      HERO_DEFAULT,
    );
  });
});
