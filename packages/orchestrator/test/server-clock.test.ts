import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOrchestrator } from '../src/index.js';
import { consentProvider, memorySource, strategy } from './fixtures.js';

const SERVER_NOW = Date.parse('2026-06-01T12:00:00.000Z');
const CONTEXTUAL = 'personalization.contextual';
const PROFILE = 'personalization.profile';

describe("the server's clock judges consent", () => {
  it('for every simulated context.now, consent, sources and plugins get the server clock; only context.time moves', async () => {
    const seen: { consent: number[]; source: number[] } = { consent: [], source: [] };
    // A provider whose grant expired one second before the server's now.
    const expiring = consentProvider('expiring', {
      resolve: (q) => {
        seen.consent.push(q.now);
        const live = q.now < SERVER_NOW - 1000;
        return {
          purposes: Object.fromEntries(
            q.purposes.map((p) => [
              p,
              live
                ? { status: 'granted' as const, provider: 'expiring' }
                : { status: 'denied' as const, provider: 'expiring', reason: 'expired' },
            ]),
          ),
        };
      },
    });
    const source = memorySource(
      'profile',
      { 'behavior.purchases': [] },
      {
        load: (q) => {
          seen.source.push(q.now);
          return { 'behavior.purchases': [] };
        },
      },
    );
    const reader = strategy('reader', {
      reads: [
        { category: 'context.time', purpose: CONTEXTUAL },
        { category: 'behavior.purchases', purpose: PROFILE },
      ],
    });
    const tactful = createOrchestrator({
      consent: [expiring],
      sources: [source],
      strategies: [reader],
      clock: () => SERVER_NOW,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        async (simulated) => {
          const now = simulated.toISOString();
          const decision = await tactful.decide({
            subject: { id: 'alice' },
            context: { now },
            slots: [{ id: 'home.hero' }],
          });
          expect(seen.consent.at(-1)).toBe(SERVER_NOW);
          expect(decision.slots[0]!.isDefault).toBe(true);
          expect(decision.consent.purposes[CONTEXTUAL]).toMatchObject({
            status: 'denied',
            reason: 'expired',
          });
          expect(decision.decidedAt).toBe(new Date(SERVER_NOW).toISOString());
          const preview = await tactful.preview({
            subject: { id: 'alice' },
            context: { now },
            slots: [{ id: 'x' }],
          });
          expect(preview.consent.purposes[CONTEXTUAL]?.status).toBe('denied');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('hands contextual rules the simulated time, and everything else the server clock', async () => {
    const reader = strategy('reader', { reads: [{ category: 'context.time', purpose: CONTEXTUAL }] });
    const source = memorySource('profile', { 'behavior.purchases': [] });
    const other = strategy('other', { reads: [{ category: 'behavior.purchases', purpose: PROFILE }] });
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in')],
      sources: [source],
      strategies: [reader, other],
      clock: () => SERVER_NOW,
    });
    await tactful.decide({
      subject: { id: 'alice' },
      context: { now: '2020-02-02T02:02:02.000Z' },
      slots: [{ id: 'home.hero' }],
    });
    expect(reader.inputs[0]!.data['context.time']).toEqual({ now: '2020-02-02T02:02:02.000Z' });
    expect(reader.inputs[0]!.now).toBe(SERVER_NOW);
    expect(other.inputs[0]!.now).toBe(SERVER_NOW);
    // What is shown at a time (a campaign schedule) may follow the simulated time.
    expect(reader.inputs[0]!.contextNow).toBe(Date.parse('2020-02-02T02:02:02.000Z'));
    expect(source.calls[0]!.now).toBe(SERVER_NOW);
  });
});
