import { TactfulError, deepFreeze } from '@tactful/core';
import { z } from 'zod';

/** The kinds of request a person can make about their data. */
export const RIGHTS_REQUEST_TYPES = ['access', 'rectification', 'erasure'] as const;
/** A kind of request a person can make about their data. */
export type RightsRequestType = (typeof RIGHTS_REQUEST_TYPES)[number];

/** A time limit: calendar months, calendar days, or business days (Monday to Friday, UTC). */
export const PeriodSchema = z.union([
  z.strictObject({ months: z.number().int().positive().max(24) }),
  z.strictObject({ days: z.number().int().positive().max(730) }),
  z.strictObject({ businessDays: z.number().int().positive().max(365) }),
]);
/** A time limit. */
export type Period = z.infer<typeof PeriodSchema>;

/** The time limits of one jurisdiction. */
export const JurisdictionRuleSchema = z.strictObject({
  /** The law, in words (`GDPR (EU) 2016/679, Art. 12(3)`). */
  law: z.string().min(1),
  /** When receipt must be acknowledged, where the law sets a limit. */
  acknowledge: PeriodSchema.optional(),
  /** The time to complete each kind of request. */
  respond: z.strictObject({ access: PeriodSchema, rectification: PeriodSchema, erasure: PeriodSchema }),
  /** The most the time may be extended (once, with notice to the person before the first limit passes). */
  extension: PeriodSchema.optional(),
  /** Where the figures come from. */
  sources: z.array(z.string().min(1)).min(1),
});
/** The time limits of one jurisdiction. */
export type JurisdictionRule = z.infer<typeof JurisdictionRuleSchema>;

/**
 * Time limits for answering a person's requests, by jurisdiction code (the same codes consent
 * records use: `EU`, `VN`, `US-CA`). **Not legal advice**: the figures summarise the sources named in
 * each entry as the project read them; check them with counsel and override them through the
 * `jurisdictions` option of `createRightsService` when your reading differs.
 *
 * - `EU` (and `EEA`, `UK`): GDPR Art. 12(3): "without undue delay and in any event within one month
 *   of receipt", extendable "by two further months where necessary, taking into account the
 *   complexity and number of the requests", the person being told within the first month. The UK
 *   GDPR keeps the same wording.
 * - `VN`: Law No. 91/2025/QH15 on Personal Data Protection (in force 1 January 2026) and Decree
 *   No. 356/2025/NĐ-CP (in force 1 January 2026, replacing Decree 13/2023/NĐ-CP, whose limit was
 *   72 hours). As summarised by Vietnamese law firms (Frasers Law Company, "The next chapter in data
 *   protection", 19 January 2026; CDLAF, "Rights of personal data subjects ... under Decree
 *   No. 356/2025/ND-CP"): the controller acknowledges a request within 2 working days and completes
 *   it within 10 to 20 days depending on its kind; a request to stop processing (withdrawal,
 *   restriction, objection) within 15 days; one extension of at most 15 days. This table uses the
 *   shortest completion time, 10 days, for access and rectification, and 15 days for erasure.
 *   Verify these against the decree's own text before relying on them.
 * - `US-CA`: California Consumer Privacy Act, Cal. Civ. Code §1798.130(a)(2): respond within
 *   45 days of receiving a verifiable request, extendable once by 45 more days when reasonably
 *   necessary, with notice within the first 45 days; CCPA Regulations (11 CCR §7021(a)): confirm
 *   receipt of a request to delete or correct within 10 business days.
 *
 * Business days skip Saturdays and Sundays only, not public holidays.
 */
export const JURISDICTIONS: Readonly<Record<string, JurisdictionRule>> = deepFreeze({
  EU: {
    law: 'GDPR (EU) 2016/679, Art. 12(3)',
    respond: { access: { months: 1 }, rectification: { months: 1 }, erasure: { months: 1 } },
    extension: { months: 2 },
    sources: ['Regulation (EU) 2016/679 (GDPR), Article 12(3)'],
  },
  EEA: {
    law: 'GDPR as incorporated into the EEA Agreement, Art. 12(3)',
    respond: { access: { months: 1 }, rectification: { months: 1 }, erasure: { months: 1 } },
    extension: { months: 2 },
    sources: ['Regulation (EU) 2016/679 (GDPR), Article 12(3); EEA Joint Committee Decision 154/2018'],
  },
  UK: {
    law: 'UK GDPR, Art. 12(3)',
    respond: { access: { months: 1 }, rectification: { months: 1 }, erasure: { months: 1 } },
    extension: { months: 2 },
    sources: ['UK GDPR (retained Regulation (EU) 2016/679), Article 12(3)'],
  },
  VN: {
    law: 'Law No. 91/2025/QH15 on Personal Data Protection; Decree No. 356/2025/NĐ-CP',
    acknowledge: { businessDays: 2 },
    respond: { access: { days: 10 }, rectification: { days: 10 }, erasure: { days: 15 } },
    extension: { days: 15 },
    sources: [
      'Law No. 91/2025/QH15 on Personal Data Protection (26 June 2025, in force 1 January 2026)',
      'Decree No. 356/2025/NĐ-CP (31 December 2025, in force 1 January 2026), as summarised by Frasers Law Company (19 January 2026) and CDLAF',
    ],
  },
  'US-CA': {
    law: 'California Consumer Privacy Act (CCPA/CPRA), Cal. Civ. Code §1798.130(a)(2)',
    acknowledge: { businessDays: 10 },
    respond: { access: { days: 45 }, rectification: { days: 45 }, erasure: { days: 45 } },
    extension: { days: 45 },
    sources: ['Cal. Civ. Code §1798.130(a)(2)', 'Cal. Code Regs. tit. 11, §7021(a)'],
  },
});

/** The deadlines of one request. */
export interface DueDates {
  /** The jurisdiction whose rule applied. */
  jurisdiction: string;
  /** The law, in words. */
  law: string;
  receivedAt: string;
  /** When receipt must be acknowledged, where the law sets a limit. */
  acknowledgeBy?: string;
  /** When the request must be completed (the end of that day, UTC). */
  dueAt: string;
  /** The latest completion date if the one allowed extension is taken. */
  extendedDueAt?: string;
}

const DAY = 86_400_000;

/** Adds a period to an instant and returns the end (23:59:59.999 UTC) of the resulting day. */
export function addPeriod(from: number, period: Period): number {
  const d = new Date(from);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth();
  let day = d.getUTCDate();
  if ('months' in period) {
    // The same date `months` later; when that month is shorter, its last day (GDPR practice).
    m += period.months;
    y += Math.floor(m / 12);
    m %= 12;
    day = Math.min(day, new Date(Date.UTC(y, m + 1, 0)).getUTCDate());
  } else if ('days' in period) {
    const t = new Date(Date.UTC(y, m, day) + period.days * DAY);
    [y, m, day] = [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()];
  } else {
    let t = Date.UTC(y, m, day);
    for (let left = period.businessDays; left > 0; ) {
      t += DAY;
      const wd = new Date(t).getUTCDay();
      if (wd !== 0 && wd !== 6) left--;
    }
    const e = new Date(t);
    [y, m, day] = [e.getUTCFullYear(), e.getUTCMonth(), e.getUTCDate()];
  }
  return Date.UTC(y, m, day, 23, 59, 59, 999);
}

/**
 * The deadlines of a request of `type` received at `receivedAt` under `rule`.
 *
 * @example
 * ```ts
 * computeDueDates('EU', JURISDICTIONS.EU!, 'erasure', Date.parse('2026-01-31T10:00:00Z')).dueAt; // '2026-02-28T23:59:59.999Z'
 * ```
 */
export function computeDueDates(
  jurisdiction: string,
  rule: JurisdictionRule,
  type: RightsRequestType,
  receivedAt: number,
): DueDates {
  if (!Number.isFinite(receivedAt)) {
    throw new TactfulError('INVALID_INPUT', 'receivedAt: not a valid date; use an ISO 8601 date-time', {
      path: ['receivedAt'],
    });
  }
  const due = addPeriod(receivedAt, rule.respond[type]);
  return {
    jurisdiction,
    law: rule.law,
    receivedAt: new Date(receivedAt).toISOString(),
    ...(rule.acknowledge
      ? { acknowledgeBy: new Date(addPeriod(receivedAt, rule.acknowledge)).toISOString() }
      : {}),
    dueAt: new Date(due).toISOString(),
    ...(rule.extension ? { extendedDueAt: new Date(addPeriod(due, rule.extension)).toISOString() } : {}),
  };
}

/**
 * The deadlines under the strictest of several rules: the earliest completion date (and, with it,
 * that rule's acknowledgement and extension). Use it when the person's jurisdiction is unknown.
 */
export function strictestDueDates(
  rules: Readonly<Record<string, JurisdictionRule>>,
  type: RightsRequestType,
  receivedAt: number,
): DueDates {
  let best: DueDates | undefined;
  for (const [id, rule] of Object.entries(rules)) {
    const d = computeDueDates(id, rule, type, receivedAt);
    if (!best || d.dueAt < best.dueAt) best = d;
  }
  if (!best)
    throw new TactfulError('INVALID_CONFIG', 'no jurisdiction rules to compute a due date from', {
      path: ['jurisdictions'],
    });
  return best;
}
