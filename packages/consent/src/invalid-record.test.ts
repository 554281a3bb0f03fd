import type { ConsentRecord, ConsentStore, PluginCallContext } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createConsentManager, memoryConsentStore, optInConsent } from '@tactful/consent';

const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const ctx: PluginCallContext = { signal: new AbortController().signal, traceId: 'trace-invalid' };
const PURPOSE = 'personalization.profile';

/** A custom store (or rows another tool wrote) that returns whatever it holds, unchecked. */
function junkStore(recordedAt: unknown): ConsentStore {
  const real = memoryConsentStore({ clock: () => T0 });
  const record = {
    id: 'rec-1',
    subject: 'u-1',
    purpose: PURPOSE,
    status: 'granted',
    method: 'banner',
    actor: { type: 'self' },
    ...(recordedAt === undefined ? {} : { recordedAt }),
  } as unknown as ConsentRecord;
  return { ...real, latest: async () => new Map([[PURPOSE, record]]) };
}

const badTimes = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    '',
    ' ',
    'yesterday',
    '2026-13-45T99:99:99Z',
    'NaN',
    '0',
    0,
    1,
    true,
    {},
    [],
  ),
  fc.string({ maxLength: 40 }).filter((s) => !/^\d{4}-\d{2}-\d{2}T/.test(s)),
  fc.integer(),
  // A time far ahead of the server's clock proves nothing either.
  fc
    .date({ min: new Date(T0 + 3_600_000), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString()),
);

describe('a consent record that cannot prove when it was given', () => {
  it('grants nothing, for every missing, empty, malformed or future recordedAt, and says why', async () => {
    await fc.assert(
      fc.asyncProperty(badTimes, async (recordedAt) => {
        const provider = optInConsent({ store: junkStore(recordedAt) });
        const state = await provider.resolve(
          { subject: { id: 'u-1' }, context: {}, purposes: [PURPOSE], now: T0 },
          ctx,
        );
        expect(state.purposes[PURPOSE]).toMatchObject({ status: 'denied', reason: 'invalid-record' });
        const manager = createConsentManager({ store: junkStore(recordedAt), clock: () => T0 });
        const view = await manager.state('u-1');
        expect(view.purposes[PURPOSE]).toMatchObject({ status: 'denied', reason: 'invalid-record' });
      }),
      { numRuns: 200 },
    );
  });

  it('still grants a record with a valid time', async () => {
    const provider = optInConsent({ store: junkStore('2026-03-01T07:59:00.000Z') });
    const state = await provider.resolve(
      { subject: { id: 'u-1' }, context: {}, purposes: [PURPOSE], now: T0 },
      ctx,
    );
    expect(state.purposes[PURPOSE]).toMatchObject({ status: 'granted', reason: 'granted' });
  });
});
