import { describeStrategyConformance, strategyInput, callContext } from '@tactful/testing';
import { expect, it } from 'vitest';
import { happyHour } from './happy-hour.js';

const options = {
  slot: 'home.hero',
  startHour: 17,
  endHour: 19,
  timeZone: 'Asia/Ho_Chi_Minh',
  content: { headline: { en: '2 for 1 on iced coffee', vi: 'Mua 1 tặng 1 cà phê đá' } },
};

// The same suite every first-party strategy passes.
describeStrategyConformance('tactful-plugin-happy-hour', {
  create: () => happyHour(options),
  sampleInput: {
    slots: ['home.hero', 'home.banner'],
    data: { 'context.time': { now: '2026-01-16T10:30:00Z', timeZone: 'Asia/Ho_Chi_Minh' } },
  },
  additionalTests: (ctx) => {
    it('proposes on the sample input (17:30 in Hồ Chí Minh City), so the suite checked a real proposal', async () => {
      const output = await ctx.plugin.decide(
        strategyInput({
          slots: ['home.hero'],
          data: { 'context.time': { now: '2026-01-16T10:30:00Z', timeZone: 'Asia/Ho_Chi_Minh' } },
          granted: ['personalization.contextual'],
        }),
        callContext(),
      );
      expect(output.proposals).toHaveLength(1);
    });
  },
});
