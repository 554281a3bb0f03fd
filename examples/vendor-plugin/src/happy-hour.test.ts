import { isTactfulError, type StrategyInput } from '@tactful/core';
import { callContext, strategyInput } from '@tactful/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HAPPY_HOUR_SIGNAL, happyHour } from './happy-hour.js';
import { inWindow } from './local-time.js';

const content = { headline: 'Half price' };
const at = (now: string, timeZone?: string): StrategyInput =>
  strategyInput({
    slots: ['home.hero'],
    data: { 'context.time': timeZone ? { now, timeZone } : { now } },
    granted: ['personalization.contextual'],
  });

describe('happyHour', () => {
  const strategy = happyHour({ slot: 'home.hero', startHour: 17, endHour: 19, content, timeZone: 'UTC' });

  it('proposes the offer during local happy hour, with a reason in English and Vietnamese', async () => {
    const output = await strategy.decide(at('2026-01-16T10:30:00Z', 'Asia/Ho_Chi_Minh'), callContext());
    expect(output.proposals).toEqual([
      expect.objectContaining({
        slot: 'home.hero',
        content,
        variant: 'happy-hour',
        score: 0.8,
        origin: 'contextual',
        categories: ['context.time'],
        reason: {
          en: 'It is happy hour (17:00–19:00) where you are.',
          vi: 'Đang là giờ vàng (17:00–19:00) tại nơi bạn ở.',
        },
      }),
    ]);
    expect(output.signals).toEqual({ [HAPPY_HOUR_SIGNAL]: true });
  });

  it('uses the visitor time zone, not the server one: 17:30 UTC is 00:30 in Hồ Chí Minh City', async () => {
    const output = await strategy.decide(at('2026-01-16T17:30:00Z', 'Asia/Ho_Chi_Minh'), callContext());
    expect(output.proposals).toEqual([]);
    expect(output.signals).toEqual({ [HAPPY_HOUR_SIGNAL]: false });
  });

  it('falls back to the configured time zone when the request has none or an unknown one', async () => {
    expect((await strategy.decide(at('2026-01-16T17:30:00Z'), callContext())).proposals).toHaveLength(1);
    expect(
      (await strategy.decide(at('2026-01-16T17:30:00Z', 'Mars/Olympus'), callContext())).proposals,
    ).toHaveLength(1);
  });

  it('runs only on the configured days', async () => {
    const weekends = happyHour({
      slot: 'home.hero',
      startHour: 17,
      endHour: 19,
      content,
      days: ['saturday', 'sunday'],
    });
    expect((await weekends.decide(at('2026-01-16T17:30:00Z'), callContext())).proposals).toEqual([]); // a Friday
    expect((await weekends.decide(at('2026-01-17T17:30:00Z'), callContext())).proposals).toHaveLength(1); // a Saturday
  });

  it('handles a window past midnight', async () => {
    const late = happyHour({ slot: 'home.hero', startHour: 22, endHour: 2, content });
    expect((await late.decide(at('2026-01-16T23:10:00Z'), callContext())).proposals).toHaveLength(1);
    expect((await late.decide(at('2026-01-17T01:59:00Z'), callContext())).proposals).toHaveLength(1);
    expect((await late.decide(at('2026-01-17T02:00:00Z'), callContext())).proposals).toEqual([]);
  });

  it('proposes nothing for a slot that was not requested, or without the local time', async () => {
    const other = strategyInput({
      slots: ['email.header'],
      data: { 'context.time': { now: '2026-01-16T17:30:00Z' } },
    });
    expect((await strategy.decide(other, callContext())).proposals).toEqual([]);
    expect(await strategy.decide(strategyInput({ slots: ['home.hero'] }), callContext())).toEqual({
      proposals: [],
    });
  });

  it('for every moment in a zone without daylight saving, is active exactly when the local hour is in the window', async () => {
    const hcm = happyHour({ slot: 'home.hero', startHour: 17, endHour: 19, content });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), async (ms) => {
        const output = await hcm.decide(at(new Date(ms).toISOString(), 'Asia/Ho_Chi_Minh'), callContext());
        const localHour = (new Date(ms).getUTCHours() + 7) % 24;
        expect(output.signals?.[HAPPY_HOUR_SIGNAL]).toBe(localHour >= 17 && localHour < 19);
      }),
    );
  });

  it('inWindow: for all hours and windows, wrapping windows are the complement of the reversed window', () => {
    const hour = fc.integer({ min: 0, max: 23 });
    fc.assert(
      fc.property(hour, hour, hour, (h, start, end) => {
        fc.pre(start !== end);
        expect(inWindow(h, start, end)).toBe(!inWindow(h, end, start));
      }),
    );
  });

  it('rejects bad options with INVALID_OPTIONS naming every field and how to fix it', () => {
    let error: unknown;
    try {
      happyHour({
        slot: 'has space',
        startHour: 25,
        endHour: 0,
        content: undefined,
        timeZone: 'Nowhere/Here',
        score: 2,
      });
    } catch (e) {
      error = e;
    }
    expect(isTactfulError(error) && error.code).toBe('INVALID_OPTIONS');
    expect(isTactfulError(error) && error.issues.map((i) => i.path[0])).toEqual([
      'slot',
      'startHour',
      'endHour',
      'content',
      'timeZone',
      'score',
    ]);
    expect(String((error as Error).message)).toMatch(
      /timeZone: use an IANA time zone such as "Asia\/Ho_Chi_Minh"/,
    );
  });
});
