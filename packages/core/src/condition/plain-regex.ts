// The regex engine that runs on the platform's own `RegExp` and string methods, without RE2:
// patterns that are only literal text (`gmail\.com`, `^pro`, most rules) and the bounded subset
// (see `bounded-regex.ts`), both with exactly RE2's answers (checked by property tests). It is an
// engine like `re2Regex`, passed as `regex` where rules are compiled, so a page whose rules hold no
// `$regex` loads none of it. The literal fast path is kept inside `re2Regex` too:
// `String.prototype.includes` is many times cheaper than re2js per call and gives the same answer.
import { boundedRegex } from './bounded-regex.js';
import type { RegexEngine } from './types.js';

/** A compiled `$regex`: true when the pattern matches somewhere in the string. */
export type StringTest = (value: string) => boolean;

const META = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}']);

/**
 * The literal text of a pattern made only of plain and escaped punctuation characters
 * (`gmail\.com`), or undefined when it holds any regex construct.
 */
function literalText(pattern: string): string | undefined {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next === undefined || !META.has(next)) return undefined;
      out += next;
      i++;
    } else if (META.has(ch)) {
      return undefined;
    } else {
      out += ch;
    }
  }
  return out;
}

/** The plain texts of an alternation such as `facebook|zalo\\.me`, or undefined if a branch is not plain text. */
function splitAlternation(pattern: string): string[] | undefined {
  const branches: string[] = [];
  let start = 0;
  for (let i = 0; i <= pattern.length; i++) {
    if (pattern[i] === '\\') {
      i++;
      continue;
    }
    if (i === pattern.length || pattern[i] === '|') {
      const text = literalText(pattern.slice(start, i));
      if (text === undefined) return undefined;
      branches.push(text);
      start = i + 1;
    }
  }
  return branches;
}

/**
 * Specialises patterns that are plain text with optional anchors (`^pro`, `gmail\.com$`, `^vip$`)
 * into string methods; RE2 gives the same answers for these (checked by a property test).
 */
function fastPath(pattern: string, flags: string): StringTest | undefined {
  if (flags.includes('i') || flags.includes('m')) return undefined;
  const start = pattern.startsWith('^');
  const endsWithDollar = pattern.endsWith('$') && !pattern.endsWith('\\$');
  const end = endsWithDollar && pattern.length > (start ? 1 : 0);
  const inner = pattern.slice(start ? 1 : 0, end ? -1 : undefined);
  if (!start && !end && inner.includes('|')) {
    // "contains one of": an alternation of plain texts, e.g. `facebook|zalo`.
    const branches = splitAlternation(inner);
    if (branches === undefined) return undefined;
    return (s) => {
      for (const branch of branches) if (s.includes(branch)) return true;
      return false;
    };
  }
  const body = literalText(inner);
  if (body === undefined) return undefined;
  if (start && end) return (s) => s === body;
  if (start) return (s) => s.startsWith(body);
  if (end) return (s) => s.endsWith(body);
  return (s) => s.includes(body);
}

/**
 * A test with RE2's answers for a pattern that needs no RE2 (plain text with optional anchors, or
 * the bounded subset), or undefined for any other pattern.
 */
export function platformTest(pattern: string, flags: string): StringTest | undefined {
  const fast = fastPath(pattern, flags);
  if (fast !== undefined) return fast;
  const bounded = boundedRegex(pattern, flags);
  return bounded === undefined ? undefined : (s) => bounded.test(s);
}

/**
 * The small regex engine for `$regex`, without RE2: plain texts with optional anchors (`^pro`,
 * `gmail\\.com$`, `^vip$`), alternations of plain texts (`facebook|zalo`), and anchored patterns with
 * bounded repeats and no options (`^(kids|toys)/[a-z0-9]{1,20}$`), all with RE2's answers and in
 * bounded time. Any other pattern is refused when the rule is compiled (`INVALID_CONDITION`, saying
 * to pass `re2Regex` from `@tactful/core/regex`). Pass it as `regex` where rules are compiled.
 *
 * @example
 * ```ts
 * import { compileCondition, plainRegex } from '@tactful/core';
 * const rule = compileCondition({ 'context.locale': { $regex: '^vi' } }, { regex: plainRegex });
 * ```
 */
export const plainRegex: RegexEngine = (pattern, flags) => {
  const test = platformTest(pattern, flags);
  if (test === undefined) {
    throw new Error(
      'it is neither plain text nor an anchored pattern with bounded repeats and no options, which is all plainRegex runs; pass { regex: re2Regex } (import { re2Regex } from "@tactful/core/regex") where this rule is compiled',
    );
  }
  return test;
};
