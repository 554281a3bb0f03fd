import { type ConsentStore, verifyConsentChain } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ConsentChange, createConsentManager, memoryConsentStore } from '@tactful/consent';

const notice = {
  version: '2026-03',
  purposes: {
    'personalization.profile': 'sha256-aaaaaaaa01',
    measurement: 'sha256-bbbbbbbb02',
    'personalization.contextual': 'sha256-cccccccc03',
  },
};
type Purpose = keyof typeof notice.purposes;
const PURPOSES = Object.keys(notice.purposes) as Purpose[];
const grant = (purpose: Purpose, subject = 'u-1'): ConsentChange => ({
  subject,
  status: 'granted',
  purpose,
  method: 'banner',
  notice: { version: notice.version, hash: notice.purposes[purpose] },
});

/** A store whose writes fail after `okWrites` successful calls (a disk filling up). */
function failingAfter(okWrites: number): ConsentStore {
  const store = memoryConsentStore();
  let writes = 0;
  const fail = () => {
    if (writes++ >= okWrites) throw new Error('database or disk is full');
  };
  return {
    ...store,
    append: async (input) => {
      fail();
      return store.append(input);
    },
    appendAll: async (inputs) => {
      fail();
      return store.appendAll(inputs);
    },
  };
}

describe('ConsentManager.record', () => {
  it('records grants with their own notices and refusals in one write, in order', async () => {
    const store = memoryConsentStore();
    const consent = createConsentManager({ store, notice });
    const records = await consent.record([
      grant('personalization.profile'),
      grant('measurement'),
      { subject: 'u-1', status: 'denied', purposes: ['personalization.contextual'] },
    ]);
    expect(records.map((r) => [r.purpose, r.status, r.seq])).toEqual([
      ['personalization.profile', 'granted', 1],
      ['measurement', 'granted', 2],
      ['personalization.contextual', 'denied', 3],
    ]);
    expect((await verifyConsentChain(await store.history('u-1'))).ok).toBe(true);
  });

  it('stores nothing when one act is invalid, naming the act by its index', async () => {
    const store = memoryConsentStore();
    const consent = createConsentManager({ store, notice });
    const error = await consent
      .record([
        grant('measurement'),
        { ...grant('personalization.profile'), notice: { version: 'x', hash: 'y' } },
      ])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_INPUT' });
    expect((error as { path: unknown[] }).path[0]).toBe(1);
    expect(await store.history('u-1')).toEqual([]);
    await expect(consent.record([grant('measurement'), grant('measurement')])).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      path: [1, 'purpose'],
    });
    expect(await store.history('u-1')).toEqual([]);
  });

  it('for any choice of purposes and any store failure, either every choice is stored or none', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(PURPOSES, { minLength: 1 }),
        fc.subarray(PURPOSES),
        fc.nat(3),
        async (granted, deniedAll, okWrites) => {
          const denied = deniedAll.filter((p) => !granted.includes(p));
          const store = failingAfter(okWrites);
          const consent = createConsentManager({ store, notice });
          const changes: ConsentChange[] = [
            ...granted.map((p) => grant(p)),
            ...(denied.length > 0 ? [{ subject: 'u-1', status: 'denied' as const, purposes: denied }] : []),
          ];
          const ok = await consent.record(changes).then(
            () => true,
            () => false,
          );
          const stored = (await store.history('u-1')).length;
          expect(stored).toBe(ok ? granted.length + denied.length : 0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
