import { describe, expect, it } from 'vitest';
import { createOrchestrator } from '../src/index.js';
import { consentProvider, memorySource, request, strategy } from './fixtures.js';

const PROFILE = 'personalization.profile';

describe('preview', () => {
  it('shows what would run, what would be skipped and why, and which sources would be called, calling neither', async () => {
    const shop = memorySource('shop', { 'behavior.purchases': [], 'behavior.cart': { items: [] } });
    const prefs = memorySource('prefs', { 'profile.preferences': {} });
    const segments = strategy('segments', {
      purposes: [PROFILE],
      reads: [{ category: 'behavior.purchases', purpose: PROFILE }],
      publishes: ['segments.memberships'],
    });
    const content = strategy('content', {
      reads: [
        { category: 'context.time', purpose: 'personalization.contextual' },
        { category: 'profile.preferences', purpose: PROFILE },
      ],
      signalReads: ['segments.memberships'],
    });
    const email = strategy('email', {
      purposes: ['marketing.email'],
      reads: [{ category: 'behavior.cart', purpose: 'marketing.email' }],
    });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in', { granted: ['personalization.contextual', PROFILE] })],
      sources: [shop, prefs],
      strategies: [content, email, segments],
    });
    const preview = await tactful.preview(request({ subject: { id: 'u1' } }));
    expect(shop.calls).toHaveLength(0);
    expect(prefs.calls).toHaveLength(0);
    expect(segments.inputs).toHaveLength(0);
    expect(preview.layers).toEqual([['email', 'segments'], ['content']]);
    expect(preview.strategies).toEqual([
      expect.objectContaining({
        name: 'email',
        willRun: false,
        skipped: { code: 'PURPOSE_NOT_GRANTED', reason: 'purpose not granted: marketing.email' },
      }),
      expect.objectContaining({ name: 'segments', willRun: true, layer: 0 }),
      expect.objectContaining({
        name: 'content',
        willRun: true,
        layer: 1,
        waitsFor: ['segments.memberships'],
        categories: [
          {
            category: 'context.time',
            purpose: 'personalization.contextual',
            permitted: true,
            from: 'request',
          },
          { category: 'profile.preferences', purpose: PROFILE, permitted: true, from: ['prefs'] },
        ],
      }),
    ]);
    expect(preview.sources).toEqual([
      { name: 'shop', willCall: true, categories: ['behavior.purchases'], timeoutMs: 300 },
      { name: 'prefs', willCall: true, categories: ['profile.preferences'], timeoutMs: 300 },
    ]);
    expect(preview.consent.purposes['marketing.email']?.status).toBe('denied');
  });

  it('explains why a source would not be called', async () => {
    const shop = memorySource('shop', { 'behavior.purchases': [] });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      sources: [shop],
      strategies: [
        strategy('s', { purposes: [PROFILE], reads: [{ category: 'behavior.purchases', purpose: PROFILE }] }),
      ],
    });
    const anonymous = await tactful.preview(request());
    expect(anonymous.sources[0]).toMatchObject({
      willCall: false,
      reason: expect.stringContaining('needs a subject'),
    });
    const denied = createOrchestrator({
      consent: [consentProvider('opt-in', { granted: [] })],
      sources: [shop],
      strategies: [
        strategy('s', { purposes: [PROFILE], reads: [{ category: 'behavior.purchases', purpose: PROFILE }] }),
      ],
    });
    expect((await denied.preview(request({ subject: { id: 'u1' } }))).sources[0]).toMatchObject({
      willCall: false,
      reason: 'no permitted strategy needs its categories',
    });
  });

  it('rejects a malformed request like decide does', async () => {
    const tactful = createOrchestrator({ consent: [consentProvider('opt-in')], strategies: [strategy('s')] });
    await expect(tactful.preview({ slots: [{ id: '' }] })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
