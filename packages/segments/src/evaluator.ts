import { compileCondition } from '@tactful/core';

/**
 * One top-level clause of a segment's condition (`{ path: expr }`, or a whole `$or`/`$nor`/`$not`),
 * compiled on its own. A condition holds when all its clauses do; clauses have no side effects, so
 * they may run in any order and identical clauses of different segments need to run only once
 * per request.
 */
interface Clause {
  readonly id: number;
  readonly test: (facts: unknown) => boolean;
  /** False for clauses over `segments.memberships`, whose value changes during a request. */
  readonly shareable: boolean;
  pass: number;
  seen: number;
}

/** Splits a condition into its top-level clauses (flattening `$and`). */
function clausesOf(
  condition: Record<string, unknown>,
  out: Array<[string, unknown]> = [],
): Array<[string, unknown]> {
  for (const [key, value] of Object.entries(condition)) {
    if (
      key === '$and' &&
      Array.isArray(value) &&
      value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))
    ) {
      for (const part of value) clausesOf(part as Record<string, unknown>, out);
    } else out.push([key, value]);
  }
  return out;
}

/** Segments' conditions as clause lists, evaluated cheapest-first with per-request sharing. */
export interface ClauseEvaluator {
  /** A per-request session: `matches(i)` tells whether segment `i` (in registration order) holds. */
  session(facts: unknown): { matches(segment: number): boolean };
  /** Distinct clauses over all segments. */
  readonly clauses: number;
}

const RESORT_EVERY = 1024;

/**
 * Compiles conditions (already validated whole) into an evaluator that runs each segment's clauses
 * in order of observed pass rate — the clause most likely to fail first — re-sorted as traffic
 * comes, and runs a clause shared by several segments once per request. Results are those of the
 * whole conditions: only the order of pure tests changes.
 */
export function clauseEvaluator(conditions: ReadonlyArray<Record<string, unknown>>): ClauseEvaluator {
  const distinct = new Map<string, Clause>();
  const lists: Clause[][] = conditions.map((condition) =>
    clausesOf(condition).map(([key, value]) => {
      const json = JSON.stringify([key, value]);
      let clause = distinct.get(json);
      if (clause === undefined) {
        clause = {
          id: distinct.size,
          test: compileCondition({ [key]: value }),
          shareable: !json.includes('"segments.memberships"'),
          pass: 1,
          seen: 2,
        };
        distinct.set(json, clause);
      }
      return clause;
    }),
  );
  const size = distinct.size;
  let sessions = 0;
  const resort = () => {
    for (const list of lists) list.sort((a, b) => a.pass / a.seen - b.pass / b.seen);
    // Halve old evidence now and then, so the order follows changing traffic.
    for (const c of distinct.values()) {
      if (c.seen > 1_000_000) {
        c.seen = Math.ceil(c.seen / 2);
        c.pass = Math.ceil(c.pass / 2);
      }
    }
  };
  return {
    clauses: size,
    session(facts) {
      if (++sessions % RESORT_EVERY === 0) resort();
      // 0 = not run yet, 1 = false, 2 = true.
      const memo = new Uint8Array(size);
      return {
        matches(segment) {
          const list = lists[segment]!;
          for (let i = 0; i < list.length; i++) {
            const clause = list[i]!;
            let result = clause.shareable ? memo[clause.id]! : 0;
            if (result === 0) {
              const ok = clause.test(facts);
              clause.seen++;
              if (ok) clause.pass++;
              result = ok ? 2 : 1;
              if (clause.shareable) memo[clause.id] = result;
            }
            if (result === 1) return false;
          }
          return true;
        },
      };
    },
  };
}
