import { describe, expect, it } from 'vitest';
import { callContext, consentQuery, dataSourceQuery, strategyInput } from '../builders.js';
import { describeConsentProviderConformance } from '../consent-provider-conformance.js';
import { describeDataSourceConformance } from '../data-source-conformance.js';
import { describeStrategyConformance } from '../strategy-conformance.js';
import { referenceConsentProvider } from './reference-consent-provider.js';
import { referenceDataSource } from './reference-data-source.js';
import { referenceStrategy } from './reference-strategy.js';

const preferences = { interests: ['coffee', 'kids'], notInterested: ['books'], answers: {} };

describeStrategyConformance('referenceStrategy', {
  create: () => referenceStrategy(),
  sampleInput: { slots: ['home.hero', 'email.header'], data: { 'profile.preferences': preferences } },
});

describeDataSourceConformance('referenceDataSource', {
  create: () => referenceDataSource(),
  seed: (source, subject) => {
    source.put(subject, 'profile.preferences', preferences);
    source.put(subject, 'behavior.purchases', [
      { at: '2026-01-02T10:00:00.000Z', amount: 120000, currency: 'VND' },
    ]);
  },
});

describeConsentProviderConformance('referenceConsentProvider', {
  create: () => referenceConsentProvider(),
  grantingQuery: (provider) => {
    provider.grant('subject-1', 'personalization.profile');
    return { subject: 'subject-1', purposes: ['personalization.profile', 'measurement'] };
  },
});

describe('reference plugins', () => {
  it('the reference strategy proposes the variant of the first declared interest, and vetoes refused topics', async () => {
    const output = await referenceStrategy().decide(
      strategyInput({
        slots: ['home.hero'],
        data: { 'profile.preferences': preferences },
        granted: ['personalization.profile'],
      }),
      callContext(),
    );
    expect(output.proposals).toHaveLength(1);
    expect(output.proposals[0]).toMatchObject({
      slot: 'home.hero',
      variant: 'hero-coffee',
      score: 1,
      origin: 'declared',
    });
    expect(output.vetoes?.map((v) => v.topic)).toEqual(['books']);
    expect(output.signals).toEqual({ 'reference.matched-topics': ['coffee'] });
  });

  it('the reference strategy never proposes a topic the person declared not interesting', async () => {
    const output = await referenceStrategy().decide(
      strategyInput({
        data: { 'profile.preferences': { interests: ['kids'], notInterested: ['kids'], answers: {} } },
      }),
      callContext(),
    );
    expect(output.proposals).toEqual([]);
  });

  it('the reference data source returns copies that cannot change what it holds', async () => {
    const source = referenceDataSource();
    source.put({ id: 'u-1' }, 'profile.attributes', { tier: 'gold' });
    const first = await source.load(
      dataSourceQuery({ subject: 'u-1', categories: ['profile.attributes'] }),
      callContext(),
    );
    (first['profile.attributes'] as Record<string, unknown>)['tier'] = 'changed';
    const second = await source.load(
      dataSourceQuery({ subject: 'u-1', categories: ['profile.attributes'] }),
      callContext(),
    );
    expect(second).toEqual({ 'profile.attributes': { tier: 'gold' } });
  });

  it('the reference data source refuses a category it does not provide', () => {
    const source = referenceDataSource({ categories: ['profile.attributes'] });
    expect(() => source.put({ id: 'u-1' }, 'health', { condition: 'x' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });

  it('the reference consent provider denies withdrawn and expired grants and ignores purposes without a record', async () => {
    const provider = referenceConsentProvider();
    provider.grant('u-1', 'personalization.profile');
    provider.withdraw('u-1', 'personalization.profile');
    provider.grant('u-1', 'measurement', { expiresAt: Date.UTC(2026, 0, 1) });
    provider.grant('u-1', 'marketing.email', { noticeVersion: '2026-01' });
    const state = await provider.resolve(
      consentQuery({
        subject: 'u-1',
        purposes: ['personalization.profile', 'measurement', 'marketing.email', 'personalization.session'],
        now: Date.UTC(2026, 0, 15),
      }),
      callContext(),
    );
    expect(state.purposes['personalization.profile']).toMatchObject({
      status: 'denied',
      reason: 'withdrawn',
    });
    expect(state.purposes['measurement']).toMatchObject({ status: 'denied', reason: 'expired' });
    expect(state.purposes['marketing.email']).toMatchObject({ status: 'granted', noticeVersion: '2026-01' });
    expect(state.purposes['personalization.session']).toBeUndefined();
  });

  it('reference factories reject bad options with INVALID_OPTIONS naming the field', () => {
    expect(() => referenceStrategy({ catalog: [] })).toThrow(/catalog/);
    expect(() => referenceDataSource({ categories: ['Not An Id'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});
