import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isThenable } from '@tactful/core';
import { openSqliteStores, sqliteConsentStore, sqliteSubjectStore } from '@tactful/store-sqlite';
import { consentGrant } from '@tactful/testing';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'tactful-fresh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = () => join(dir, `fresh-${n++}.sqlite`);
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("openSqliteStores answers a decision's profile read without a round trip only when it is current", () => {
  it('serves the second decision from memory and the very next decision after another connection changed the profile from the database', async () => {
    const filename = file();
    const stores = await openSqliteStores({ filename });
    // Another process would open its own connection to the same file, as these do.
    const other = sqliteSubjectStore({ filename });
    const otherConsent = sqliteConsentStore({ filename });
    try {
      await stores.consent.append(consentGrant({ subject: 'p-1' }));
      await stores.subject.declarePreferences('p-1', { interests: ['kids'] });
      // A decision: its consent read, then (same turn) its profile read.
      await stores.consent.latest('p-1');
      const first = stores.subject.getPreferences('p-1');
      expect(isThenable(first)).toBe(true);
      expect((await first)?.interests).toEqual(['kids']);

      await stores.consent.latest('p-1');
      const second = stores.subject.getPreferences('p-1');
      // Proven current by the consent read: answered at once, as a copy of its own.
      expect(isThenable(second)).toBe(false);
      const held = second as NonNullable<Awaited<typeof first>>;
      expect(held.interests).toEqual(['kids']);
      (held.interests as string[]).push('changed-by-caller');

      await other.declarePreferences('p-1', { interests: ['home'] });
      await stores.consent.latest('p-1');
      const third = stores.subject.getPreferences('p-1');
      expect(isThenable(third)).toBe(true);
      expect(await third).toEqual(await other.getPreferences('p-1'));
      expect((await third)?.interests).not.toContain('changed-by-caller');

      // A withdrawal by the other connection: the very next decision's consent read sees it.
      await otherConsent.append(
        consentGrant({ subject: 'p-1', status: 'withdrawn', method: 'preference-center' }),
      );
      const latest = await stores.consent.latest('p-1');
      expect(latest.get('personalization.profile')?.status).toBe('withdrawn');

      // No consent read of that person in this turn: read from the database.
      await stores.consent.latest('p-1');
      await nextTurn();
      expect(isThenable(stores.subject.getPreferences('p-1'))).toBe(true);
      await stores.consent.latest('p-2');
      expect(isThenable(stores.subject.getPreferences('p-1'))).toBe(true);
    } finally {
      other.close?.();
      otherConsent.close?.();
      await stores.close();
    }
  });

  it('reads from the database once a write through the stores was made, even in the same turn', async () => {
    const stores = await openSqliteStores({ filename: file() });
    try {
      await stores.consent.append(consentGrant({ subject: 'p-3' }));
      await stores.consent.latest('p-3');
      await stores.subject.getAttributes('p-3');
      await stores.consent.latest('p-3');
      expect(isThenable(stores.subject.getAttributes('p-3'))).toBe(false);
      await stores.subject.setAttributes('p-3', { tier: 'gold' });
      const after = stores.subject.getAttributes('p-3');
      expect(isThenable(after)).toBe(true);
      expect(await after).toEqual({ tier: 'gold' });
    } finally {
      await stores.close();
    }
  });

  it('keeps nothing with cacheSize 0', async () => {
    const stores = await openSqliteStores({ filename: file(), cacheSize: 0 });
    try {
      await stores.consent.latest('p-4');
      await stores.subject.getPreferences('p-4');
      await stores.consent.latest('p-4');
      expect(isThenable(stores.subject.getPreferences('p-4'))).toBe(true);
    } finally {
      await stores.close();
    }
  });
});

for (const reads of ['thread', 'main-first'] as const) {
  describe(`openSqliteStores (reads: '${reads}') never answers a read staler than the database`, () => {
    it('sees a withdrawal by another connection in the very next read', async () => {
      const filename = file();
      const stores = await openSqliteStores({ filename, reads });
      const other = sqliteConsentStore({ filename });
      try {
        await stores.consent.append(consentGrant({ subject: 'w-1' }));
        expect((await stores.consent.latest('w-1')).get('personalization.profile')?.status).toBe('granted');
        await other.append(
          consentGrant({ subject: 'w-1', status: 'withdrawn', method: 'preference-center' }),
        );
        expect((await stores.consent.latest('w-1')).get('personalization.profile')?.status).toBe('withdrawn');
        expect((await stores.consent.history('w-1')).map((r) => r.status)).toEqual(['granted', 'withdrawn']);
      } finally {
        other.close?.();
        await stores.close();
      }
    });

    it('for any interleaving of decisions, writes through the stores and writes by another connection (grants, withdrawals, profiles), every read equals the database', async () => {
      const topics = fc.constantFrom('kids', 'home', 'rain', 'women', 'men');
      const who = fc.constantFrom('a', 'b');
      const step = fc.oneof(
        fc.record({ kind: fc.constant('decide' as const), subject: who }),
        fc.record({
          kind: fc.constantFrom('declare-here' as const, 'declare-elsewhere' as const),
          subject: who,
          interests: fc.array(topics, { maxLength: 3 }),
          notInterested: fc.array(topics, { maxLength: 2 }),
        }),
        fc.record({
          kind: fc.constantFrom('consent-here' as const, 'consent-elsewhere' as const),
          subject: who,
          status: fc.constantFrom('granted' as const, 'withdrawn' as const),
        }),
        fc.record({ kind: fc.constant('next-turn' as const) }),
      );
      const filename = file();
      const stores = await openSqliteStores({ filename, reads });
      const other = sqliteSubjectStore({ filename });
      const otherConsent = sqliteConsentStore({ filename });
      let run = 0;
      try {
        await fc.assert(
          fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
            run++;
            for (const s of steps) {
              if (s.kind === 'next-turn') {
                await nextTurn();
                continue;
              }
              const subject = `${s.subject}-${run}`;
              if (s.kind === 'decide') {
                // A decision's reads: consent, then the profile, in one turn when nothing waits.
                const consent = await stores.consent.latest(subject);
                const got = await stores.subject.getPreferences(subject);
                expect(new Map(consent)).toEqual(await otherConsent.latest(subject));
                expect(got).toEqual(await other.getPreferences(subject));
              } else if (s.kind === 'consent-here' || s.kind === 'consent-elsewhere') {
                const store = s.kind === 'consent-here' ? stores.consent : otherConsent;
                await store.append(
                  consentGrant({
                    subject,
                    status: s.status,
                    ...(s.status === 'withdrawn' ? { method: 'preference-center' } : {}),
                  }),
                );
              } else if ('interests' in s) {
                const store = s.kind === 'declare-here' ? stores.subject : other;
                const { interests } = s;
                await store.declarePreferences(subject, {
                  interests,
                  notInterested: s.notInterested.filter((t) => !interests.includes(t)),
                });
              }
            }
          }),
          { numRuns: 60 },
        );
      } finally {
        other.close?.();
        otherConsent.close?.();
        await stores.close();
      }
    }, 120_000);
  });
}
