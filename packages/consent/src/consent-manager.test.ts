import { type ConsentRecord, createTaxonomy, isTactfulError, verifyConsentChain } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { type ConsentManager, createConsentManager, memoryConsentStore } from '@tactful/consent';

const T0 = Date.parse('2026-03-01T08:00:00.000Z');
const notice = {
  version: '2026-03',
  purposes: { 'personalization.profile': 'sha256-aaaaaaaa01', measurement: 'sha256-bbbbbbbb02' },
};
const seen = (purpose: keyof typeof notice.purposes) => ({
  version: notice.version,
  hash: notice.purposes[purpose],
});

function setup(opts: { withNotice?: boolean } = {}) {
  let now = T0;
  const clock = () => now;
  const store = memoryConsentStore({ clock });
  const consent = createConsentManager({ store, clock, ...(opts.withNotice ? { notice } : {}) });
  return { consent, store, advance: (ms: number) => (now += ms), at: () => now };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isTactfulError(e)) return `${e.code}${e.path ? ` ${JSON.stringify(e.path)}` : ''}`;
    throw e;
  }
  return 'resolved';
}

describe('createConsentManager', () => {
  it('grants, withdraws in one call, and reports the state of every purpose', async () => {
    const { consent } = setup();
    const [g] = await consent.grant({
      subject: 'u-1',
      purpose: 'personalization.profile',
      method: 'banner',
      notice: seen('personalization.profile'),
    });
    expect(g?.status).toBe('granted');
    let state = await consent.state('u-1');
    expect(state.purposes['personalization.profile']).toMatchObject({ status: 'granted', reason: 'granted' });
    expect(state.purposes['measurement']).toMatchObject({ status: 'denied', reason: 'no-record' });
    expect(state.purposes['necessary']).toMatchObject({ status: 'granted', reason: 'not-required' });
    const [w] = await consent.withdraw({ subject: 'u-1', purpose: 'personalization.profile' });
    expect(w).toMatchObject({ status: 'withdrawn', method: 'api', supersedes: g?.id });
    state = await consent.state('u-1');
    expect(state.purposes['personalization.profile']).toMatchObject({
      status: 'denied',
      reason: 'withdrawn',
    });
  });

  it('records a banner choice of several purposes atomically', async () => {
    const { consent } = setup();
    const records = await consent.grant({
      subject: 'u-1',
      purposes: ['personalization.profile', 'measurement'],
      method: 'banner',
      notice: { version: '2026-03', hash: 'sha256-cccccccc03' },
    });
    expect(records.map((r) => r.purpose)).toEqual(['personalization.profile', 'measurement']);
    expect(
      await codeOf(
        consent.grant({
          subject: 'u-1',
          purposes: ['marketing.email', 'nope.nope'],
          method: 'banner',
          notice: seen('measurement'),
        }),
      ),
    ).toBe('UNKNOWN_PURPOSE ["purposes",1]');
    expect((await consent.history('u-1')).length).toBe(2);
  });

  it('withdraws every granted purpose with purposes: "all"', async () => {
    const { consent } = setup();
    await consent.grant({
      subject: 'u-1',
      purposes: ['personalization.profile', 'measurement'],
      method: 'preference-center',
      notice: seen('measurement'),
    });
    await consent.deny({ subject: 'u-1', purpose: 'marketing.email', method: 'banner' });
    const withdrawn = await consent.withdraw({ subject: 'u-1', purposes: 'all' });
    expect(withdrawn.map((r) => r.purpose).sort()).toEqual(['measurement', 'personalization.profile']);
    const state = await consent.state('u-1');
    expect(
      Object.values(state.purposes)
        .filter((p) => p.status === 'granted')
        .map((p) => p.reason),
    ).toEqual(['not-required']);
    expect(await consent.withdraw({ subject: 'u-1', purposes: 'all' })).toEqual([]);
    expect(
      await codeOf(
        consent.grant({ subject: 'u-1', purposes: 'all', method: 'banner', notice: seen('measurement') }),
      ),
    ).toBe('CONSENT_NOT_AFFIRMATIVE ["purposes"]');
  });

  it('rejects presumed consent and grants without a notice, storing nothing', async () => {
    const { consent } = setup();
    expect(
      await codeOf(
        consent.grant({
          subject: 'u-1',
          purpose: 'measurement',
          method: 'pre-checked',
          notice: seen('measurement'),
        }),
      ),
    ).toBe('CONSENT_NOT_AFFIRMATIVE ["method"]');
    expect(await codeOf(consent.grant({ subject: 'u-1', purpose: 'measurement', method: 'banner' }))).toBe(
      'CONSENT_NOT_AFFIRMATIVE ["notice","version"]',
    );
    expect(
      await codeOf(consent.grant({ subject: 'u-1', purpose: 'measurement', notice: seen('measurement') })),
    ).toBe('INVALID_INPUT ["method"]');
    expect(await consent.history('u-1')).toEqual([]);
  });

  it('rejects bad input with a TactfulError naming the field, and nothing stored changes', async () => {
    const { consent } = setup();
    await consent.grant({
      subject: 'u-1',
      purpose: 'measurement',
      method: 'banner',
      notice: seen('measurement'),
    });
    const before = await consent.history('u-1');
    const cases: Array<[Promise<unknown>, string]> = [
      [
        consent.grant({
          subject: 'u 1',
          purpose: 'measurement',
          method: 'banner',
          notice: seen('measurement'),
        }),
        'INVALID_INPUT ["subject"]',
      ],
      [
        consent.grant({
          subject: 'u-1',
          purpose: 'vendor.unknown',
          method: 'banner',
          notice: seen('measurement'),
        }),
        'UNKNOWN_PURPOSE ["purpose"]',
      ],
      [
        consent.grant({
          subject: 'u-1',
          purpose: 'measurement',
          method: 'banner',
          notice: seen('measurement'),
          expiresAt: 'tomorrow',
        }),
        'INVALID_INPUT ["expiresAt"]',
      ],
      [
        consent.grant({
          subject: 'u-1',
          purpose: 'measurement',
          method: 'banner',
          notice: seen('measurement'),
          source: 'x'.repeat(5000),
        }),
        'PAYLOAD_TOO_LARGE []',
      ],
      [
        consent.grant(
          JSON.parse(
            '{"subject":"u-1","purpose":"measurement","method":"banner","__proto__":{"admin":true}}',
          ),
        ),
        'INVALID_INPUT ["__proto__"]',
      ],
      [
        consent.grant({
          subject: 'u-1',
          purposes: ['measurement', 'measurement'],
          method: 'banner',
          notice: seen('measurement'),
        }),
        'INVALID_INPUT ["purposes",1]',
      ],
      [consent.withdraw({ subject: 'u-1' }), 'INVALID_INPUT ["purpose"]'],
      [consent.state('../etc/passwd'), 'INVALID_INPUT ["subject"]'],
    ];
    for (const [call, expected] of cases) expect(await codeOf(call)).toBe(expected);
    expect(await consent.history('u-1')).toEqual(before);
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });

  it('counts an expired grant as denied', async () => {
    const { consent, advance } = setup();
    await consent.grant({
      subject: 'u-1',
      purpose: 'measurement',
      method: 'banner',
      notice: seen('measurement'),
      expiresAt: new Date(T0 + 60_000).toISOString(),
    });
    expect((await consent.state('u-1')).purposes['measurement']?.status).toBe('granted');
    advance(60_000);
    expect((await consent.state('u-1')).purposes['measurement']).toMatchObject({
      status: 'denied',
      reason: 'expired',
    });
  });

  it('with the current notice: refuses a grant against an old section and reports notice-changed for old grants', async () => {
    const old = setup();
    await old.consent.grant({
      subject: 'u-1',
      purpose: 'measurement',
      method: 'banner',
      notice: { version: '2025-01', hash: 'sha256-oldoldold' },
    });
    const consent = createConsentManager({ store: old.store, notice, clock: old.at });
    expect((await consent.state('u-1')).purposes['measurement']).toMatchObject({
      status: 'denied',
      reason: 'notice-changed',
    });
    expect(
      await codeOf(
        consent.grant({
          subject: 'u-1',
          purpose: 'measurement',
          method: 'banner',
          notice: { version: '2026-03', hash: 'sha256-oldoldold' },
        }),
      ),
    ).toBe('INVALID_INPUT ["notice","hash"]');
    await consent.grant({
      subject: 'u-1',
      purpose: 'measurement',
      method: 'banner',
      notice: seen('measurement'),
    });
    expect((await consent.state('u-1')).purposes['measurement']).toMatchObject({ status: 'granted' });
  });

  it('records a guardian acting for a child', async () => {
    const { consent } = setup();
    const [r] = await consent.grant({
      subject: 'child-9',
      purpose: 'measurement',
      method: 'in-person',
      notice: seen('measurement'),
      actor: { type: 'guardian', guardianId: 'parent-3', relationship: 'parent' },
    });
    expect(r?.actor).toEqual({ type: 'guardian', guardianId: 'parent-3', relationship: 'parent' });
  });

  it('accepts purposes of an extended taxonomy and rejects them without it', async () => {
    const taxonomy = createTaxonomy([
      { purposes: [{ id: 'loyalty.rewards', label: { en: 'Rewards', vi: 'Phần thưởng' } }] },
    ]);
    const store = memoryConsentStore();
    const extended = createConsentManager({ store, taxonomy });
    await extended.grant({
      subject: 'u-1',
      purpose: 'loyalty.rewards',
      method: 'form',
      notice: seen('measurement'),
    });
    expect((await extended.state('u-1')).purposes['loyalty.rewards']?.status).toBe('granted');
    expect(
      await codeOf(
        createConsentManager({ store }).grant({
          subject: 'u-1',
          purpose: 'loyalty.rewards',
          method: 'form',
          notice: seen('measurement'),
        }),
      ),
    ).toBe('UNKNOWN_PURPOSE ["purpose"]');
  });

  it('exports the history as JSON with a verified chain, and erases it leaving a receipt', async () => {
    const { consent, advance } = setup();
    await consent.grant({
      subject: 'u-1',
      purpose: 'measurement',
      method: 'banner',
      notice: seen('measurement'),
    });
    advance(1000);
    await consent.withdraw({ subject: 'u-1', purpose: 'measurement', method: 'preference-center' });
    const json = await consent.exportHistory('u-1', { format: 'json' });
    expect(json.format).toBe('tactful.consent-history.v1');
    expect(json.records.map((r: ConsentRecord) => r.status)).toEqual(['granted', 'withdrawn']);
    expect(json.integrity).toEqual({ ok: true, records: 2 });
    expect(json.current['measurement']).toEqual({ status: 'denied', reason: 'withdrawn' });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(await consent.verify('u-1')).toEqual(await verifyConsentChain(json.records));
    const receipt = await consent.eraseSubject('u-1');
    expect(receipt.erased).toBe(2);
    const after = await consent.exportHistory('u-1', { format: 'json' });
    expect(after.records).toEqual([]);
    expect(after.erasure).toEqual(receipt);
  });

  it('rejects bad options with INVALID_OPTIONS naming the field', () => {
    const expectOptions = (run: () => ConsentManager, field: string) => {
      try {
        run();
      } catch (e) {
        expect(isTactfulError(e) && e.code).toBe('INVALID_OPTIONS');
        expect((e as Error).message).toContain(field);
        return;
      }
      throw new Error('expected INVALID_OPTIONS');
    };
    expectOptions(() => createConsentManager({ store: {} as never }), 'store');
    expectOptions(
      () => createConsentManager({ store: memoryConsentStore(), notice: { version: '' } as never }),
      'notice',
    );
  });
});
