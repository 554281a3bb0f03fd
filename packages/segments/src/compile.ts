import {
  type DataOrigin,
  type Taxonomy,
  TactfulError,
  type TactfulErrorCode,
  compileCondition,
  compileConditionSet,
  isTactfulError,
  nestCategories,
  type RegexEngine,
} from '@tactful/core';
import type { SegmentDefinition } from './definition.js';
import { STATS, type StatsPlan, computeStats, emptyPlan, parseStatPath, planStat } from './stats.js';

/** The path through which a segment reads other segments' memberships. */
export const MEMBERSHIPS_PATH = 'segments.memberships';

/** A segment ready to evaluate. */
export interface CompiledSegment {
  readonly definition: SegmentDefinition;
  readonly name: string;
  readonly purpose: string;
  /** Position in the definitions as written. */
  readonly index: number;
  readonly test: (facts: unknown) => boolean;
  /** Segments this one reads through `segments.memberships`. */
  readonly references: readonly string[];
  /** Every category it reads, directly or through the segments it references. */
  readonly categories: readonly string[];
  /** The least zero-party origin among its categories (P4): `declared` only if all are declared. */
  readonly origin: DataOrigin;
  readonly topics: readonly string[];
  /** True when the condition reads `segments.memberships` (it then depends on evaluation order). */
  readonly readsMemberships: boolean;
}

/** Compiled segments, in evaluation order (referenced segments first). */
export interface CompiledSegments {
  readonly segments: readonly CompiledSegment[];
  readonly plan: StatsPlan;
  /**
   * A per-request matcher: `matches(segment)` is `segment.test(facts)`. Segments that do not read
   * `segments.memberships` are evaluated together on first use (each path read once for all of
   * them, with core's `compileConditionSet`); the others one by one, when asked, so they see the
   * memberships decided so far.
   */
  matcher(facts: unknown): { matches(segment: CompiledSegment): boolean; matchesAt(index: number): boolean };
  /** Builds the facts conditions read from category-keyed data (memberships start empty). */
  facts(
    data: Readonly<Record<string, unknown>>,
    now: number,
  ): { facts: Record<string, unknown>; memberships: string[] };
  /**
   * Evaluates every segment on `data` at `now` without consent, vetoes or the k-anonymity floor:
   * the raw memberships. (The strategy adds those checks.)
   */
  evaluate(data: Readonly<Record<string, unknown>>, now: number): string[];
}

function collectReferences(value: unknown, into: Set<string>, inMemberships: boolean): void {
  if (typeof value === 'string') {
    if (inMemberships) into.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collectReferences(v, into, inMemberships);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value))
      collectReferences(v, into, inMemberships || key === MEMBERSHIPS_PATH);
  }
}

interface Problem {
  code: TactfulErrorCode;
  message: string;
  path: Array<string | number>;
}

/** One error for every problem found: its code when they share one, else `INVALID_OPTIONS`. */
function problemsError(plugin: string, problems: ReadonlyArray<Problem>): TactfulError {
  const codes = new Set(problems.map((p) => p.code));
  const code = codes.size === 1 ? problems[0]!.code : 'INVALID_OPTIONS';
  const first = problems[0]!;
  const message =
    problems.length === 1
      ? first.message
      : `${plugin}: ${problems.length} problems in the segment definitions:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`;
  return new TactfulError(code, message, {
    plugin,
    path: first.path,
    issues: problems.map((p) => ({ path: p.path, message: p.message })),
  });
}

const ORIGIN_RANK: Record<DataOrigin, number> = { declared: 0, contextual: 1, observed: 2, derived: 3 };

/**
 * Compiles and checks segment definitions against a taxonomy: unknown operators
 * (`INVALID_CONDITION`), paths in no known category (`UNKNOWN_CATEGORY`), unknown purposes
 * (`UNKNOWN_PURPOSE`), references to unknown segments (`INVALID_OPTIONS`), cycles and
 * self-references (`DEPENDENCY_CYCLE`), and the creepy line: a sensitive category read under a
 * purpose that does not list it in `explicitConsentFor`
 * (`SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT`). Every error names the segment.
 */
export function compileSegments(
  definitions: ReadonlyArray<SegmentDefinition>,
  options: { taxonomy: Taxonomy; purpose: string; plugin: string; regex?: RegexEngine },
): CompiledSegments {
  const { taxonomy, plugin } = options;
  const categoryIds = [...taxonomy.categories.keys()];
  const plan = emptyPlan();
  const byName = new Map<string, { def: SegmentDefinition; index: number }>();
  // Every problem is collected, so a configuration is fixed in one go rather than one error at a time.
  const problems: Problem[] = [];
  const fail = (code: TactfulErrorCode, message: string, path: Array<string | number>): void => {
    problems.push({ code, message: `${plugin}: ${message}`, path });
  };
  definitions.forEach((def, index) => {
    if (byName.has(def.name)) {
      fail(
        'INVALID_OPTIONS',
        `segments[${index}]: the name "${def.name}" is used twice; give each segment its own name`,
        ['segments', index, 'name'],
      );
      return;
    }
    byName.set(def.name, { def, index });
  });

  type Draft = Omit<CompiledSegment, 'categories' | 'origin' | 'readsMemberships'> & { direct: Set<string> };
  const drafts = new Map<string, Draft>();
  for (const [name, { def, index }] of byName) {
    const purpose = def.purpose ?? options.purpose;
    if (!taxonomy.purposes.has(purpose)) {
      fail(
        'UNKNOWN_PURPOSE',
        `segment "${name}": unknown purpose "${purpose}"; known purposes: ${[...taxonomy.purposes.keys()].join(', ')}`,
        ['segments', index, 'purpose'],
      );
      continue;
    }
    let test: ReturnType<typeof compileCondition>;
    try {
      test = compileCondition(def.condition, {
        categories: categoryIds,
        path: ['segments', index, 'condition'],
        ...(options.regex === undefined ? {} : { regex: options.regex }),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      fail('INVALID_CONDITION', `segment "${name}": ${message}`, [
        ...(isTactfulError(error) && error.path ? error.path : ['segments', index, 'condition']),
      ]);
      continue;
    }
    const before = problems.length;
    const direct = new Set<string>(test.categories);
    for (const path of test.paths) {
      if (path === MEMBERSHIPS_PATH) continue;
      if (path.startsWith(`${MEMBERSHIPS_PATH}.`)) {
        fail(
          'INVALID_OPTIONS',
          `segment "${name}" reads "${path}"; compare "${MEMBERSHIPS_PATH}" itself with segment names`,
          ['segments', index, 'condition', path],
        );
        continue;
      }
      if (path.startsWith('stats.')) {
        const ref = parseStatPath(path);
        if (ref === undefined) {
          fail(
            'INVALID_OPTIONS',
            `segment "${name}" reads "${path}", which is not a known statistic; use one of: ${Object.values(
              STATS,
            )
              .map((s) => s.doc)
              .join(', ')}`,
            ['segments', index, 'condition', path],
          );
          continue;
        }
        planStat(plan, ref);
        for (const c of STATS[ref.metric]!.categories) direct.add(c);
        continue;
      }
      if (!categoryIds.some((c) => path === c || path.startsWith(`${c}.`))) {
        fail(
          'UNKNOWN_CATEGORY',
          `segment "${name}" reads "${path}", which is in no declared data category; declare the category in a taxonomy extension or read one of: ${categoryIds.join(', ')}`,
          ['segments', index, 'condition', path],
        );
      }
    }
    const references = new Set<string>();
    collectReferences(def.condition, references, false);
    for (const ref of references) {
      if (ref === name) {
        fail('DEPENDENCY_CYCLE', `segment "${name}" references itself through ${MEMBERSHIPS_PATH}`, [
          'segments',
          index,
          'condition',
        ]);
      }
      if (!byName.has(ref)) {
        fail(
          'INVALID_OPTIONS',
          `segment "${name}" references unknown segment "${ref}"; define it or fix the name`,
          ['segments', index, 'condition'],
        );
      }
    }
    if (problems.length > before) continue;
    drafts.set(name, {
      definition: def,
      name,
      purpose,
      index,
      test,
      references: [...references],
      topics: def.topics ?? [],
      direct,
    });
  }

  // Cycles and sensitive categories are checked over complete segments only.
  if (problems.length > 0) throw problemsError(plugin, problems);

  // Topological order (depth-first), detecting cycles with the path that closes them.
  const order: Draft[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]) => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      fail('DEPENDENCY_CYCLE', `segments reference each other in a cycle: ${cycle.join(' → ')}`, [
        'segments',
        byName.get(name)!.index,
        'condition',
      ]);
      return;
    }
    state.set(name, 'visiting');
    const draft = drafts.get(name)!;
    for (const ref of draft.references) visit(ref, [...trail, name]);
    state.set(name, 'done');
    order.push(draft);
  };
  for (const name of drafts.keys()) visit(name, []);
  if (problems.length > 0) throw problemsError(plugin, problems);

  const compiled = new Map<string, CompiledSegment>();
  for (const draft of order) {
    const categories = new Set(draft.direct);
    for (const ref of draft.references) for (const c of compiled.get(ref)!.categories) categories.add(c);
    for (const category of categories) {
      const def = taxonomy.category(category, `${plugin}: segment "${draft.name}"`);
      if (def.sensitive && !taxonomy.permitsCategory(draft.purpose, category)) {
        fail(
          'SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT',
          `segment "${draft.name}" uses sensitive category "${category}" without explicit consent; bind it to a purpose whose explicitConsentFor lists "${category}" (it is under "${draft.purpose}")`,
          ['segments', draft.index, 'purpose'],
        );
      }
    }
    let origin: DataOrigin = 'declared';
    for (const c of categories) {
      const o = taxonomy.category(c).origin;
      if (ORIGIN_RANK[o] > ORIGIN_RANK[origin]) origin = o;
    }
    const { direct: _direct, ...rest } = draft;
    const readsMemberships = JSON.stringify(draft.definition.condition).includes(`"${MEMBERSHIPS_PATH}`);
    compiled.set(
      draft.name,
      Object.freeze({ ...rest, categories: [...categories].sort(), origin, readsMemberships }),
    );
  }
  if (problems.length > 0) throw problemsError(plugin, problems);
  const segments = order.map((d) => compiled.get(d.name)!);
  // Segments that read no membership can be evaluated all at once; the rest depend on the order.
  const independent = segments.filter((s) => !s.readsMemberships);
  const set = compileConditionSet(
    independent.map((s) => s.definition.condition),
    { categories: categoryIds, ...(options.regex === undefined ? {} : { regex: options.regex }) },
  );
  const slot = new Map(independent.map((s, i) => [s, i]));
  // Position in `segments` → position in the set, or -1 for a segment evaluated on its own.
  const slotAt = Int32Array.from(segments, (s) => slot.get(s) ?? -1);
  const matcher: CompiledSegments['matcher'] = (f) => {
    let results: boolean[] | undefined;
    const inSet = (i: number): boolean => {
      const all = results ?? set.evaluate(f);
      results = all;
      return all[i] === true;
    };
    return {
      matches: (segment) => {
        const i = slot.get(segment);
        return i === undefined ? segment.test(f) : inSet(i);
      },
      matchesAt: (index) => {
        const i = slotAt[index];
        if (i === undefined) return false;
        return i < 0 ? segments[index]!.test(f) : inSet(i);
      },
    };
  };
  const facts: CompiledSegments['facts'] = (data, now) => {
    let nested: Record<string, unknown>;
    try {
      nested = nestCategories(data);
    } catch {
      nested = {};
    }
    const memberships: string[] = [];
    nested['stats'] = computeStats(plan, data, now);
    nested['segments'] = { memberships };
    return { facts: nested, memberships };
  };
  return {
    segments,
    plan,
    facts,
    matcher,
    evaluate(data, now) {
      const { facts: f, memberships } = facts(data, now);
      const m = matcher(f);
      for (let i = 0; i < segments.length; i++) if (m.matchesAt(i)) memberships.push(segments[i]!.name);
      return memberships;
    },
  };
}
