import type { Explanation, LocalizedText, Taxonomy } from '@tactful/core';

/** The explanation of default content: nothing about the person was used. */
export const DEFAULT_EXPLANATION: Explanation = Object.freeze({
  strategy: 'default',
  summary: Object.freeze({
    en: 'This is the default content: nothing about you was used to choose it.',
    vi: 'Đây là nội dung mặc định: không có dữ liệu nào về bạn được dùng để chọn nội dung này.',
  }),
  signals: Object.freeze([]) as unknown as string[],
  purposes: Object.freeze([]) as unknown as string[],
  categories: Object.freeze([]) as unknown as string[],
}) as Explanation;

/** A fresh copy of {@link DEFAULT_EXPLANATION}, so callers may edit a decision they received. */
export function defaultExplanation(): Explanation {
  return {
    strategy: 'default',
    summary: { en: DEFAULT_EXPLANATION.summary.en, vi: DEFAULT_EXPLANATION.summary.vi! },
    signals: [],
    purposes: [],
    categories: [],
  };
}

function list(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

/**
 * A Vietnamese summary for a proposal whose strategy gave English only, written from the taxonomy's
 * Vietnamese labels of the categories (or purposes) that chose it.
 */
export function vietnameseFallback(
  taxonomy: Taxonomy,
  categories: readonly string[],
  purposes: readonly string[],
): string {
  const cats = categories.map((c) => {
    const label = taxonomy.categories.get(c)?.label;
    return (label?.vi ?? label?.en ?? c).toLocaleLowerCase('vi');
  });
  if (cats.length > 0) return `Nội dung này được chọn cho bạn dựa trên: ${list(cats, 'và')}.`;
  const ps = purposes.map((p) => {
    const label = taxonomy.purposes.get(p)?.label;
    return (label?.vi ?? label?.en ?? p).toLocaleLowerCase('vi');
  });
  return `Nội dung này được chọn cho bạn với mục đích: ${list(ps, 'và')}.`;
}

const fallbacks = new WeakMap<Taxonomy, Map<string, string>>();
const MAX_CACHED = 1000;

/** Builds the summary: the strategy's own words, with a Vietnamese sentence when it gave none. */
export function summaryOf(
  reason: LocalizedText,
  taxonomy: Taxonomy,
  categories: readonly string[],
  purposes: readonly string[],
): LocalizedText {
  if (reason.vi !== undefined) return { en: reason.en, vi: reason.vi };
  // The sentence depends only on the configuration's labels: computed once per combination.
  let cache = fallbacks.get(taxonomy);
  if (!cache) {
    cache = new Map();
    fallbacks.set(taxonomy, cache);
  }
  const key = `${categories.join(',')}|${purposes.join(',')}`;
  let vi = cache.get(key);
  if (vi === undefined) {
    vi = vietnameseFallback(taxonomy, categories, purposes);
    if (cache.size < MAX_CACHED) cache.set(key, vi);
  }
  return { en: reason.en, vi };
}
