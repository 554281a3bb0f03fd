import { TactfulError } from '@tactful/core';
import type { Notice } from './schema.js';

/**
 * What consent records and the opt-in consent provider need of a notice: its version and the hash
 * of each purpose's section. Pass it as `optInConsent({ notice: noticeVersions(notice) })`: a grant
 * whose `notice.hash` differs from its purpose's current hash then counts as not granted, with
 * reason `"notice-changed"`, until the person renews it.
 */
export interface NoticeVersions {
  version: string;
  purposes: Record<string, string>;
}

/**
 * The version and per-purpose hashes of a notice, in the shape `optInConsent({ notice })` takes.
 *
 * @example
 * ```ts
 * const consent = optInConsent({ store, notice: noticeVersions(generateNotice(config)) });
 * ```
 */
export function noticeVersions(notice: Notice): NoticeVersions {
  const purposes: Record<string, string> = {};
  for (const id of Object.keys(notice.purposes).sort()) purposes[id] = notice.purposes[id]!.hash;
  return { version: notice.version, purposes };
}

/**
 * The `notice` field of a consent grant for one purpose: the version of the whole notice the
 * person saw and the hash of that purpose's section.
 *
 * @throws TactfulError `UNKNOWN_PURPOSE` when the notice has no section for the purpose (nothing
 * in the configuration uses it, so there is nothing to consent to).
 *
 * @example
 * ```ts
 * await consentManager.grant({ subject, purpose: 'personalization.profile', method: 'banner',
 *   notice: noticeReference(notice, 'personalization.profile') });
 * ```
 */
export function noticeReference(notice: Notice, purpose: string): { version: string; hash: string } {
  const section = notice.purposes[purpose];
  if (!section) {
    throw new TactfulError(
      'UNKNOWN_PURPOSE',
      `notice: no section for purpose "${purpose}"; the notice covers: ${Object.keys(notice.purposes).join(', ') || '(none)'}`,
      { path: ['purposes', purpose] },
    );
  }
  return { version: notice.version, hash: section.hash };
}

/** A notice, or just its versions (what is usually kept once consent has been given). */
export type NoticeLike = Notice | NoticeVersions;

function hashes(notice: NoticeLike): Map<string, string> {
  return new Map(
    Object.entries(notice.purposes).map(([id, value]) => [
      id,
      typeof value === 'string' ? value : value.hash,
    ]),
  );
}

/** How two notices differ, purpose by purpose. */
export interface NoticeDiff {
  /** Purposes in both whose section changed: consents given under the old one need renewal. */
  changed: string[];
  /** Purposes only the new notice has (nobody has consented to them yet). */
  added: string[];
  /** Purposes only the old notice has (no longer used). */
  removed: string[];
}

/** Compares two notices (or their versions) purpose by purpose. */
export function diffNotices(oldNotice: NoticeLike, newNotice: NoticeLike): NoticeDiff {
  const before = hashes(oldNotice);
  const after = hashes(newNotice);
  const diff: NoticeDiff = { changed: [], added: [], removed: [] };
  for (const [id, hash] of after) {
    const old = before.get(id);
    if (old === undefined) diff.added.push(id);
    else if (old !== hash) diff.changed.push(id);
  }
  for (const id of before.keys()) if (!after.has(id)) diff.removed.push(id);
  diff.changed.sort();
  diff.added.sort();
  diff.removed.sort();
  return diff;
}

/**
 * The purposes whose section changed between two notices: consents given under the old notice
 * for these need renewal (the opt-in provider, given the new {@link noticeVersions}, already
 * treats them as not granted). Purposes that are new are not listed: nobody consented to them yet.
 *
 * @example
 * ```ts
 * consentsNeedingRenewal(lastPublished, generateNotice(config)); // ['personalization.profile']
 * ```
 */
export function consentsNeedingRenewal(oldNotice: NoticeLike, newNotice: NoticeLike): string[] {
  return diffNotices(oldNotice, newNotice).changed;
}
