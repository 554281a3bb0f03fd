import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SlotDecision } from './context-schema.js';
import { isSlotPermitted } from './slot-permission.js';

const slot = (isDefault: boolean, purposes: unknown): SlotDecision =>
  ({
    slot: 's',
    content: 1,
    strategy: 'x',
    isDefault,
    explanation: { strategy: 'x', summary: { en: 'x' }, signals: [], purposes, categories: [] },
  }) as SlotDecision;

describe('isSlotPermitted', () => {
  const purpose = fc.constantFrom(
    'necessary',
    'personalization.profile',
    'personalization.session',
    'marketing.email',
  );
  it('for every slot and grant: personalized content only when each purpose it names is granted (necessary always is)', () => {
    fc.assert(
      fc.property(
        fc.array(purpose, { maxLength: 4 }),
        fc.array(purpose, { maxLength: 4 }),
        fc.boolean(),
        (used, granted, isDefault) => {
          expect(isSlotPermitted(slot(isDefault, used), granted)).toBe(
            isDefault || (used.length > 0 && used.every((p) => p === 'necessary' || granted.includes(p))),
          );
        },
      ),
    );
  });

  it('refuses personalized content naming no purposes, malformed purposes, or a value that is not a slot', () => {
    expect(isSlotPermitted(slot(false, []), ['personalization.profile'])).toBe(false);
    expect(isSlotPermitted(slot(false, 'personalization.profile'), ['personalization.profile'])).toBe(false);
    expect(isSlotPermitted(null as never, ['personalization.profile'])).toBe(false);
    expect(isSlotPermitted(slot(false, ['personalization.profile']), undefined)).toBe(false);
    expect(
      isSlotPermitted(slot(false, ['personalization.profile']), 'personalization.profile' as never),
    ).toBe(false);
  });
});
