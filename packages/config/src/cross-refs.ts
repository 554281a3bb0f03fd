import type { Taxonomy } from '@tactful/core';
import type { ConfigProblem } from './problems.js';
import type { TactfulConfig } from './schema.js';

/** Edit distance between two strings (Levenshtein), stopping early past `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      if (value < best) best = value;
    }
    if (best > max) return max + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate closest to `name`, when it is close enough to be a typo of it. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const max = Math.max(2, Math.floor(name.length / 4));
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase(), max);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** `did you mean "x"?`, or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const guess = closest(name, candidates);
  return guess === undefined ? undefined : `did you mean "${guess}"?`;
}

type Path = Array<string | number>;

/** The segment names a condition refers to, each with its path (walks `$and`, `$or`, `$nor`, `$not`). */
function segmentRefs(
  condition: unknown,
  path: Path,
  out: Array<{ name: string; path: Path }>,
  depth = 0,
): void {
  // Deeper than any condition compiles (the condition compiler reports that); stop walking.
  if (typeof condition !== 'object' || condition === null || depth > 32) return;
  if (Array.isArray(condition)) {
    condition.forEach((c, i) => {
      segmentRefs(c, [...path, i], out, depth + 1);
    });
    return;
  }
  for (const [key, value] of Object.entries(condition)) {
    if (key === '$and' || key === '$or' || key === '$nor' || key === '$not') {
      segmentRefs(value, [...path, key], out, depth + 1);
      continue;
    }
    if (key !== 'segments') continue;
    const at = [...path, key];
    if (typeof value === 'string') out.push({ name: value, path: at });
    else if (typeof value === 'object' && value !== null) {
      for (const [op, operand] of Object.entries(value)) {
        const values = Array.isArray(operand) ? operand : [operand];
        for (const v of values) if (typeof v === 'string') out.push({ name: v, path: [...at, op] });
      }
    }
  }
}

interface CatalogLike {
  slots?: Array<{ id?: unknown; variants?: Array<{ id?: unknown; when?: unknown }> }>;
}

/**
 * Checks what one part of a configuration names in another: segment names in content variants,
 * slot names (a slot one typo away from a defined one), each with its path and a "did you mean".
 * `catalogs` are the dynamic-content catalogs as loaded (index in `strategies.dynamicContent`).
 */
export function crossReferenceProblems(
  config: TactfulConfig,
  catalogs: ReadonlyArray<{ index: number; catalog: unknown }>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const defined = new Set((config.strategies.segments?.segments ?? []).map((s) => s.name));
  const slots = new Set<string>();
  for (const { catalog } of catalogs) {
    for (const slot of (catalog as CatalogLike)?.slots ?? [])
      if (typeof slot?.id === 'string') slots.add(slot.id);
  }

  // 1. Segment names: a variant naming a segment nobody defines could never apply.
  for (const { index, catalog } of catalogs) {
    const base: Path = ['strategies', 'dynamicContent', index, 'catalog'];
    ((catalog as CatalogLike)?.slots ?? []).forEach((slot, s) => {
      (slot?.variants ?? []).forEach((variant, v) => {
        const refs: Array<{ name: string; path: Path }> = [];
        segmentRefs(variant?.when, [...base, 'slots', s, 'variants', v, 'when'], refs);
        for (const ref of refs) {
          if (defined.has(ref.name)) continue;
          const label = `slot "${String(slot?.id)}" variant "${String(variant?.id)}"`;
          const guess = didYouMean(ref.name, defined);
          problems.push({
            path: ref.path,
            code: 'UNKNOWN_SEGMENT',
            message:
              defined.size === 0
                ? `${label} names segment "${ref.name}", but no segments are configured: the variant could never apply`
                : `${label} names segment "${ref.name}", which no segment defines: the variant could never apply`,
            hint:
              guess ??
              `define it under strategies.segments.segments, or use one of: ${[...defined].join(', ')}`,
          });
        }
      });
    });
  }

  // 2. Slot names given to other strategies: one a typo away from a catalog's slot is a mistake.
  const named: Array<{ slot: string; path: Path }> = [];
  const session = config.strategies.anonymousSession?.slots as Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(session ?? {}))
    if (typeof value === 'string')
      named.push({ slot: value, path: ['strategies', 'anonymousSession', 'slots', key] });
  (config.strategies.contextual?.rules ?? []).forEach((rule, i) => {
    named.push({ slot: rule.slot, path: ['strategies', 'contextual', 'rules', i, 'slot'] });
  });
  for (const { slot, path } of named) {
    if (slots.has(slot)) continue;
    const guess = closest(slot, slots);
    if (guess === undefined) continue;
    problems.push({
      path,
      code: 'UNKNOWN_SLOT',
      message: `slot "${slot}" is not a slot of any content catalog, but "${guess}" is: content for "${slot}" would only show where a page asks for it by that name`,
      hint: `did you mean "${guess}"?`,
    });
  }
  return problems;
}

/** Names a message quotes as unknown, and where to look for what was meant. */
const UNKNOWN_NAMES: Array<{ pattern: RegExp; kind: 'purpose' | 'category' | 'signal' | 'listed' }> = [
  { pattern: /unknown purpose "([^"]+)"/, kind: 'purpose' },
  { pattern: /unknown data category "([^"]+)"/, kind: 'category' },
  { pattern: /reads "data\.([^"]+)", which is in no known data category/, kind: 'category' },
  { pattern: /signal "([^"]+)" but no registered strategy publishes it/, kind: 'signal' },
  { pattern: /"([^"]+)"[^"]*; use one of: (.+)$/, kind: 'listed' },
];

/**
 * Adds a "did you mean" to problems that name something unknown (a purpose, a category, a signal,
 * or a name from a list the message gives), from the taxonomy and the signals plugins publish.
 */
export function withSuggestions(
  problems: ConfigProblem[],
  taxonomy: Taxonomy,
  signals: Iterable<string> = [],
): ConfigProblem[] {
  const published = [...signals];
  return problems.map((problem) => {
    if (problem.hint) return problem;
    for (const { pattern, kind } of UNKNOWN_NAMES) {
      const match = pattern.exec(problem.message);
      if (!match?.[1]) continue;
      let name = match[1];
      let candidates: string[];
      if (kind === 'purpose') candidates = [...taxonomy.purposes.keys()];
      else if (kind === 'signal') candidates = published;
      else if (kind === 'category') {
        candidates = [...taxonomy.categories.keys()];
        // `data.profile.preferences.x` names a category by its longest known prefix.
        const parts = name.split('.');
        let guess: string | undefined;
        for (let n = parts.length; n > 0 && guess === undefined; n--)
          guess = closest(parts.slice(0, n).join('.'), candidates);
        if (guess) return { ...problem, hint: `did you mean "${guess}"?` };
        continue;
      } else {
        candidates = (match[2] ?? '').split(/,\s*/).map((c) => c.trim().replace(/[.;]$/, ''));
        if (!candidates.some((c) => c.includes('.'))) name = name.split('.')[0] ?? name;
      }
      const hint = didYouMean(name, candidates);
      if (hint) return { ...problem, hint };
    }
    return problem;
  });
}
