// The web provider with @tactful/client as its decider, against a real @tactful/server on
// 127.0.0.1: the client is passed as it is (no wrapper), consent is granted and withdrawn through
// it, and the flags answer their defaults with a reason — never an error thrown — when consent is
// denied, the request names a person the browser may not name, or the server is down.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenFeature, StandardResolutionReasons } from '@openfeature/web-sdk';
import { type ConsentStatus, createClient } from '@tactful/client';
import type { Tactful } from '@tactful/config';
import { TACTFUL_REASONS } from '@tactful/openfeature';
import { TactfulWebProvider } from '@tactful/openfeature/web';
import { type ListeningServer, type TactfulServer, createServer } from '@tactful/server';
import { GARDEN_HERO, HERO_DEFAULT, PROFILE, browserFetch, shop } from '@tactful/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let tactful: Tactful;
let server: TactfulServer;
let listening: ListeningServer;

beforeAll(async () => {
  tactful = await shop();
  server = await createServer(tactful, { log: false, secureCookies: false });
  listening = await server.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await OpenFeature.close();
  await server?.close();
  await tactful?.close();
});

const grantedIn = (status: ConsentStatus) =>
  Object.entries(status.purposes)
    .filter(([, p]) => p.status === 'granted')
    .map(([purpose]) => purpose);

describe('TactfulWebProvider with @tactful/client against a running server', () => {
  it('consent denied gives the default with CONSENT_DENIED; granted, the personalized value; withdrawn, the default again', async () => {
    const page = browserFetch(listening.url);
    const client = createClient({ baseUrl: listening.url, fetch: page.fetch });
    const provider = new TactfulWebProvider({ decider: client, flags: { hero: 'home.hero' } });
    await OpenFeature.setProviderAndWait('client-1', provider, { consent: { granted: [] } });
    const flags = OpenFeature.getClient('client-1');

    const denied = flags.getObjectDetails('hero', HERO_DEFAULT);
    expect(denied).toMatchObject({ value: HERO_DEFAULT, reason: TACTFUL_REASONS.consentDenied });
    expect(denied.errorCode).toBeUndefined();

    // The person grants through the client (the first grant sets the signed id cookie), declares an interest.
    const asked = await client.consent();
    let status = await client.choose({ grant: Object.keys(asked.purposes) });
    await client.declarePreferences({ interests: ['garden'] });
    await OpenFeature.setContext('client-1', { consent: { granted: grantedIn(status) } });
    const personalized = flags.getObjectDetails('hero', HERO_DEFAULT);
    expect(personalized).toMatchObject({
      value: GARDEN_HERO,
      reason: StandardResolutionReasons.TARGETING_MATCH,
      variant: 'garden',
    });
    expect(String(personalized.flagMetadata.purposes)).toContain(PROFILE);
    expect(personalized.flagMetadata.explanation).toMatch(/customer group/);

    // Withdrawn through the client: the very next evaluation after the context change is the default.
    status = await client.withdraw(PROFILE);
    const setting = OpenFeature.setContext('client-1', { consent: { granted: grantedIn(status) } });
    expect(flags.getObjectDetails('hero', HERO_DEFAULT)).toMatchObject({
      value: HERO_DEFAULT,
      reason: StandardResolutionReasons.STALE,
    });
    await setting;
    expect(flags.getObjectDetails('hero', HERO_DEFAULT)).toMatchObject({
      value: HERO_DEFAULT,
      reason: TACTFUL_REASONS.consentDenied,
    });
    await OpenFeature.clearProviders();
  });

  it('a targetingKey (a person the browser may not name) or a server that is down: the default, never a throw', async () => {
    const page = browserFetch(listening.url);
    const sent: string[] = [];
    const counting: typeof fetch = (url, init) => {
      sent.push(String(url));
      return page.fetch(url, init);
    };
    const client = createClient({ baseUrl: listening.url, fetch: counting });
    const provider = new TactfulWebProvider({ decider: client, flags: { hero: 'home.hero' } });
    await OpenFeature.setProviderAndWait('client-2', provider, { targetingKey: 'alice' });
    const named = OpenFeature.getClient('client-2').getObjectDetails('hero', HERO_DEFAULT);
    expect(named).toMatchObject({
      value: HERO_DEFAULT,
      reason: StandardResolutionReasons.DEFAULT,
      flagMetadata: { degraded: true, degradedReason: 'rejected' },
    });
    expect(sent).toEqual([]);
    await OpenFeature.clearProviders();

    const closed = createHttpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const downUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const down = new TactfulWebProvider({
      decider: createClient({ baseUrl: downUrl }),
      flags: { hero: 'home.hero', title: 'home.hero' },
    });
    await OpenFeature.setProviderAndWait('client-3', down, { consent: { granted: [PROFILE] } });
    const flags = OpenFeature.getClient('client-3');
    expect(flags.getObjectDetails('hero', HERO_DEFAULT)).toMatchObject({
      value: HERO_DEFAULT,
      flagMetadata: { degraded: true, degradedReason: 'network' },
    });
    // A string flag on the same slot: the caller's default, the same reason.
    expect(flags.getStringDetails('title', 'Welcome')).toMatchObject({
      value: 'Welcome',
      reason: StandardResolutionReasons.DEFAULT,
      flagMetadata: { degraded: true },
    });
    await OpenFeature.clearProviders();
  });
});
