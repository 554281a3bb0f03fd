import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ConsentRecord,
  ConsentSubjectIdSchema,
  type TactfulError,
  hashConsentRecord,
  parseConsentRecordInputs,
  verifyConsentChain,
} from '@tactful/core';
import { chainConsentRecords, consentErasureReceipt, parseConsentSubjectId } from '@tactful/core/store';

const NOW = Date.parse('2026-03-01T08:00:00.000Z');
const act = (subject: string, purpose: string, status: 'granted' | 'denied' | 'withdrawn') =>
  parseConsentRecordInputs(
    [
      {
        subject,
        purpose,
        status,
        method: 'banner',
        ...(status === 'granted' ? { notice: { version: '1', hash: 'sha256-abcdef12' } } : {}),
      },
    ],
    { now: NOW, what: 'test' },
  )[0]!;

/** A store in a map, asked for its heads the way the SQL stores ask their tables. */
function mapStore() {
  const chains = new Map<string, ConsentRecord[]>();
  const asked = { head: 0, lastFor: 0 };
  const heads = {
    head(subject: string) {
      asked.head++;
      return chains.get(subject)?.at(-1);
    },
    lastFor(subject: string, purpose: string) {
      asked.lastFor++;
      return chains.get(subject)?.findLast((r) => r.purpose === purpose)?.id ?? null;
    },
  };
  const write = (records: ConsentRecord[]) => {
    for (const r of records) chains.set(r.subject, [...(chains.get(r.subject) ?? []), r]);
  };
  return { chains, asked, heads, write };
}

describe('chainConsentRecords', () => {
  it('for any batches of acts, every chain verifies and each record supersedes the last of its purpose', async () => {
    const acts = fc.array(
      fc.tuple(
        fc.constantFrom('u-1', 'u-2', 'u-3'),
        fc.constantFrom('measurement', 'personalization.profile'),
        fc.constantFrom('granted' as const, 'denied' as const, 'withdrawn' as const),
      ),
      { maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(acts, { maxLength: 4 }), async (batches) => {
        const store = mapStore();
        for (const batch of batches) {
          const records = chainConsentRecords(
            batch.map(([s, p, st]) => act(s, p, st)),
            NOW,
            store.heads,
          );
          // Each stored head is asked once per batch at most, whatever the batch holds.
          expect(store.asked.head).toBeLessThanOrEqual(3 * batches.length);
          store.write(records);
        }
        for (const chain of store.chains.values()) {
          expect(await verifyConsentChain(chain)).toEqual({ ok: true, records: chain.length });
          chain.forEach((r, i) => {
            const before = chain.slice(0, i).findLast((p) => p.purpose === r.purpose);
            expect(r.supersedes).toBe(before?.id ?? null);
            expect(r.seq).toBe(i + 1);
          });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('hashes as every store has: the digest is hashConsentRecord of the record', async () => {
    const [record] = chainConsentRecords([act('u-1', 'measurement', 'granted')], NOW, mapStore().heads);
    expect(record!.hash).toBe(await hashConsentRecord(record!));
    expect(record!.recordedAt).toBe(new Date(NOW).toISOString());
    expect(record!.id).toMatch(/^cr_[0-9a-f-]{36}$/);
    expect(Object.isFrozen(record)).toBe(true);
  });

  it('asks the store once per subject and per subject and purpose in a batch', () => {
    const store = mapStore();
    chainConsentRecords(
      [
        act('u-1', 'measurement', 'granted'),
        act('u-1', 'measurement', 'withdrawn'),
        act('u-1', 'personalization.profile', 'granted'),
        act('u-2', 'measurement', 'denied'),
      ],
      NOW,
      store.heads,
    );
    expect(store.asked).toEqual({ head: 2, lastFor: 3 });
  });
});

describe('parseConsentSubjectId', () => {
  it('for any value, accepts exactly what ConsentSubjectIdSchema accepts', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.stringMatching(/^[A-Za-z0-9._:@-]{0,130}$/),
          fc.string({ maxLength: 140 }),
          fc.anything(),
        ),
        (value) => {
          const schema = ConsentSubjectIdSchema.safeParse(value).success;
          let ours = true;
          try {
            expect(parseConsentSubjectId(value, 'test')).toBe(value);
          } catch (error) {
            ours = false;
            expect((error as TactfulError).code).toBe('INVALID_INPUT');
            expect((error as TactfulError).message).toMatch(/subject/);
          }
          expect(ours).toBe(schema);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('consentErasureReceipt', () => {
  it('is frozen and stamps the store time', () => {
    const receipt = consentErasureReceipt('u-1', 2, NOW, 'abc');
    expect(receipt).toEqual({
      subject: 'u-1',
      erased: 2,
      erasedAt: '2026-03-01T08:00:00.000Z',
      lastHash: 'abc',
    });
    expect(Object.isFrozen(receipt)).toBe(true);
  });
});
