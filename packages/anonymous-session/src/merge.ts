import { type ConsentState, type SessionEvent, TactfulError } from '@tactful/core';
import type { SessionStore } from './session-store.js';

/** One entry of the agreed `behavior.pageviews` category. */
export interface PageviewRecord {
  at: string;
  url?: string;
  productId?: string;
  topics?: string[];
  durationMs?: number;
}

/** What {@link mergeIntoProfile} hands to your profile store. */
export interface ProfilePatch {
  'behavior.pageviews': PageviewRecord[];
}

/** Options of {@link mergeIntoProfile}. */
export interface MergeIntoProfileOptions {
  store: SessionStore;
  /** The anonymous session to merge. */
  sessionId: string;
  /** The person's current consent: a decision's consent snapshot, or the list of granted purposes. */
  consent: ConsentState | readonly string[];
  /** Writes the patch to the person's profile (e.g. your subject store's append). */
  write: (patch: ProfilePatch) => void | Promise<void>;
}

function granted(consent: ConsentState | readonly string[], purpose: string): boolean {
  if (Array.isArray(consent)) return consent.includes(purpose);
  return (consent as ConsentState).purposes?.[purpose]?.status === 'granted';
}

/** Maps session events to page views: searches and cart events are not carried over. */
export function toPageviews(events: readonly SessionEvent[]): PageviewRecord[] {
  const out: PageviewRecord[] = [];
  for (const e of events) {
    const topics = e.topics && e.topics.length > 0 ? { topics: [...e.topics] } : {};
    if (e.type === 'product_view')
      out.push({ at: e.at, ...(e.target ? { productId: e.target } : {}), ...topics });
    else if (e.type === 'page_view' || e.type === 'category_view')
      out.push({ at: e.at, ...(e.target ? { url: e.target } : {}), ...topics });
    else if (e.type === 'dwell') {
      out.push({
        at: e.at,
        ...(e.target ? { url: e.target } : {}),
        ...topics,
        ...(e.durationMs === undefined ? {} : { durationMs: e.durationMs }),
      });
    }
  }
  return out;
}

/**
 * Merges an anonymous session into the signed-in person's profile — only when the person has
 * granted `personalization.profile` (P7: an anonymous session is never joined to an identity
 * without consent). Page, product and category views and dwell times become `behavior.pageviews`;
 * searches and cart events are left out. Afterwards the session is rotated: the anonymous id is
 * retired and the visit continues under a fresh id with no events (they now live in the profile).
 *
 * @throws TactfulError `FORBIDDEN` without consent (nothing is read or written), `NOT_FOUND` for a session that is not live
 * @example
 * ```ts
 * const { sessionId } = await mergeIntoProfile({ store: sessions, sessionId: id, consent: decision.consent,
 *   write: (patch) => subjects.append(subjectId, patch) });
 * ```
 */
export async function mergeIntoProfile(
  options: MergeIntoProfileOptions,
): Promise<{ merged: number; sessionId: string }> {
  if (!granted(options.consent, 'personalization.profile')) {
    throw new TactfulError(
      'FORBIDDEN',
      'mergeIntoProfile: "personalization.profile" is not granted; an anonymous session is never merged into a profile without consent',
    );
  }
  const events = await options.store.events(options.sessionId);
  if (events === undefined)
    throw new TactfulError('NOT_FOUND', 'mergeIntoProfile: no live session with that id');
  const pageviews = toPageviews(events);
  await options.write({ 'behavior.pageviews': pageviews });
  const sessionId = await options.store.rotate(options.sessionId, { keepEvents: false });
  return { merged: pageviews.length, sessionId };
}
