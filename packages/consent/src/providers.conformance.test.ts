import { GVL, TCModel, TCString } from '@iabtcf/core';
import { consentGrant, describeConsentProviderConformance } from '@tactful/testing';
import { gpcConsent, memoryConsentStore, optInConsent } from '@tactful/consent';
import { tcfConsent } from '@tactful/consent/tcf';
import type { ConsentStore } from '@tactful/core';

const stores = new WeakMap<object, ConsentStore>();

describeConsentProviderConformance('optInConsent', {
  create: () => {
    // Records written at the kit's fixed moment (a record dated after the query's now proves nothing).
    const store = memoryConsentStore({ clock: () => Date.parse('2026-01-15T10:00:00.000Z') });
    const provider = optInConsent({ store });
    stores.set(provider, store);
    return provider;
  },
  grantingQuery: async (provider) => {
    const store = stores.get(provider)!;
    await store.append(
      consentGrant({ subject: 'conformance-subject-a', purpose: 'personalization.profile' }),
    );
    return { subject: 'conformance-subject-a', purposes: ['personalization.profile', 'measurement'] };
  },
});

describeConsentProviderConformance('gpcConsent', { create: () => gpcConsent() });

describeConsentProviderConformance('gpcConsent (recording to a store)', {
  create: () => gpcConsent({ store: memoryConsentStore() }),
  grantingQuery: () => ({
    subject: 'conformance-subject-a',
    purposes: ['measurement'],
    context: { gpc: true },
  }),
});

function grantingTcString(): string {
  const purposes: Record<number, object> = {};
  for (let i = 1; i <= 11; i++)
    purposes[i] = { id: i, name: `Purpose ${i}`, description: '', illustrations: [] };
  const gvl = new GVL({
    gvlSpecificationVersion: 3,
    vendorListVersion: 7,
    tcfPolicyVersion: 4,
    lastUpdated: '2026-01-01T00:00:00Z',
    purposes,
    specialPurposes: {},
    features: {},
    specialFeatures: {},
    vendors: {},
    stacks: {},
    dataCategories: {},
  } as never);
  const model = new TCModel(gvl);
  model.cmpId = 10;
  model.cmpVersion = 1;
  model.purposeConsents.set([1, 8, 11]);
  model.lastUpdated = new Date();
  return TCString.encode(model);
}

describeConsentProviderConformance('tcfConsent', {
  create: () => tcfConsent(),
  grantingQuery: () => ({
    purposes: ['measurement', 'personalization.session'],
    context: { tcString: grantingTcString() },
  }),
});
