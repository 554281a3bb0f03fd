import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JURISDICTIONS, addPeriod, computeDueDates, strictestDueDates } from './jurisdictions.js';

const at = (s: string) => Date.parse(s);
const due = (j: string, type: 'access' | 'rectification' | 'erasure', received: string) =>
  computeDueDates(j, JURISDICTIONS[j]!, type, at(received));

describe('jurisdiction due dates', () => {
  it('gives the EU one calendar month, clamped to the end of a shorter month, extendable by two', () => {
    expect(due('EU', 'access', '2026-01-03T09:00:00Z')).toMatchObject({
      dueAt: '2026-02-03T23:59:59.999Z',
      extendedDueAt: '2026-04-03T23:59:59.999Z',
    });
    expect(due('EU', 'erasure', '2026-01-31T09:00:00Z').dueAt).toBe('2026-02-28T23:59:59.999Z');
    expect(due('EU', 'erasure', '2028-01-31T09:00:00Z').dueAt).toBe('2028-02-29T23:59:59.999Z');
    expect(due('EU', 'access', '2026-12-15T09:00:00Z').dueAt).toBe('2027-01-15T23:59:59.999Z');
  });

  it('gives California 45 days, extendable by 45, and a receipt confirmation within 10 business days', () => {
    const d = due('US-CA', 'erasure', '2026-03-06T12:00:00Z'); // a Friday
    expect(d.dueAt).toBe('2026-04-20T23:59:59.999Z');
    expect(d.extendedDueAt).toBe('2026-06-04T23:59:59.999Z');
    expect(d.acknowledgeBy).toBe('2026-03-20T23:59:59.999Z');
  });

  it('gives Vietnam days, not a month, and a 2-working-day acknowledgement that skips the weekend', () => {
    const d = due('VN', 'access', '2026-03-06T12:00:00Z'); // a Friday
    expect(d.acknowledgeBy).toBe('2026-03-10T23:59:59.999Z');
    expect(d.dueAt).toBe('2026-03-16T23:59:59.999Z');
    expect(due('VN', 'erasure', '2026-03-06T12:00:00Z').dueAt).toBe('2026-03-21T23:59:59.999Z');
    expect(d.extendedDueAt).toBe('2026-03-31T23:59:59.999Z');
  });

  it('never hard-codes 30 days: jurisdictions disagree for the same request', () => {
    const dates = Object.keys(JURISDICTIONS).map((j) => due(j, 'access', '2026-02-01T00:00:00Z').dueAt);
    expect(new Set(dates).size).toBeGreaterThanOrEqual(3);
    expect(dates).not.toContain(new Date(at('2026-02-01T00:00:00Z') + 30 * 86_400_000).toISOString());
  });

  it('picks the earliest deadline when the jurisdiction is unknown', () => {
    expect(strictestDueDates(JURISDICTIONS, 'access', at('2026-02-01T00:00:00Z')).jurisdiction).toBe('VN');
  });

  it('for any instant and period, the due date is after receipt and the end of a UTC day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('2000-01-01T00:00:00Z'), max: at('2100-01-01T00:00:00Z') }),
        fc.oneof(
          fc.record({ months: fc.integer({ min: 1, max: 24 }) }),
          fc.record({ days: fc.integer({ min: 1, max: 730 }) }),
          fc.record({ businessDays: fc.integer({ min: 1, max: 365 }) }),
        ),
        (received, period) => {
          const d = addPeriod(received, period);
          expect(d).toBeGreaterThan(received);
          expect(new Date(d).toISOString().endsWith('T23:59:59.999Z')).toBe(true);
          if ('businessDays' in period) expect([0, 6]).not.toContain(new Date(d).getUTCDay());
        },
      ),
    );
  });

  it('refuses an invalid receipt date', () => {
    expect(() => computeDueDates('EU', JURISDICTIONS.EU!, 'access', Number.NaN)).toThrow(/receivedAt/);
  });
});

describe('the jurisdictions a service operates under', () => {
  it('drive "strictest": only their rules give the deadline and the law', async () => {
    const { createRightsService } = await import('./rights-service.js');
    const received = Date.parse('2026-03-06T12:00:00Z');
    const eu = createRightsService({ applicable: ['EU'], now: () => received });
    expect(eu.dueDates('access')).toMatchObject({ jurisdiction: 'EU', dueAt: '2026-04-06T23:59:59.999Z' });
    const both = createRightsService({ applicable: ['EU', 'VN'], now: () => received });
    expect(both.dueDates('access').jurisdiction).toBe('VN');
    expect(() => createRightsService({ applicable: ['XX'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS', path: ['applicable', 0] }),
    );
  });
});
