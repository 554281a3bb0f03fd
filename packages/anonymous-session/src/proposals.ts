import type { SessionEvent } from '@tactful/core';
import { eventTime } from './instant.js';
import type { Interest } from './scoring.js';

/** Content of the reordered-categories proposal. */
export interface CategoriesContent {
  readonly kind: 'categories';
  /** Every configured category, the interesting ones first (by score), then the rest in site order. */
  readonly order: readonly string[];
  /** The revealed interests that moved up, highest first. */
  readonly top: readonly string[];
}

/** One item of "continue where you left off". */
export interface ContinueItem {
  readonly target: string;
  readonly topics: readonly string[];
  readonly at: string;
}

/** Content of the "continue where you left off" proposal. */
export interface ContinueContent {
  readonly kind: 'continue';
  /** Recently viewed products, most recent first, without those since added to the cart. */
  readonly items: readonly ContinueItem[];
}

/** The site's categories reordered by interest. Without a configured order, the interests themselves. */
export function reorderCategories(
  categories: readonly string[],
  interests: readonly Interest[],
): CategoriesContent {
  if (categories.length === 0) {
    const top = interests.map((i) => i.topic);
    return { kind: 'categories', order: top, top };
  }
  const known = new Set(categories);
  const top = interests.map((i) => i.topic).filter((t) => known.has(t));
  const moved = new Set(top);
  return { kind: 'categories', order: [...top, ...categories.filter((c) => !moved.has(c))], top };
}

/** Recently viewed products of this session, most recent first, at most `limit`. */
export function continueWhereLeftOff(
  events: readonly unknown[],
  limit: number,
  now: number,
): ContinueContent {
  const inCart = new Set<string>();
  const items: ContinueItem[] = [];
  const seen = new Set<string>();
  const sorted = events
    .filter(
      (e): e is SessionEvent =>
        typeof e === 'object' && e !== null && typeof (e as SessionEvent).at === 'string',
    )
    .map((e) => ({ e, t: eventTime(e) }))
    .filter(({ t }) => Number.isFinite(t) && t <= now + 60_000)
    .sort((a, b) => b.t - a.t);
  for (const { e } of sorted) {
    if (e.type === 'add_to_cart' && typeof e.target === 'string') inCart.add(e.target);
  }
  for (const { e } of sorted) {
    if (items.length >= limit) break;
    if (
      e.type !== 'product_view' ||
      typeof e.target !== 'string' ||
      seen.has(e.target) ||
      inCart.has(e.target)
    )
      continue;
    seen.add(e.target);
    items.push({ target: e.target, topics: Array.isArray(e.topics) ? [...e.topics] : [], at: e.at });
  }
  return { kind: 'continue', items };
}
