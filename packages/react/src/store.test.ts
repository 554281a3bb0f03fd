import type { Decision, SlotDecision } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPermitted, requestKey } from './gate.js';
import { createDecisionStore } from './store.js';
import type { Decider } from './types.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

function storeWith(decider: Decider) {
  const store = createDecisionStore();
  store.register('home.hero', { title: 'Welcome' });
  store.update(requestKey({ granted: [] }, {}), {}, decider);
  return store;
}

describe('the decision store with a hostile decider', () => {
  it.each([
    [
      'throws synchronously',
      () => {
        throw new Error('boom');
      },
    ],
    ['rejects', () => Promise.reject(new Error('down'))],
    ['answers null', () => Promise.resolve(null)],
    ['answers slots that are not a list', () => Promise.resolve({ slots: 'x' })],
    ['answers without the slot', () => Promise.resolve({ slots: [{ slot: 'other' }] })],
    ['answers a slot that is not an object', () => Promise.resolve({ slots: [null, 42] })],
  ])('marks the slot failed (default shown) when the decider %s', async (_name, decide) => {
    const store = storeWith({ decide: decide as unknown as Decider['decide'] });
    await settle();
    await settle();
    const entry = store.read(store.key as string, 'home.hero');
    expect(entry?.kind).toBe('failed');
  });

  it('asks once for every slot registered in the same tick', async () => {
    const calls: string[][] = [];
    const store = createDecisionStore();
    store.register('a', 1);
    store.register('b', 2);
    store.update(
      'k',
      {},
      {
        decide: async (r) => {
          calls.push(r.slots.map((s) => s.id));
          return { slots: [] } as unknown as Decision;
        },
      },
    );
    await settle();
    expect(calls).toEqual([['a', 'b']]);
  });

  it('drops an answer made under a key that changed meanwhile, and one from before a refresh', async () => {
    const releases: Array<(d: Decision) => void> = [];
    const slow: Decider = {
      decide: () =>
        new Promise((r) => {
          releases.push(r);
        }),
    };
    const store = storeWith(slow);
    await settle();
    const personalized = {
      slots: [
        {
          slot: 'home.hero',
          content: 'secret',
          isDefault: false,
          strategy: 'x',
          explanation: { strategy: 'x', summary: { en: 'x' }, signals: [], purposes: ['p'], categories: [] },
        },
      ],
      dropped: [],
    } as unknown as Decision;
    store.update('another-key', {}, slow);
    await settle();
    expect(releases).toHaveLength(2);
    releases[0]?.(personalized); // made under the first key
    await settle();
    expect(store.read('another-key', 'home.hero')).toBeUndefined();
    store.refresh();
    await settle();
    expect(releases).toHaveLength(3);
    releases[1]?.(personalized); // made before the refresh
    await settle();
    expect(store.read('another-key', 'home.hero')).toBeUndefined();
    releases[2]?.(personalized); // the current one
    await settle();
    expect(store.read('another-key', 'home.hero')?.kind).toBe('decided');
  });
});

describe('isPermitted', () => {
  const purpose = fc.constantFrom(
    'necessary',
    'personalization.profile',
    'personalization.session',
    'personalization.contextual',
    'marketing.email',
  );
  it('for every decided slot and consent: personalized content is shown only when each purpose it names is granted', () => {
    fc.assert(
      fc.property(
        fc.array(purpose, { maxLength: 4 }),
        fc.array(purpose, { maxLength: 4 }),
        fc.boolean(),
        (used, granted, isDefault) => {
          const slot = {
            slot: 's',
            content: 1,
            strategy: 'x',
            isDefault,
            explanation: { strategy: 'x', summary: { en: 'x' }, signals: [], purposes: used, categories: [] },
          } as SlotDecision;
          const ok = isPermitted(slot, { granted });
          if (isDefault) expect(ok).toBe(true);
          else
            expect(ok).toBe(used.length > 0 && used.every((p) => p === 'necessary' || granted.includes(p)));
        },
      ),
    );
  });

  it('shows nothing personalized without a consent snapshot, or with a malformed one', () => {
    const slot = {
      slot: 's',
      content: 1,
      strategy: 'x',
      isDefault: false,
      explanation: {
        strategy: 'x',
        summary: { en: 'x' },
        signals: [],
        purposes: ['personalization.profile'],
        categories: [],
      },
    } as SlotDecision;
    expect(isPermitted(slot, undefined)).toBe(false);
    expect(isPermitted(slot, { granted: 'personalization.profile' } as never)).toBe(false);
  });
});
