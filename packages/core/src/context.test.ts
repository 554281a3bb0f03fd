import { describe, expect, it } from 'vitest';
import {
  DecisionRequestSchema,
  DecisionSchema,
  REQUEST_CATEGORIES,
  REQUEST_LIMITS,
  categoriesFromRequest,
  defaultTaxonomy,
} from '@tactful/core';

const NOW = Date.parse('2026-02-17T01:30:00Z');
const slots = [{ id: 'home.hero', default: { title: 'Welcome' } }];

describe('DecisionRequestSchema', () => {
  it('accepts a minimal request and fills defaults', () => {
    const request = DecisionRequestSchema.parse({ slots });
    expect(request.context).toEqual({});
    expect(request.subject).toBeUndefined();
  });

  it('accepts a full request', () => {
    const result = DecisionRequestSchema.safeParse({
      subject: { id: 'sub_8f3a:tenant-1' },
      context: {
        now: '2026-02-17T08:30:00+07:00',
        timeZone: 'Asia/Ho_Chi_Minh',
        userAgent: 'Mozilla/5.0',
        clientHints: { 'sec-ch-ua-mobile': '?1' },
        acceptLanguage: 'vi-VN,vi;q=0.9,en;q=0.8',
        locale: 'vi-VN',
        geo: { country: 'VN', city: 'Hanoi' },
        url: 'https://shop.example/kids',
        gpc: true,
        attributes: { campaign: 'tet', pageType: 'category', adults: 2, member: true, coupon: null },
      },
      session: {
        id: 'a'.repeat(16),
        events: [{ type: 'product_view', at: '2026-02-17T01:29:00Z', topics: ['kids'] }],
      },
      slots,
      traceId: 'trace-1234',
    });
    expect(result.success).toBe(true);
  });

  it('rejects what it must, at the boundary', () => {
    const bad = [
      { slots: [] },
      { slots: Array.from({ length: REQUEST_LIMITS.maxSlots + 1 }, (_, i) => ({ id: `s${i}` })) },
      { slots: [{ id: 'has space' }] },
      { slots, subject: { id: '' } },
      { slots, subject: { id: 'Nguyễn Văn A' } },
      { slots, context: { now: '2026-02-17' } },
      { slots, context: { geo: { country: 'Vietnam' } } },
      { slots, context: { url: 'x'.repeat(REQUEST_LIMITS.maxString + 1) } },
      { slots, context: { preciseLocation: { latitude: 91, longitude: 0 } } },
      { slots, context: { attributes: { nested: { a: 1 } } } },
      { slots, context: { attributes: { n: Number.NaN } } },
      {
        slots,
        context: {
          attributes: Object.fromEntries(
            Array.from({ length: REQUEST_LIMITS.maxAttributes + 1 }, (_, i) => [`a${i}`, i]),
          ),
        },
      },
      { slots, session: { id: 'short', events: [] } },
      { slots, session: { id: 'a'.repeat(16), events: [{ type: 'click', at: '2026-02-17T01:29:00Z' }] } },
      {
        slots,
        session: {
          id: 'a'.repeat(16),
          events: [{ type: 'dwell', at: '2026-02-17T01:29:00Z', durationMs: -1 }],
        },
      },
      { slots, traceId: 'short' },
    ];
    for (const request of bad)
      expect(DecisionRequestSchema.safeParse(request).success, JSON.stringify(request).slice(0, 80)).toBe(
        false,
      );
  });

  it('caps session events', () => {
    const event = { type: 'page_view', at: '2026-02-17T01:29:00Z' };
    const ok = {
      slots,
      session: {
        id: 'a'.repeat(16),
        events: Array.from({ length: REQUEST_LIMITS.maxSessionEvents }, () => event),
      },
    };
    expect(DecisionRequestSchema.safeParse(ok).success).toBe(true);
    ok.session.events.push(event);
    expect(DecisionRequestSchema.safeParse(ok).success).toBe(false);
  });
});

describe('categoriesFromRequest', () => {
  it('always provides the time, defaulting to the decision time', () => {
    const out = categoriesFromRequest(DecisionRequestSchema.parse({ slots }), NOW);
    expect(out).toEqual({ 'context.time': { now: '2026-02-17T01:30:00.000Z' } });
  });

  it('provides each request-borne category only when the request holds something for it', () => {
    const request = DecisionRequestSchema.parse({
      slots,
      subject: { id: 'sub-42' },
      context: {
        now: '2026-02-17T08:30:00+07:00',
        timeZone: 'Asia/Ho_Chi_Minh',
        userAgent: 'UA',
        locale: 'vi',
        geo: { country: 'VN' },
        preciseLocation: { latitude: 21.03, longitude: 105.85 },
        referrer: 'https://search.example/',
        attributes: { campaign: 'tet' },
      },
      session: {
        id: 'b'.repeat(20),
        events: [{ type: 'search', at: '2026-02-17T01:00:00Z', target: 'lego' }],
      },
    });
    const out = categoriesFromRequest(request, NOW);
    expect(out).toEqual({
      'context.time': { now: '2026-02-17T08:30:00+07:00', timeZone: 'Asia/Ho_Chi_Minh' },
      'context.device': { userAgent: 'UA' },
      'context.locale': { locale: 'vi' },
      'context.location.coarse': { country: 'VN' },
      'location.precise': { latitude: 21.03, longitude: 105.85 },
      'context.page': { referrer: 'https://search.example/', attributes: { campaign: 'tet' } },
      'session.events': [{ type: 'search', at: '2026-02-17T01:00:00Z', target: 'lego' }],
      'session.id': 'b'.repeat(20),
      'subject.id': 'sub-42',
    });
    for (const key of Object.keys(out)) expect(REQUEST_CATEGORIES).toContain(key);
  });

  it('provides no device, locale, location or page category from an empty context', () => {
    const out = categoriesFromRequest(
      DecisionRequestSchema.parse({ slots, context: { gpc: true, dnt: true } }),
      NOW,
    );
    expect(Object.keys(out)).toEqual(['context.time']);
  });

  it('lists only categories of the taxonomy, with precise location the sensitive one', () => {
    for (const id of REQUEST_CATEGORIES) expect(defaultTaxonomy.categories.has(id)).toBe(true);
    expect(REQUEST_CATEGORIES.filter((id) => defaultTaxonomy.category(id).sensitive)).toEqual([
      'location.precise',
    ]);
  });
});

describe('DecisionSchema', () => {
  it('describes a decision with explanations, dropped plugins and consent', () => {
    const decision = {
      traceId: 'trace-1234',
      decidedAt: '2026-02-17T01:30:00.000Z',
      slots: [
        {
          slot: 'home.hero',
          content: { title: 'Tết sale' },
          variant: 'tet',
          strategy: 'contextual',
          score: 0.8,
          isDefault: false,
          explanation: {
            strategy: 'contextual',
            summary: { en: 'Because Tết is near', vi: 'Vì sắp đến Tết' },
            signals: ['holiday:tet'],
            purposes: ['personalization.contextual'],
            categories: ['context.time'],
          },
        },
      ],
      purposesUsed: ['personalization.contextual'],
      categoriesUsed: ['context.time'],
      dropped: [
        {
          plugin: 'segments',
          kind: 'strategy',
          outcome: 'skipped',
          code: 'CONSENT_NOT_AFFIRMATIVE',
          reason: 'no consent',
        },
      ],
      consent: { purposes: { 'personalization.contextual': { status: 'granted', provider: 'opt-in' } } },
    };
    expect(DecisionSchema.safeParse(decision).success).toBe(true);
    expect(
      DecisionSchema.safeParse({ ...decision, dropped: [{ ...decision.dropped[0], outcome: 'maybe' }] })
        .success,
    ).toBe(false);
  });
});
