import { nestCategories, type StrategyInput } from '@tactful/core';

/** Top-level names conditions and templates read, and the signal behind each. */
export const FACT_SIGNALS = Object.freeze({
  segments: 'segments.memberships',
  context: 'contextual.context',
  interests: 'session.interests',
} as const);

/** A fact namespace: a signal, the decision's `locale`, or `data` (data categories). */
export type FactNamespace = keyof typeof FACT_SIGNALS | 'locale' | 'data';

/** Every fact namespace. */
export const FACT_NAMESPACES: readonly FactNamespace[] = Object.freeze([
  'segments',
  'context',
  'interests',
  'locale',
  'data',
]);

/** What the catalog needs from a decision's input. */
export interface FactNeeds {
  readonly namespaces: ReadonlySet<FactNamespace>;
  readonly categories: readonly string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The finite numbers of a topic → score record: the record itself (frozen) when that is all it holds. */
function finiteScores(record: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(record);
  let clean = Object.isFrozen(record);
  for (let k = 0; clean && k < keys.length; k++) {
    const v = record[keys[k]!];
    clean = typeof v === 'number' && Number.isFinite(v);
  }
  if (clean) return record;
  const interests: Record<string, number> = {};
  for (const topic of keys) {
    const score = record[topic];
    if (typeof score === 'number' && Number.isFinite(score)) interests[topic] = score;
  }
  return interests;
}

/**
 * Builds the facts conditions and templates see from a strategy input: only the namespaces the
 * catalog reads, each checked for shape (a signal of the wrong shape counts as absent).
 */
export function buildFacts(
  input: StrategyInput,
  needs: FactNeeds,
  locale: string | undefined,
): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  if (needs.namespaces.has('segments')) {
    const s = input.signals[FACT_SIGNALS.segments];
    // The signal itself when it is a list of names (signals reach a strategy deep-frozen), else its names.
    let clean = Array.isArray(s) && Object.isFrozen(s);
    for (let k = 0; clean && k < (s as unknown[]).length; k++)
      clean = typeof (s as unknown[])[k] === 'string';
    // The signal itself when it is a list of names (signals reach a strategy deep-frozen), else its names.
    facts['segments'] = clean ? s : Array.isArray(s) ? s.filter((x) => typeof x === 'string') : [];
  }
  if (needs.namespaces.has('context')) {
    const c = input.signals[FACT_SIGNALS.context];
    facts['context'] = isRecord(c) ? c : {};
  }
  if (needs.namespaces.has('interests')) {
    const i = input.signals[FACT_SIGNALS.interests];
    facts['interests'] = isRecord(i) ? finiteScores(i) : {};
  }
  if (locale !== undefined) facts['locale'] = locale;
  if (needs.namespaces.has('data') && needs.categories.length > 0) {
    const present: Record<string, unknown> = {};
    for (let k = 0; k < needs.categories.length; k++) {
      const category = needs.categories[k]!;
      if (Object.hasOwn(input.data, category)) present[category] = input.data[category];
    }
    facts['data'] = nestCategories(present);
  }
  return facts;
}

/** The locale of a decision, a lowercase language code: the input's, else (when the strategy reads it) the contextual signal's. */
export function decisionLocale(input: StrategyInput, readsContext: boolean): string | undefined {
  if (typeof input.locale === 'string' && input.locale !== '') return input.locale;
  if (!readsContext) return undefined;
  const c = input.signals[FACT_SIGNALS.context];
  if (isRecord(c)) {
    // A language code, as the orchestrator gives `input.locale` ("vi" for "vi-VN"), so a
    // condition on `locale` means the same whichever of the two it came from.
    const tag = typeof c['locale'] === 'string' ? c['locale'] : c['language'];
    if (typeof tag === 'string' && tag !== '') return tag.split(/[-_]/)[0]!.toLowerCase();
  }
  return undefined;
}
