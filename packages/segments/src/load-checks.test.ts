import { isTactfulError } from '@tactful/core';
import { describe, expect, it } from 'vitest';
import { builtins } from './builtins.js';
import { segments } from './segments.js';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();
const ctx = { signal: new AbortController().signal, traceId: 'trace-load-1' };

const err = (fn: () => unknown): { code: string; message: string } => {
  try {
    fn();
  } catch (error) {
    if (isTactfulError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an error');
};

describe('segment definitions at load', () => {
  const seg = (name: string, condition: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    name,
    description: { en: name },
    condition,
    ...extra,
  });

  it('rejects a segment over a sensitive category without explicit consent, naming segment and category', () => {
    const e = err(() => segments({ segments: [seg('diabetic', { 'health.conditions': 'diabetes' })] }));
    expect(e.code).toBe('SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT');
    expect(e.message).toContain('segment "diabetic"');
    expect(e.message).toContain('"health"');
  });

  it('reports every bad segment at once, each with its own path', () => {
    let caught: unknown;
    try {
      segments({
        segments: [
          seg('bad-operator', { 'profile.attributes.age': { $where: '1' } }),
          seg('ok', { 'profile.attributes.age': { $gte: 18 } }),
          seg('nowhere', { 'no.such.category': 1 }),
          seg('unknown-ref', { 'segments.memberships': 'ghost' }),
        ],
      });
    } catch (error) {
      caught = error;
    }
    expect(isTactfulError(caught)).toBe(true);
    if (!isTactfulError(caught)) return;
    const paths = caught.issues.map((i) => i.path.slice(0, 2).join('.'));
    expect(paths).toEqual(['segments.0', 'segments.2', 'segments.3']);
    expect(caught.message).toContain('3 problems');
  });

  it('accepts it when bound to a purpose with explicit consent for the category', () => {
    const s = segments({
      taxonomy: {
        purposes: [
          {
            id: 'personalization.health',
            label: { en: 'Health-aware offers' },
            explicitConsentFor: ['health'],
          },
        ],
      },
      segments: [seg('diabetic', { 'health.conditions': 'diabetes' }, { purpose: 'personalization.health' })],
    });
    expect(s.manifest.reads.map((r) => [r.category, r.purpose])).toEqual([
      ['health', 'personalization.health'],
    ]);
  });

  it('applies the creepy line through referenced segments too', () => {
    const e = err(() =>
      segments({
        taxonomy: {
          purposes: [
            { id: 'personalization.health', label: { en: 'Health' }, explicitConsentFor: ['health'] },
          ],
        },
        segments: [
          seg('diabetic', { 'health.conditions': 'diabetes' }, { purpose: 'personalization.health' }),
          seg('diabetic-loyal', { 'segments.memberships': 'diabetic' }),
        ],
      }),
    );
    expect(e.code).toBe('SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT');
    expect(e.message).toContain('segment "diabetic-loyal"');
  });

  it('rejects self-references and cycles, naming the cycle', () => {
    expect(err(() => segments({ segments: [seg('a', { 'segments.memberships': 'a' })] }))).toMatchObject({
      code: 'DEPENDENCY_CYCLE',
    });
    const e = err(() =>
      segments({
        segments: [
          seg('a', { 'segments.memberships': { $in: ['b'] } }),
          seg('b', { $or: [{ 'segments.memberships': 'c' }] }),
          seg('c', { 'segments.memberships': { $all: ['a'] } }),
        ],
      }),
    );
    expect(e.code).toBe('DEPENDENCY_CYCLE');
    expect(e.message).toContain('a → b → c → a');
  });

  it('rejects unknown operators, unknown categories, unknown statistics and unknown segments', () => {
    expect(
      err(() => segments({ segments: [seg('x', { 'behavior.purchases': { $sizeOf: 3 } })] })),
    ).toMatchObject({
      code: 'INVALID_CONDITION',
      message: expect.stringContaining('segment "x"'),
    });
    expect(err(() => segments({ segments: [seg('x', { 'loyalty.tier': 'gold' })] }))).toMatchObject({
      code: 'UNKNOWN_CATEGORY',
      message: expect.stringContaining('"loyalty.tier"'),
    });
    expect(err(() => segments({ segments: [seg('x', { 'stats.purchases.total': 3 })] }))).toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    expect(err(() => segments({ segments: [seg('x', { 'segments.memberships': 'ghost' })] }))).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('"ghost"'),
    });
    expect(err(() => segments({ segments: [seg('x', {}), seg('x', {})] }))).toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    expect(
      err(() => segments({ segments: [seg('x', {}, { purpose: 'personalization.mind-reading' })] })),
    ).toMatchObject({
      code: 'UNKNOWN_PURPOSE',
    });
    expect(
      err(() => segments({ segments: [{ name: 'Bad Name', description: { en: 'x' }, condition: {} }] })),
    ).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('segments[0].name'),
    });
  });

  it('evaluates segments that reference other segments after them, with transitive categories', async () => {
    const s = segments({
      segments: [
        seg(
          'vip-parent',
          { 'segments.memberships': { $all: ['loyal-customer', 'interested-in-kids'] } },
          {
            proposals: [{ slot: 'home.hero', content: { banner: 'vip-kids' } }],
          },
        ),
        builtins.loyalCustomer(),
        builtins.interestedIn('kids'),
      ],
    });
    expect(s.compiled.segments.map((x) => x.name)).toEqual([
      'loyal-customer',
      'interested-in-kids',
      'vip-parent',
    ]);
    expect(s.compiled.segments[2]!.categories).toEqual([
      'behavior.pageviews',
      'behavior.purchases',
      'profile.preferences',
      'session.events',
    ]);
    const out = await s.decide(
      {
        slots: [{ id: 'home.hero' }],
        data: {
          'behavior.purchases': [{ at: ago(1) }, { at: ago(2) }, { at: ago(3) }],
          'profile.preferences': { interests: ['kids'], notInterested: [], answers: {} },
        },
        signals: {},
        granted: ['personalization.profile'],
        now: NOW,
      },
      ctx,
    );
    expect(out.signals?.['segments.memberships']).toEqual([
      'loyal-customer',
      'interested-in-kids',
      'vip-parent',
    ]);
    expect(out.proposals[0]).toMatchObject({
      variant: 'vip-parent',
      signals: ['segment:vip-parent'],
      origin: 'observed',
    });
  });
});
