import type { ConsentRecord, PurposeConsent } from '@tactful/core';

/**
 * Why a purpose is granted or denied. Only `granted` and `not-required` grant (P1):
 * - `granted`: a live affirmative grant for the current notice;
 * - `not-required`: the purpose needs no consent (`necessary`);
 * - `no-record`, `no-subject`: nobody consented; `denied`, `withdrawn`: the person said no;
 * - `expired`: the grant's expiry has passed; `notice-changed`: the grant was for another version of
 *   the purpose's notice section (renewal needed); `unknown-purpose`: not in the taxonomy;
 * - `consent-unavailable`: the consent store could not be read (fail closed, P8);
 * - `invalid-record`: the record cannot prove when it was given (its `recordedAt` is missing, empty,
 *   not a date, or later than the server's clock allows), so it grants nothing (P1);
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
  | 'invalid-record'
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
  // A grant that cannot prove when it was given is no grant (a custom store, a row another tool wrote).
  if (!provesTime(record.recordedAt, now)) return { status: 'denied', reason: 'invalid-record' };
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

/** How far ahead of the server's clock a record's time may be (clock skew between writers). */
const MAX_FUTURE_MS = 5 * 60_000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** True for an ISO 8601 date-time that is not later than `now` (give or take the allowed skew). */
function provesTime(recordedAt: unknown, now: number): boolean {
  if (typeof recordedAt !== 'string' || !ISO_TIME.test(recordedAt)) return false;
  const at = Date.parse(recordedAt);
  return Number.isFinite(at) && at <= now + MAX_FUTURE_MS;
}

/** A {@link PurposeConsent} for a record's evaluation, with the proof fields filled in. */
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
