import {
  type ConsentRecord,
  type ConsentRecordInput,
  type ConsentStore,
  PurposeDefinitionSchema,
  type TactfulErrorCode,
  hashConsentRecord,
  isTactfulError,
  verifyConsentChain,
} from '@tactful/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

/** What {@link describeConsentStoreConformance} needs to make a fresh, empty store. */
export interface ConsentStoreConformanceOptions {
  /** Shown in the test names, e.g. `"sqliteConsentStore"`. */
  name: string;
  /**
   * Makes a new, empty store that stamps records with `clock` (epoch ms). Called once per test;
   * the suite calls `close()` afterwards when the store has one.
   */
  create: (options: { clock: () => number }) => ConsentStore | Promise<ConsentStore>;
}

const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const NOTICE = Object.freeze({ version: '2026-03', hash: 'sha256-0f3c9a1b2c' });

/** A valid affirmative grant, for tests. */
export function consentGrant(overrides: Partial<ConsentRecordInput> = {}): ConsentRecordInput {
  return {
    subject: 'subject-1',
    purpose: 'personalization.profile',
    status: 'granted',
    method: 'banner',
    notice: { ...NOTICE },
    source: 'web:/privacy',
    locale: 'vi-VN',
    jurisdiction: 'VN',
    ...overrides,
  };
}

async function errorOf(
  run: () => unknown,
): Promise<{ code: TactfulErrorCode; path: unknown; message: string }> {
  let answer: unknown;
  try {
    answer = run();
  } catch (error) {
    // Callers await a store's answer (a value or a promise); a bad input must reject, not throw.
    throw new Error(`expected a rejected promise, the call threw synchronously: ${String(error)}`, {
      cause: error,
    });
  }
  try {
    await answer;
  } catch (error) {
    if (isTactfulError(error)) return { code: error.code, path: error.path, message: error.message };
    throw new Error(`expected a TactfulError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the call to throw, it resolved');
}

/**
 * The ordered test cases every `ConsentStore` must pass: append-only records with server
 * timestamps, links and a verifiable hash chain; the latest record per purpose; the affirmative-act
 * rule; validation of every field with nothing stored on error; atomic batches; serialised
 * concurrent appends; erasure with a tombstone receipt. Call it inside a vitest test file.
 *
 * @example
 * ```ts
 * import { describeConsentStoreConformance } from '@tactful/testing';
 * describeConsentStoreConformance({ name: 'myStore', create: ({ clock }) => myStore({ clock }) });
 * ```
 */
export function describeConsentStoreConformance(options: ConsentStoreConformanceOptions): void {
  describe(`${options.name} keeps the ConsentStore contract`, () => {
    let now = T0;
    const open: ConsentStore[] = [];
    async function store(): Promise<ConsentStore> {
      now = T0;
      const s = await options.create({ clock: () => now });
      open.push(s);
      return s;
    }
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close?.();
    });

    it('stamps a record with a store id, seq 1, the server time and a hash of its content', async () => {
      const s = await store();
      const r = await s.append(consentGrant());
      expect(r.id).toMatch(/\S{8,}/);
      expect(r).toMatchObject({
        seq: 1,
        subject: 'subject-1',
        purpose: 'personalization.profile',
        status: 'granted',
        method: 'banner',
        notice: NOTICE,
        source: 'web:/privacy',
        locale: 'vi-VN',
        jurisdiction: 'VN',
        actor: { type: 'self' },
        recordedAt: new Date(T0).toISOString(),
        previousId: null,
        previousHash: null,
        supersedes: null,
      });
      expect(r.hash).toBe(await hashConsentRecord(r));
    });

    it('refuses a client-supplied recordedAt: the timestamp is the server clock', async () => {
      const s = await store();
      const e = await errorOf(() =>
        s.append({ ...consentGrant(), recordedAt: '2020-01-01T00:00:00Z' } as ConsentRecordInput),
      );
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.path).toEqual(['recordedAt']);
      expect(await s.history('subject-1')).toEqual([]);
      now = T0 + 5_000;
      expect((await s.append(consentGrant())).recordedAt).toBe(new Date(T0 + 5_000).toISOString());
    });

    it('links each record to the previous one of the subject and to the one it supersedes', async () => {
      const s = await store();
      const a = await s.append(consentGrant());
      now += 1000;
      const b = await s.append(consentGrant({ purpose: 'measurement' }));
      now += 1000;
      const c = await s.append(
        consentGrant({ status: 'withdrawn', method: 'preference-center', notice: undefined }),
      );
      expect(b).toMatchObject({ seq: 2, previousId: a.id, previousHash: a.hash, supersedes: null });
      expect(c).toMatchObject({ seq: 3, previousId: b.id, previousHash: b.hash, supersedes: a.id });
      expect(c).not.toHaveProperty('notice');
      const history = await s.history('subject-1');
      expect(history.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
      expect(await verifyConsentChain(history)).toEqual({ ok: true, records: 3 });
    });

    it('returns the latest record per purpose, and nothing for an unknown subject', async () => {
      const s = await store();
      await s.append(consentGrant());
      await s.append(consentGrant({ purpose: 'measurement' }));
      const withdrawn = await s.append(
        consentGrant({ status: 'withdrawn', method: 'api', notice: undefined }),
      );
      const latest = await s.latest('subject-1');
      expect([...latest.keys()].sort()).toEqual(['measurement', 'personalization.profile']);
      expect(latest.get('personalization.profile')?.id).toBe(withdrawn.id);
      expect(latest.get('measurement')?.status).toBe('granted');
      expect((await s.latest('nobody')).size).toBe(0);
      expect(await s.history('nobody')).toEqual([]);
      expect(await s.erasure('nobody')).toBeUndefined();
    });

    it('keeps subjects apart', async () => {
      const s = await store();
      await s.append(consentGrant({ subject: 'a' }));
      const b = await s.append(consentGrant({ subject: 'b' }));
      expect(b.seq).toBe(1);
      expect(b.previousId).toBeNull();
      expect((await s.history('a')).map((r) => r.subject)).toEqual(['a']);
    });

    it('stores the optional fields: expiry, guardian actor, reason', async () => {
      const s = await store();
      const expiresAt = new Date(T0 + 86_400_000).toISOString();
      const r = await s.append(
        consentGrant({
          expiresAt,
          actor: { type: 'guardian', guardianId: 'parent-7', relationship: 'parent' },
        }),
      );
      const d = await s.append(
        consentGrant({
          purpose: 'measurement',
          status: 'denied',
          method: 'gpc',
          notice: undefined,
          reason: 'gpc',
        }),
      );
      const [first, second] = await s.history('subject-1');
      expect(first).toEqual(r);
      expect(second).toEqual(d);
      expect(first?.expiresAt).toBe(expiresAt);
      expect(first?.actor).toEqual({ type: 'guardian', guardianId: 'parent-7', relationship: 'parent' });
      expect(second?.reason).toBe('gpc');
    });

    for (const method of ['default', 'pre-checked', 'implied', 'gpc'] as const) {
      it(`rejects a grant with method "${method}" as not affirmative, storing nothing`, async () => {
        const s = await store();
        const e = await errorOf(() => s.append(consentGrant({ method })));
        expect(e.code).toBe('CONSENT_NOT_AFFIRMATIVE');
        expect(e.path).toEqual(['method']);
        expect(e.message).toContain(method);
        expect(await s.history('subject-1')).toEqual([]);
      });
    }

    it('rejects a grant without the notice version, storing nothing', async () => {
      const s = await store();
      const e = await errorOf(() => s.append(consentGrant({ notice: undefined })));
      expect(e.code).toBe('CONSENT_NOT_AFFIRMATIVE');
      expect(e.path).toEqual(['notice', 'version']);
      const e2 = await errorOf(() =>
        s.append({ ...consentGrant(), notice: { hash: NOTICE.hash } } as ConsentRecordInput),
      );
      expect(e2.code).toBe('CONSENT_NOT_AFFIRMATIVE');
      expect(await s.history('subject-1')).toEqual([]);
    });

    const bad: Array<[string, () => unknown, TactfulErrorCode, ReadonlyArray<string | number>]> = [
      [
        'a malformed subject id',
        () => consentGrant({ subject: 'me@example.com <script>' }),
        'INVALID_INPUT',
        ['subject'],
      ],
      ['an empty subject id', () => consentGrant({ subject: '' }), 'INVALID_INPUT', ['subject']],
      [
        'a malformed purpose id',
        () => consentGrant({ purpose: 'Not A Purpose' }),
        'INVALID_INPUT',
        ['purpose'],
      ],
      ['an unknown status', () => ({ ...consentGrant(), status: 'maybe' }), 'INVALID_INPUT', ['status']],
      ['an unknown method', () => ({ ...consentGrant(), method: 'telepathy' }), 'INVALID_INPUT', ['method']],
      [
        'an invalid expiry date',
        () => consentGrant({ expiresAt: '2026-02-30T25:00:00Z' }),
        'INVALID_INPUT',
        ['expiresAt'],
      ],
      [
        'an expiry in the past',
        () => consentGrant({ expiresAt: '2020-01-01T00:00:00Z' }),
        'INVALID_INPUT',
        ['expiresAt'],
      ],
      [
        'a bad jurisdiction',
        () => consentGrant({ jurisdiction: 'vietnam' }),
        'INVALID_INPUT',
        ['jurisdiction'],
      ],
      ['an unknown field', () => ({ ...consentGrant(), extra: 1 }), 'INVALID_INPUT', []],
      [
        'a __proto__ key',
        () =>
          JSON.parse(
            '{"subject":"subject-1","purpose":"measurement","status":"denied","method":"api","__proto__":{"polluted":true}}',
          ),
        'INVALID_INPUT',
        ['__proto__'],
      ],
      [
        'a nested constructor key',
        () => ({ ...consentGrant(), actor: JSON.parse('{"type":"self","constructor":{"prototype":{}}}') }),
        'INVALID_INPUT',
        ['actor', 'constructor'],
      ],
      ['an oversize payload', () => consentGrant({ source: 'x'.repeat(10_000) }), 'PAYLOAD_TOO_LARGE', []],
      ['a too long source', () => consentGrant({ source: 'x'.repeat(300) }), 'INVALID_INPUT', ['source']],
    ];
    for (const [label, make, code, path] of bad) {
      it(`rejects ${label} with ${code} naming the field, and nothing stored changes`, async () => {
        const s = await store();
        const kept = await s.append(consentGrant());
        const e = await errorOf(() => s.append(make() as ConsentRecordInput));
        expect(e.code).toBe(code);
        if (path.length > 0) expect(e.path).toEqual(path);
        expect(await s.history('subject-1')).toEqual([kept]);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      });
    }

    it('appends a batch atomically: one bad record stores none of them', async () => {
      const s = await store();
      const e = await errorOf(() =>
        s.appendAll([consentGrant(), consentGrant({ purpose: 'measurement', method: 'default' })]),
      );
      expect(e.code).toBe('CONSENT_NOT_AFFIRMATIVE');
      expect(e.path).toEqual([1, 'method']);
      expect(await s.history('subject-1')).toEqual([]);
      const ok = await s.appendAll([
        consentGrant(),
        consentGrant({ purpose: 'measurement' }),
        consentGrant({ subject: 'other' }),
      ]);
      expect(ok.map((r) => [r.subject, r.seq])).toEqual([
        ['subject-1', 1],
        ['subject-1', 2],
        ['other', 1],
      ]);
      expect(await verifyConsentChain(await s.history('subject-1'))).toEqual({ ok: true, records: 2 });
    });

    it('does not let a caller alter stored records through returned objects', async () => {
      const s = await store();
      const r = await s.append(consentGrant());
      try {
        (r as { status: string }).status = 'denied';
      } catch {
        // frozen: fine
      }
      const [stored] = await s.history('subject-1');
      expect(stored?.status).toBe('granted');
      expect(await verifyConsentChain(await s.history('subject-1'))).toMatchObject({ ok: true });
    });

    it('detects tampering with a stored record through the hash chain', async () => {
      const s = await store();
      await s.append(consentGrant());
      await s.append(consentGrant({ status: 'withdrawn', method: 'api', notice: undefined }));
      const history = await s.history('subject-1');
      const forged = history.map((r, i) => (i === 0 ? { ...r, status: 'denied' as const } : r));
      expect(await verifyConsentChain(forged)).toMatchObject({ ok: false, index: 0 });
      expect(await verifyConsentChain(history.slice(1))).toMatchObject({ ok: false, index: 0 });
    });

    it('serialises concurrent appends into one unbroken chain', async () => {
      const s = await store();
      const purposes = ['personalization.profile', 'measurement', 'marketing.email'];
      const all = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          s.append(consentGrant({ purpose: purposes[i % 3]!, reason: `act ${i}` })),
        ),
      );
      const history = await s.history('subject-1');
      expect(history.map((r) => r.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(new Set(all.map((r) => r.id)).size).toBe(30);
      expect(await verifyConsentChain(history)).toEqual({ ok: true, records: 30 });
    });

    it('erases a subject, keeps only a receipt, and is idempotent', async () => {
      const s = await store();
      await s.append(consentGrant());
      const last = await s.append(consentGrant({ purpose: 'measurement' }));
      const kept = await s.append(consentGrant({ subject: 'someone-else' }));
      now += 60_000;
      const receipt = await s.eraseSubject('subject-1');
      expect(receipt).toEqual({
        subject: 'subject-1',
        erased: 2,
        erasedAt: new Date(now).toISOString(),
        lastHash: last.hash,
      });
      expect(await s.history('subject-1')).toEqual([]);
      expect((await s.latest('subject-1')).size).toBe(0);
      expect(await s.erasure('subject-1')).toEqual(receipt);
      expect(await s.history('someone-else')).toEqual([kept]);
      now += 60_000;
      const again = await s.eraseSubject('subject-1');
      expect(again.erased).toBe(0);
      expect(await s.erasure('subject-1')).toEqual(receipt);
    });

    it('starts a new chain after an erasure', async () => {
      const s = await store();
      await s.append(consentGrant());
      await s.eraseSubject('subject-1');
      const fresh = await s.append(consentGrant());
      expect(fresh).toMatchObject({ seq: 1, previousId: null, previousHash: null, supersedes: null });
      expect(await verifyConsentChain(await s.history('subject-1'))).toEqual({ ok: true, records: 1 });
    });

    it('rejects malformed subject ids in reads and erasure', async () => {
      const s = await store();
      for (const call of [
        () => s.latest('bad id!'),
        () => s.history(''),
        () => s.eraseSubject('x'.repeat(200)),
      ]) {
        const e = await errorOf(call);
        expect(e.code).toBe('INVALID_INPUT');
        expect(e.path).toEqual(['subject']);
      }
    });

    it('for any sequence of acts, the latest per purpose is the last act for it and the chain verifies', async () => {
      const purpose = fc.constantFrom('personalization.profile', 'measurement', 'marketing.email');
      const act = fc.record({
        purpose,
        status: fc.constantFrom('granted' as const, 'denied' as const, 'withdrawn' as const),
        subject: fc.constantFrom('p-1', 'p-2'),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(act, { minLength: 1, maxLength: 12 }), async (acts) => {
          const s = await store();
          try {
            for (const a of acts) {
              now += 1;
              await s.append(
                consentGrant({
                  ...a,
                  method: a.status === 'granted' ? 'preference-center' : 'api',
                  ...(a.status === 'granted' ? {} : { notice: undefined }),
                }),
              );
            }
            for (const subject of ['p-1', 'p-2']) {
              const expected = new Map<string, string>();
              for (const a of acts) if (a.subject === subject) expected.set(a.purpose, a.status);
              const latest = await s.latest(subject);
              expect(new Map([...latest].map(([p, r]: [string, ConsentRecord]) => [p, r.status]))).toEqual(
                expected,
              );
              const history = await s.history(subject);
              expect(history.length).toBe(acts.filter((a) => a.subject === subject).length);
              expect((await verifyConsentChain(history)).ok).toBe(true);
            }
          } finally {
            open.splice(open.indexOf(s), 1);
            await s.close?.();
          }
        }),
        { numRuns: 40 },
      );
    });

    it('accepts purposes of an extended taxonomy (ids are validated for shape only unless a taxonomy is given)', async () => {
      const s = await store();
      const vendor = PurposeDefinitionSchema.parse({ id: 'vendor.loyalty', label: { en: 'Loyalty' } });
      const r = await s.append(consentGrant({ purpose: vendor.id }));
      expect(r.purpose).toBe('vendor.loyalty');
    });
  });
}
