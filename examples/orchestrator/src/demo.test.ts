import { describe, expect, it } from 'vitest';
import { runDemo } from './demo.mjs';

describe('example: orchestrator', () => {
  it('decides the page with consent: declared interest first, the wine offer vetoed, session recs', async () => {
    const { withConsent } = await runDemo();
    const bySlot = Object.fromEntries(withConsent.slots.map((s) => [s.slot, s]));
    expect(bySlot['home.hero']).toMatchObject({
      strategy: 'preferences',
      variant: 'interest-kids',
      isDefault: false,
    });
    // "wine-lover" is inferred; she declared "not interested in wine": the loyal offer wins instead (P4).
    expect(bySlot['home.banner']).toMatchObject({ strategy: 'offers', variant: 'loyal-delivery' });
    expect(bySlot['home.recs']).toMatchObject({ strategy: 'session-interests', variant: 'recs-toys' });
    // The offer came from a segment, and her declared "not interested" ruled the wine offer out:
    // the explanation names the data behind both (the veto is data the choice used, P4/P5).
    expect(bySlot['home.banner']?.explanation).toMatchObject({
      purposes: ['personalization.profile'],
      categories: ['behavior.purchases', 'profile.attributes', 'profile.preferences'],
      signals: ['loyal', 'not-interested:wine'],
    });
    expect(withConsent.dropped).toEqual([]);
  });

  it('after "Reject all" serves defaults only, calls no source, and says why', async () => {
    const { withoutConsent, profileCallsAfterWithdrawal, events } = await runDemo();
    expect(withoutConsent.slots.every((s) => s.isDefault)).toBe(true);
    expect(withoutConsent.categoriesUsed).toEqual([]);
    expect(profileCallsAfterWithdrawal).toBe(0);
    expect(withoutConsent.dropped.map((d) => d.plugin)).toEqual([
      'preferences',
      'segments',
      'moment',
      'session-interests',
      'offers',
    ]);
    expect(events).toHaveLength(1);
  });

  it('prints both decisions side by side with their explanations', async () => {
    const { text } = await runDemo();
    expect(text).toContain('A: with consent');
    expect(text).toContain('B: after "Reject all"');
    expect(text).toContain('Why am I seeing this? / Tại sao tôi thấy nội dung này?');
    expect(text).toContain('You told us you are interested in kids.');
    expect(text).toContain('Bạn là khách hàng trung thành');
    expect(text).toContain('This is the default content: nothing about you was used to choose it.');
    expect(text).toContain('skipped (PURPOSE_NOT_GRANTED)');
    expect(text).toMatch(/profile store was called 0 times/);
    expect(text).not.toContain('20% off red wine');
  });
});
