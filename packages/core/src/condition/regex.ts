// `$regex` conditions. Patterns that are only literal text (`gmail\.com`, most rules) and a bounded
// subset run here without a regex engine; anything else needs the linear-time RE2 engine, passed in
// from `@tactful/core/regex`, so no pattern a configuration holds can stall a decision. The
// hand-written literal fast path is kept for a reason: `String.prototype.includes` is many times
// cheaper than re2js per call and gives the same answer.
import { boundedRegex } from './bounded-regex.js';
import { type CompileContext, type RulePath, fail } from './compile-context.js';

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

const LOOKAROUND = /\(\?<?[=!]/;
const BACKREFERENCE = /\\[1-9]|\\k</;

/**
 * Compiles a `$regex` with RE2 semantics (linear time: no catastrophic backtracking). Plain texts
 * run as string methods and patterns of the bounded subset (see `bounded-regex.ts`) on the platform
 * engine, both with RE2's answers and without loading RE2; the rest needs `ctx.regex` (RE2, from
 * `@tactful/core/regex`), which also checks every pattern first when it is given. Options are
 * `i` (case-insensitive), `m` (`^`/`$` at line breaks) and `s` (`.` matches newlines).
 * Backreferences and lookaround, which RE2 cannot run in linear time, are rejected.
 */
export function compileRegex(
  ctx: CompileContext,
  pattern: unknown,
  options: unknown,
  at: RulePath,
): StringTest {
  if (typeof pattern !== 'string') fail(ctx, at, '$regex takes a string pattern, e.g. { "$regex": "^pro" }');
  if (pattern.length > ctx.limits.maxRegexLength) {
    fail(
      ctx,
      at,
      `the pattern has ${pattern.length} characters, more than limits.maxRegexLength (${ctx.limits.maxRegexLength})`,
    );
  }
  let flags = '';
  if (options !== undefined) {
    const optionsAt = [...at.slice(0, -1), '$options'];
    if (typeof options !== 'string' || !/^[ims]*$/.test(options)) {
      fail(ctx, optionsAt, '$options takes a string of the letters "i", "m" and "s", e.g. "i"');
    }
    flags = options;
  }
  if (LOOKAROUND.test(pattern)) {
    fail(
      ctx,
      at,
      `the pattern "${pattern}" uses lookaround ((?=, (?!, (?<=, (?<!), which is not supported; regexes run in linear time (RE2 syntax)`,
    );
  }
  if (BACKREFERENCE.test(pattern)) {
    fail(
      ctx,
      at,
      `the pattern "${pattern}" uses a backreference, which is not supported; regexes run in linear time (RE2 syntax)`,
    );
  }
  // With an engine (RE2), every pattern is checked by it first, whichever way it then runs.
  let engineTest: StringTest | undefined;
  if (ctx.regex !== undefined) {
    try {
      engineTest = ctx.regex(pattern, flags);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return fail(ctx, at, `the pattern "${pattern}" is not a valid RE2 regex (${reason})`);
    }
  }
  const fast = fastPath(pattern, flags);
  if (fast !== undefined) return fast;
  const bounded = boundedRegex(pattern, flags);
  if (bounded !== undefined) return (s) => bounded.test(s);
  if (engineTest !== undefined) return engineTest;
  return fail(
    ctx,
    at,
    `the pattern "${pattern}" needs a regex engine: it is neither plain text nor in the bounded subset that runs without one; pass { regex: re2Regex } (import { re2Regex } from "@tactful/core/regex") where this rule is compiled`,
  );
}
