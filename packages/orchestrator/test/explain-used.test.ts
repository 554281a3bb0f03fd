import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOrchestrator } from '../src/index.js';
import { consentProvider, memorySource, request, strategy } from './fixtures.js';

const CONTEXTUAL = 'personalization.contextual';
const PROFILE = 'personalization.profile';
const SESSION = 'personalization.session';
const CONTEXT = { userAgent: 'Mozilla/5.0 (iPhone)', locale: 'vi-VN', timeZone: 'Asia/Ho_Chi_Minh' };

/** A context publisher that says what each field of its signal is made from. */
function contextPublisher() {
  const s = strategy('context', {
    purposes: [CONTEXTUAL],
    reads: [
      { category: 'context.time', purpose: CONTEXTUAL },
      { category: 'context.device', purpose: CONTEXTUAL },
      { category: 'context.locale', purpose: CONTEXTUAL },
    ],
    publishes: [
      {
        name: 'ctx',
        fields: { daypart: ['context.time'], device: ['context.device'], language: ['context.locale'] },
      },
    ],
    decide: () => ({
      proposals: [],
      signals: { ctx: { daypart: 'evening', device: 'mobile', language: 'vi' } },
    }),
  });
  return s;
}

function orchestrator(signalsUsed: unknown[] | undefined) {
  return createOrchestrator({
    consent: [consentProvider('opt-in')],
    sources: [
      memorySource('profile', { 'profile.preferences': { interests: ['kids'] }, 'session.events': [] }),
    ],
    strategies: [
      contextPublisher(),
      strategy('segments', {
        purposes: [PROFILE],
        reads: [{ category: 'profile.preferences', purpose: PROFILE }],
        publishes: ['groups'],
        decide: () => ({ proposals: [], signals: { groups: ['kids'] } }),
      }),
      strategy('session', {
        purposes: [SESSION],
        reads: [{ category: 'session.events', purpose: SESSION }],
        publishes: ['interests'],
        decide: () => ({ proposals: [], signals: { interests: { kids: 1 } } }),
      }),
      strategy('content', {
        purposes: [CONTEXTUAL],
        signalReads: ['ctx', 'groups', 'interests'],
        decide: () => ({
          proposals: [
            {
              slot: 'home.hero',
              content: 'evening on a phone',
              reason: { en: 'It is evening and you are on a phone.' },
              categories: [],
              ...(signalsUsed === undefined ? {} : { signalsUsed: signalsUsed as never }),
            },
          ],
        }),
      }),
    ],
  });
}

describe('explanations list exactly what the choice used (P5)', () => {
  it('names only the data behind the signal fields a proposal used, not every signal its strategy read', async () => {
    const decision = await orchestrator([{ signal: 'ctx', fields: ['daypart', 'device'] }]).decide(
      request({ subject: { id: 'u1' }, context: CONTEXT }),
    );
    const e = decision.slots[0]!.explanation;
    expect([...e.categories].sort()).toEqual(['context.device', 'context.time']);
    expect(e.purposes).toEqual([CONTEXTUAL]);
  });

  it('names the whole signal when no fields are given, and nothing upstream for an empty list', async () => {
    const whole = (
      await orchestrator([{ signal: 'groups' }]).decide(request({ subject: { id: 'u1' }, context: CONTEXT }))
    ).slots[0]!;
    expect(whole.explanation.categories).toEqual(['profile.preferences']);
    expect([...whole.explanation.purposes].sort()).toEqual([CONTEXTUAL, PROFILE]);
    const none = (await orchestrator([]).decide(request({ subject: { id: 'u1' }, context: CONTEXT })))
      .slots[0]!;
    expect(none.explanation.categories).toEqual([]);
    expect(none.explanation.purposes).toEqual([CONTEXTUAL]);
  });

  it('keeps naming everything upstream for a proposal that does not say which signals it used', async () => {
    const all = (await orchestrator(undefined).decide(request({ subject: { id: 'u1' }, context: CONTEXT })))
      .slots[0]!;
    expect(all.explanation.categories).toEqual(
      expect.arrayContaining(['context.time', 'context.device', 'context.locale', 'profile.preferences']),
    );
  });

  it('names nothing from a publisher that did not run (its purpose was not granted)', async () => {
    const tactful = createOrchestrator({
      consent: [consentProvider('opt-in', { denied: [PROFILE] })],
      strategies: [
        strategy('segments', {
          purposes: [PROFILE],
          publishes: ['groups'],
          decide: () => ({ proposals: [], signals: { groups: ['kids'] } }),
        }),
        strategy('content', {
          signalReads: ['groups'],
          decide: () => ({
            proposals: [
              { slot: 'home.hero', content: 'x', reason: { en: 'x' }, signalsUsed: [{ signal: 'groups' }] },
            ],
          }),
        }),
      ],
    });
    const slot = (await tactful.decide(request())).slots[0]!;
    expect(slot.isDefault).toBe(false);
    expect(slot.explanation.purposes).toEqual([CONTEXTUAL]);
  });

  it('reads a field named like an Object member as one the publisher did not describe (the decision still answers)', async () => {
    const decision = await orchestrator([{ signal: 'ctx', fields: ['daypart', 'constructor'] }]).decide(
      request({ subject: { id: 'u1' }, context: CONTEXT }),
    );
    const e = decision.slots[0]!.explanation;
    expect(decision.slots[0]!.isDefault).toBe(false);
    // An undescribed field may rest on any of the publisher's data: all of it is named.
    expect([...e.categories].sort()).toEqual(['context.device', 'context.locale', 'context.time']);
  });

  it('drops a strategy whose signalsUsed is malformed (P8)', async () => {
    const decision = await orchestrator([{ signal: 7 }]).decide(
      request({ subject: { id: 'u1' }, context: CONTEXT }),
    );
    expect(decision.dropped.some((d) => d.plugin === 'content' && d.code === 'INVALID_OUTPUT')).toBe(true);
  });

  it('for every field map and every use: the explanation names exactly the categories behind the fields used', async () => {
    const CATS = ['context.time', 'context.device', 'context.locale'] as const;
    const FIELDS = ['a', 'b', 'c', 'd'] as const;
    const fieldMap = fc.record(
      Object.fromEntries(FIELDS.map((f) => [f, fc.subarray([...CATS])])) as Record<
        (typeof FIELDS)[number],
        fc.Arbitrary<string[]>
      >,
    );
    await fc.assert(
      fc.asyncProperty(fieldMap, fc.subarray([...FIELDS], { minLength: 1 }), async (fields, used) => {
        const tactful = createOrchestrator({
          consent: [consentProvider('opt-in')],
          strategies: [
            strategy('context', {
              reads: CATS.map((category) => ({ category, purpose: CONTEXTUAL })),
              publishes: [{ name: 'ctx', fields }],
              decide: () => ({ proposals: [], signals: { ctx: { a: 1, b: 2, c: 3, d: 4 } } }),
            }),
            strategy('content', {
              signalReads: ['ctx'],
              decide: () => ({
                proposals: [
                  {
                    slot: 'home.hero',
                    content: 'x',
                    reason: { en: 'x' },
                    categories: [],
                    signalsUsed: [{ signal: 'ctx', fields: [...used] }],
                  },
                ],
              }),
            }),
          ],
        });
        const e = (await tactful.decide(request({ context: CONTEXT }))).slots[0]!.explanation;
        const expected = new Set(used.flatMap((f) => fields[f]));
        expect(new Set(e.categories)).toEqual(expected);
        expect(e.purposes).toEqual([CONTEXTUAL]);
      }),
      { numRuns: 100 },
    );
  });
});
