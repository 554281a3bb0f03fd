import type { SessionEvent } from '@tactful/core';
import { type TimedEvents, timedEvents } from './instant.js';
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
  // Index loops (the configured list is frozen); `top` holds at most `caps.topics` (≤ 100) topics.
  const top: string[] = [];
  for (let i = 0; i < interests.length; i++) {
    const t = interests[i]!.topic;
    if (categories.length === 0 || categories.includes(t)) top.push(t);
  }
  if (categories.length === 0) return { kind: 'categories', order: top, top };
  const order = [...top];
  for (let i = 0; i < categories.length; i++) if (!top.includes(categories[i]!)) order.push(categories[i]!);
  return { kind: 'categories', order, top };
}

/** Recently viewed products of this session, most recent first, at most `limit`. */
export function continueWhereLeftOff(
  events: readonly unknown[],
  limit: number,
  now: number,
): ContinueContent {
  return continueFromTimed(timedEvents(events, now), limit);
}

/** {@link continueWhereLeftOff} over events whose times were read already (by {@link timedEvents}). */
export function continueFromTimed(timed: TimedEvents, limit: number): ContinueContent {
  const { events, times } = timed;
  // Most recent first; between events of the same moment, the given order (a stable sort). Events
  // usually come oldest first, strictly: then that order is the given one backwards, no sort.
  const order: number[] = [];
  let ascending = true;
  for (let i = events.length - 1; i >= 0; i--) {
    order.push(i);
    if (i > 0 && !(times[i - 1]! < times[i]!)) ascending = false;
  }
  if (!ascending) order.sort((a, b) => times[b]! - times[a]! || a - b);
  const inCart = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e['type'] === 'add_to_cart' && typeof e['target'] === 'string') inCart.add(e['target']);
  }
  const items: ContinueItem[] = [];
  const seen = new Set<string>();
  for (let k = 0; k < order.length && items.length < limit; k++) {
    const e = events[order[k]!] as Partial<SessionEvent>;
    const target = e.target;
    if (e.type !== 'product_view' || typeof target !== 'string' || seen.has(target) || inCart.has(target))
      continue;
    seen.add(target);
    items.push({ target, topics: Array.isArray(e.topics) ? [...e.topics] : [], at: e.at as string });
  }
  return { kind: 'continue', items };
}
