/**
 * Time-relative facts computed per request from the agreed category shapes, under `stats.*`, so
 * segment conditions stay plain JSON ("3 purchases within 365 days" needs the decision time).
 * Only the metrics some segment reads are computed.
 */

/** A metric under `stats.`, the categories it is computed from, and how. */
export interface StatMetric {
  /** Matches the path after `stats.`; returns the parameter (days, topic ...) or undefined. */
  match: (rest: string) => string | undefined | null;
  categories: readonly string[];
  doc: string;
}

const exact = (name: string) => (rest: string) => (rest === name ? '' : null);
const param = (prefix: string, pattern: RegExp) => (rest: string) => {
  if (!rest.startsWith(prefix)) return null;
  const p = rest.slice(prefix.length);
  return pattern.test(p) ? p : undefined;
};

/** The metrics segments can read. */
export const STATS: Readonly<Record<string, StatMetric>> = Object.freeze({
  purchasesCount: {
    match: exact('purchases.count'),
    categories: ['behavior.purchases'],
    doc: 'stats.purchases.count',
  },
  purchasesWithin: {
    match: param('purchases.withinDays.d', /^[1-9]\d{0,4}$/),
    categories: ['behavior.purchases'],
    doc: 'stats.purchases.withinDays.d<N> (purchases in the last N days)',
  },
  daysSinceFirstPurchase: {
    match: exact('purchases.daysSinceFirst'),
    categories: ['behavior.purchases'],
    doc: 'stats.purchases.daysSinceFirst',
  },
  daysSinceLastPurchase: {
    match: exact('purchases.daysSinceLast'),
    categories: ['behavior.purchases'],
    doc: 'stats.purchases.daysSinceLast',
  },
  pageviewsCount: {
    match: exact('pageviews.count'),
    categories: ['behavior.pageviews'],
    doc: 'stats.pageviews.count',
  },
  previousVisits: {
    match: exact('pageviews.previousVisits'),
    categories: ['behavior.pageviews'],
    doc: 'stats.pageviews.previousVisits (earlier visits: runs of page views 30 minutes apart, before this one)',
  },
  topicViews: {
    match: param('topics.views.', /^[a-z0-9][a-z0-9-]{0,63}$/),
    categories: ['behavior.pageviews', 'session.events'],
    doc: 'stats.topics.views.<topic> (pages and products about the topic viewed, before and in this visit)',
  },
  cartItems: { match: exact('cart.items'), categories: ['behavior.cart'], doc: 'stats.cart.items' },
  cartIdleHours: {
    match: exact('cart.idleHours'),
    categories: ['behavior.cart'],
    doc: 'stats.cart.idleHours (hours since the cart last changed)',
  },
});

/** A parsed `stats.*` path. */
export interface StatRef {
  metric: keyof typeof STATS;
  param: string;
}

/** Parses a path under `stats.`; undefined when it names no metric. */
export function parseStatPath(path: string): StatRef | undefined {
  if (!path.startsWith('stats.')) return undefined;
  const rest = path.slice('stats.'.length);
  for (const [metric, def] of Object.entries(STATS)) {
    const p = def.match(rest);
    if (typeof p === 'string') return { metric: metric as keyof typeof STATS, param: p };
  }
  return undefined;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const VISIT_GAP = 30 * 60_000;

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const rec = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const time = (v: unknown): number => {
  const at = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isFinite(at) ? at : Number.NaN;
};
const topicsOf = (v: unknown): string[] =>
  arr(rec(v)?.['topics']).filter((t): t is string => typeof t === 'string');

/** The set of metrics to compute, gathered from every path the segments read. */
export interface StatsPlan {
  windows: Set<number>;
  topics: Set<string>;
  metrics: Set<keyof typeof STATS>;
}

/** An empty plan. */
export const emptyPlan = (): StatsPlan => ({ windows: new Set(), topics: new Set(), metrics: new Set() });

/** Adds a stat reference to a plan. */
export function planStat(plan: StatsPlan, ref: StatRef): void {
  plan.metrics.add(ref.metric);
  if (ref.metric === 'purchasesWithin') plan.windows.add(Number(ref.param));
  if (ref.metric === 'topicViews') plan.topics.add(ref.param);
}

/**
 * Computes the planned metrics from category-keyed data, at `now` (epoch ms). Malformed entries
 * (no date, wrong type) are skipped, never a reason to fail.
 */
export function computeStats(
  plan: StatsPlan,
  data: Readonly<Record<string, unknown>>,
  now: number,
): Record<string, unknown> {
  const stats: Record<string, unknown> = {};
  const m = plan.metrics;
  if (
    m.has('purchasesCount') ||
    m.has('purchasesWithin') ||
    m.has('daysSinceFirstPurchase') ||
    m.has('daysSinceLastPurchase')
  ) {
    const times = arr(data['behavior.purchases'])
      .map((p) => time(rec(p)?.['at']))
      .filter((t) => Number.isFinite(t) && t <= now);
    const purchases: Record<string, unknown> = { count: times.length };
    if (plan.windows.size > 0) {
      const within: Record<string, number> = {};
      for (const days of plan.windows) within[`d${days}`] = times.filter((t) => now - t <= days * DAY).length;
      purchases['withinDays'] = within;
    }
    if (times.length > 0) {
      purchases['daysSinceFirst'] = Math.floor((now - Math.min(...times)) / DAY);
      purchases['daysSinceLast'] = Math.floor((now - Math.max(...times)) / DAY);
    }
    stats['purchases'] = purchases;
  }
  if (m.has('pageviewsCount') || m.has('previousVisits')) {
    const times = arr(data['behavior.pageviews'])
      .map((p) => time(rec(p)?.['at']))
      .filter((t) => Number.isFinite(t) && t <= now)
      .sort((a, b) => a - b);
    let visits = 0;
    let last = Number.NEGATIVE_INFINITY;
    for (const t of times) {
      if (t - last > VISIT_GAP) visits++;
      last = t;
    }
    // The visit still going on (its last view within the gap) is this visit, not a previous one.
    if (times.length > 0 && now - last <= VISIT_GAP) visits--;
    stats['pageviews'] = { count: times.length, previousVisits: Math.max(0, visits) };
  }
  if (plan.topics.size > 0) {
    const views: Record<string, number> = {};
    for (const topic of plan.topics) views[topic] = 0;
    const count = (entry: unknown) => {
      for (const topic of topicsOf(entry)) if (topic in views) views[topic]!++;
    };
    for (const pv of arr(data['behavior.pageviews'])) count(pv);
    for (const event of arr(data['session.events'])) {
      const type = rec(event)?.['type'];
      if (type === 'page_view' || type === 'product_view' || type === 'category_view') count(event);
    }
    stats['topics'] = { views };
  }
  if (m.has('cartItems') || m.has('cartIdleHours')) {
    const cart = rec(data['behavior.cart']);
    const items = arr(cart?.['items']).length;
    const cartStats: Record<string, number> = { items };
    const updated = time(cart?.['updatedAt']);
    if (Number.isFinite(updated) && updated <= now)
      cartStats['idleHours'] = Math.floor((now - updated) / HOUR);
    stats['cart'] = cartStats;
  }
  return stats;
}
