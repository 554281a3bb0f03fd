import { describe, expect, it } from 'vitest';
import { createOrchestrator } from '../src/index.js';
import { consentProvider, memorySource, mutableConsent, request, strategy, NOW } from './fixtures.js';

const PROFILE = 'personalization.profile';
const CONTEXTUAL = 'personalization.contextual';

const preferences = { interests: ['kids'], notInterested: ['wine'], answers: {} };
const purchases = [{ at: '2026-01-01T00:00:00Z', amount: 120, topics: ['wine'] }];

describe('decide', () => {
  it('serves each slot with an explanation fit to show a person', async () => {
    const prefs = memorySource('prefs', { 'profile.preferences': preferences });
    const reader = strategy('preference-picks', {
      purposes: [PROFILE],
      reads: [{ category: 'profile.preferences', purpose: PROFILE }],
      decide: () => ({
        proposals: [
          {
            slot: 'home.hero',
            content: { title: 'Toys for kids' },
            variant: 'kids',
            score: 0.9,
            reason: {
              en: 'You told us you are interested in kids.',
              vi: 'Bạn cho biết bạn quan tâm đến trẻ em.',
            },
            signals: ['interest:kids'],
          },
        ],
      }),
    });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      sources: [prefs],
      strategies: [reader],
      clock: () => Date.parse(NOW),
    });
    const decision = await tactful.decide(request({ subject: { id: 'u1' } }));
    expect(decision).toMatchObject({
      traceId: 'trace-0001',
      decidedAt: '2026-01-15T10:00:00.000Z',
      slots: [
        {
          slot: 'home.hero',
          content: { title: 'Toys for kids' },
          variant: 'kids',
          score: 0.9,
          strategy: 'preference-picks',
          isDefault: false,
          explanation: {
            strategy: 'preference-picks',
            summary: {
              en: 'You told us you are interested in kids.',
              vi: 'Bạn cho biết bạn quan tâm đến trẻ em.',
            },
            signals: ['interest:kids'],
            purposes: [PROFILE],
            categories: ['profile.preferences'],
          },
        },
      ],
      purposesUsed: [PROFILE],
      categoriesUsed: ['profile.preferences'],
      dropped: [],
      consent: {
        purposes: { [PROFILE]: { status: 'granted', provider: 'opt-in', recordId: `opt-in:${PROFILE}` } },
      },
    });
  });

  it('generates a random trace id when the request has none', async () => {
    const tactful = createOrchestrator({ consent: [consentProvider('opt-in')], strategies: [strategy('a')] });
    const one = await tactful.decide({ slots: [{ id: 's' }] });
    const two = await tactful.decide({ slots: [{ id: 's' }] });
    expect(one.traceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(one.traceId).not.toBe(two.traceId);
  });

  it('skips a strategy whose purpose is not granted, serves the default and says why', async () => {
    const prefs = memorySource('prefs', { 'profile.preferences': preferences });
    const reader = strategy('reader', {
      purposes: [PROFILE],
      reads: [{ category: 'profile.preferences', purpose: PROFILE }],
    });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in', { granted: [CONTEXTUAL] })],
      sources: [prefs],
      strategies: [reader],
    });
    const decision = await tactful.decide(request({ subject: { id: 'u1' } }));
    expect(decision.slots[0]).toMatchObject({
      isDefault: true,
      strategy: 'default',
      content: { title: 'Welcome' },
    });
    expect(decision.slots[0]?.explanation.categories).toEqual([]);
    expect(decision.dropped).toEqual([
      {
        plugin: 'reader',
        kind: 'strategy',
        outcome: 'skipped',
        code: 'PURPOSE_NOT_GRANTED',
        reason: `purpose not granted: ${PROFILE}`,
      },
    ]);
    expect(decision.consent.purposes[PROFILE]).toMatchObject({
      status: 'denied',
      reason: 'no consent record',
    });
    expect(prefs.calls).toHaveLength(0);
    expect(reader.inputs).toHaveLength(0);
  });

  it('combines providers: a denial anywhere wins over a grant', async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in'), consentProvider('gpc', { granted: [], denied: [PROFILE] })],
      sources: [memorySource('prefs', { 'profile.preferences': preferences })],
      strategies: [
        strategy('ctx'),
        strategy('prof', {
          purposes: [PROFILE],
          reads: [{ category: 'profile.preferences', purpose: PROFILE }],
        }),
      ],
    });
    const decision = await tactful.decide(request({ subject: { id: 'u1' } }));
    expect(decision.consent.purposes[PROFILE]).toMatchObject({ status: 'denied', provider: 'gpc' });
    expect(decision.consent.purposes[CONTEXTUAL]).toMatchObject({ status: 'granted', provider: 'opt-in' });
    expect(decision.slots[0]?.strategy).toBe('ctx');
  });

  it('withholds a category whose purpose is denied while the strategy still runs on the rest', async () => {
    const reader = strategy('mixed', {
      purposes: [CONTEXTUAL],
      reads: [
        { category: 'context.page', purpose: CONTEXTUAL },
        { category: 'behavior.purchases', purpose: PROFILE },
      ],
    });
    const shop = memorySource('shop', { 'behavior.purchases': purchases });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in', { granted: [CONTEXTUAL] })],
      sources: [shop],
      strategies: [reader],
    });
    await tactful.decide(request({ subject: { id: 'u1' }, context: { url: 'https://shop.example/toys' } }));
    expect(Object.keys(reader.inputs[0]?.data ?? {})).toEqual(['context.page']);
    expect(reader.inputs[0]?.granted).toEqual([CONTEXTUAL]);
    expect(shop.calls).toHaveLength(0);
  });

  it('calls a source only for the categories permitted strategies need, once, with the subject', async () => {
    const shop = memorySource('shop', {
      'behavior.purchases': purchases,
      'behavior.cart': { items: [], updatedAt: 'x' },
    });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      sources: [shop],
      strategies: [
        strategy('p1', {
          purposes: [PROFILE],
          reads: [{ category: 'behavior.purchases', purpose: PROFILE }],
        }),
        strategy('p2', {
          purposes: [PROFILE],
          reads: [{ category: 'behavior.purchases', purpose: PROFILE }],
        }),
        strategy('cart', {
          purposes: ['marketing.email'],
          reads: [{ category: 'behavior.cart', purpose: 'marketing.email' }],
        }),
      ],
    });
    const decision = await tactful.decide(request({ subject: { id: 'u1' } }));
    expect(decision.consent.purposes['marketing.email']?.status).toBe('granted');
    expect(shop.calls).toHaveLength(1);
    expect(shop.calls[0]?.categories).toEqual(['behavior.purchases', 'behavior.cart']);
    expect(shop.calls[0]?.subject).toEqual({ id: 'u1' });
  });

  it('does not call a subject-bound source for an anonymous request, and says so', async () => {
    const shop = memorySource('shop', { 'behavior.purchases': purchases });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      sources: [shop],
      strategies: [
        strategy('p', { purposes: [PROFILE], reads: [{ category: 'behavior.purchases', purpose: PROFILE }] }),
      ],
    });
    const decision = await tactful.decide(request());
    expect(shop.calls).toHaveLength(0);
    expect(decision.dropped).toEqual([
      expect.objectContaining({ plugin: 'shop', kind: 'source', outcome: 'skipped', code: 'NO_SUBJECT' }),
    ]);
  });

  it('provides request-borne categories from the request, frozen, and the locale only to strategies that may read it', async () => {
    const withLocale = strategy('with-locale', {
      reads: [
        { category: 'context.locale', purpose: CONTEXTUAL },
        { category: 'context.time', purpose: CONTEXTUAL },
      ],
    });
    const without = strategy('without', { reads: [{ category: 'context.time', purpose: CONTEXTUAL }] });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      strategies: [withLocale, without],
    });
    await tactful.decide(request({ context: { locale: 'vi-VN', timeZone: 'Asia/Ho_Chi_Minh' } }));
    const a = withLocale.inputs[0]!;
    const b = without.inputs[0]!;
    expect(a.data['context.locale']).toEqual({ locale: 'vi-VN' });
    expect(a.data['context.time']).toEqual({ now: '2026-01-15T10:00:00.000Z', timeZone: 'Asia/Ho_Chi_Minh' });
    expect(a.locale).toBe('vi');
    expect(b.locale).toBeUndefined();
    expect(b.data['context.locale']).toBeUndefined();
    expect(Object.isFrozen(a.data)).toBe(true);
    expect(Object.isFrozen(a.data['context.time'])).toBe(true);
    // The simulated time reaches the contextual category only; \`now\` is the server's clock.
    expect(a.now).not.toBe(Date.parse('2026-01-15T10:00:00.000Z'));
    expect(Math.abs(a.now - Date.now())).toBeLessThan(60_000);
  });

  it('runs signal readers after their publishers and hands them only the signals they declared', async () => {
    const order: string[] = [];
    const segments = strategy('segments', {
      publishes: ['segments.memberships', 'segments.debug'],
      decide: async () => {
        await new Promise((r) => setTimeout(r, 5));
        order.push('segments');
        return {
          proposals: [],
          signals: { 'segments.memberships': ['loyal'], 'segments.debug': 'x', 'not.declared': 1 },
        };
      },
    });
    const content = strategy('content', {
      signalReads: ['segments.memberships'],
      decide: (input) => {
        order.push('content');
        const members = input.signals['segments.memberships'] as string[];
        return {
          proposals: [
            {
              slot: 'home.hero',
              content: members.join(),
              reason: { en: 'for loyal customers' },
              signals: members,
            },
          ],
        };
      },
    });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      strategies: [content, segments],
    });
    const decision = await tactful.decide(request());
    expect(order).toEqual(['segments', 'content']);
    expect(content.inputs[0]?.signals).toEqual({ 'segments.memberships': ['loyal'] });
    expect(Object.isFrozen(content.inputs[0]?.signals['segments.memberships'])).toBe(true);
    expect(decision.slots[0]).toMatchObject({ content: 'loyal', explanation: { signals: ['loyal'] } });
  });

  it('explains a proposal made from a signal with the data and purposes behind that signal', async () => {
    const shop = memorySource('shop', { 'behavior.purchases': purchases });
    const segments = strategy('segments', {
      purposes: [PROFILE],
      reads: [{ category: 'behavior.purchases', purpose: PROFILE }],
      publishes: ['segments.memberships'],
      decide: () => ({ proposals: [], signals: { 'segments.memberships': ['wine-lover'] } }),
    });
    const offers = strategy('offers', {
      signalReads: ['segments.memberships'],
      decide: () => ({
        proposals: [
          {
            slot: 'home.hero',
            content: 'offer',
            reason: { en: 'For wine lovers.' },
            signals: ['wine-lover'],
          },
        ],
      }),
    });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      sources: [shop],
      strategies: [offers, segments],
    });
    const decision = await tactful.decide(request({ subject: { id: 'u1' } }));
    expect(decision.slots[0]?.explanation).toMatchObject({
      strategy: 'offers',
      categories: ['behavior.purchases'],
      purposes: [CONTEXTUAL, PROFILE],
      signals: ['wine-lover'],
    });
  });

  it('runs a signal reader without the signal when its publisher was skipped', async () => {
    const segments = strategy('segments', { purposes: [PROFILE], publishes: ['segments.memberships'] });
    const content = strategy('content', { signalReads: ['segments.memberships'] });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in', { granted: [CONTEXTUAL] })],
      strategies: [segments, content],
    });
    const decision = await tactful.decide(request());
    expect(content.inputs[0]?.signals).toEqual({});
    expect(decision.slots[0]?.strategy).toBe('content');
  });

  it('applies a withdrawal to the very next decision (no consent cache) and emits consent:changed', async () => {
    const { provider, state } = mutableConsent('opt-in', [PROFILE]);
    const prefs = memorySource('prefs', { 'profile.preferences': preferences });
    const tactful = createOrchestrator({
      consent: [provider],
      sources: [prefs],
      strategies: [
        strategy('p', {
          purposes: [PROFILE],
          reads: [{ category: 'profile.preferences', purpose: PROFILE }],
        }),
      ],
    });
    const changes: unknown[] = [];
    tactful.on('consent:changed', (e) => changes.push(e));
    expect((await tactful.decide(request({ subject: { id: 'u1' } }))).slots[0]?.isDefault).toBe(false);
    state.granted.delete(PROFILE);
    const after = await tactful.decide(request({ subject: { id: 'u1' } }));
    expect(after.slots[0]?.isDefault).toBe(true);
    expect(prefs.calls).toHaveLength(1);
    expect(changes).toEqual([
      {
        traceId: 'trace-0001',
        subject: 'u1',
        changes: [{ purpose: PROFILE, from: 'granted', to: 'denied' }],
      },
    ]);
  });

  it('gives the necessary purpose without consent, but no personal data can be read under it', async () => {
    const ops = strategy('ops', {
      purposes: ['necessary'],
      reads: [{ category: 'context.time', purpose: 'necessary' }],
    });
    const tactful = createOrchestrator({
      consent: [consentProvider('deny', { granted: [] })],
      strategies: [ops],
    });
    const decision = await tactful.decide(request());
    expect(decision.consent.purposes['necessary']).toMatchObject({
      status: 'granted',
      provider: 'orchestrator',
    });
    expect(decision.slots[0]?.strategy).toBe('ops');
  });

  it('writes a Vietnamese summary from the taxonomy when a strategy gives English only', async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      strategies: [strategy('ctx', { reads: [{ category: 'context.time', purpose: CONTEXTUAL }] })],
    });
    const decision = await tactful.decide(request());
    expect(decision.slots[0]?.explanation.summary).toEqual({
      en: 'chosen by ctx',
      vi: 'Nội dung này được chọn cho bạn dựa trên: thời gian và ngày địa phương.',
    });
  });

  it('ignores proposals for slots that were not requested', async () => {
    const s = strategy('s', {
      decide: () => ({ proposals: [{ slot: 'elsewhere', content: 1, reason: { en: 'x' } }] }),
    });
    const tactful = createOrchestrator({ consent: [consentProvider('opt-in')], strategies: [s] });
    const decision = await tactful.decide(request());
    expect(decision.slots).toHaveLength(1);
    expect(decision.slots[0]?.isDefault).toBe(true);
    expect(decision.dropped).toEqual([]);
  });
});
