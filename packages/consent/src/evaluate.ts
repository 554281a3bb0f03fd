import type { ConsentRecord, PurposeConsent } from '@tactful/core';

/**
 * Why a purpose is granted or denied. Only `granted` and `not-required` grant (P1):
 * - `granted`: a live affirmative grant for the current notice;
 * - `not-required`: the purpose needs no consent (`necessary`);
 * - `no-record`, `no-subject`: nobody consented; `denied`, `withdrawn`: the person said no;
 * - `expired`: the grant's expiry has passed; `notice-changed`: the grant was for another version of
 *   the purpose's notice section (renewal needed); `unknown-purpose`: not in the taxonomy;
 * - `consent-unavailable`: the consent store could not be read (fail closed, P8);
 * - `gpc`, `dnt`: a browser privacy signal; `tcf`, `tcf-invalid`, `tcf-expired`: an IAB TCF string.
 */
export type ConsentReason =
  | 'granted'
  | 'not-required'
  | 'no-record'
  | 'no-subject'
  | 'denied'
  | 'withdrawn'
  | 'expired'
  | 'notice-changed'
  | 'unknown-purpose'
  | 'consent-unavailable'
  | 'gpc'
  | 'dnt'
  | 'tcf'
  | 'tcf-invalid'
  | 'tcf-expired';

/** The notice option shared by `optInConsent` and `createConsentManager` (see `@tactful/notice`'s `noticeVersions`). */
export interface CurrentNotice {
  /** The version of the whole notice now shown. */
  version: string;
  /** Purpose id → hash of that purpose's section of the current notice. */
  purposes: Record<string, string>;
}

/**
 * What the latest record of one purpose means at time `now`: granted only when it is a grant that
 * has not expired and (when the current notice is known) was given for the current hash of the
 * purpose's notice section.
 */
export function evaluateConsentRecord(
  record: ConsentRecord | undefined,
  now: number,
  notice?: CurrentNotice,
): { status: 'granted' | 'denied'; reason: ConsentReason } {
  if (!record) return { status: 'denied', reason: 'no-record' };
  if (record.status === 'withdrawn') return { status: 'denied', reason: 'withdrawn' };
  if (record.status !== 'granted') return { status: 'denied', reason: 'denied' };
  if (record.expiresAt !== undefined && !(Date.parse(record.expiresAt) > now))
    return { status: 'denied', reason: 'expired' };
  if (notice) {
    const current = Object.hasOwn(notice.purposes, record.purpose)
      ? notice.purposes[record.purpose]
      : undefined;
    if (current === undefined || record.notice?.hash !== current)
      return { status: 'denied', reason: 'notice-changed' };
  }
  return { status: 'granted', reason: 'granted' };
}

/** A {@link @tactful/core!PurposeConsent | PurposeConsent} for a record's evaluation, with the proof fields filled in. */
export function purposeConsentOf(
  provider: string,
  evaluation: { status: 'granted' | 'denied'; reason: ConsentReason },
  record?: ConsentRecord,
): PurposeConsent {
  return {
    status: evaluation.status,
    provider,
    reason: evaluation.reason,
    ...(record ? { recordId: record.id } : {}),
    ...(record?.notice ? { noticeVersion: record.notice.version } : {}),
    ...(record?.expiresAt && evaluation.status === 'granted' ? { expiresAt: record.expiresAt } : {}),
  };
}
