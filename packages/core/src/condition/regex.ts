// `$regex` conditions: the checks every pattern gets (a string, its length, its options, no
// backreferences or lookaround), then the regex engine passed in as `regex` — `plainRegex` from
// `@tactful/core` (plain texts and a bounded subset, on the platform's engine) or `re2Regex` from
// `@tactful/core/regex` (any RE2 pattern, linear time) — so no pattern a configuration holds can stall
// a decision, and a page whose rules hold no `$regex` loads no regex code at all.
import { type CompileContext, type RulePath, fail } from './compile-context.js';
import type { StringTest } from './plain-regex.js';

const LOOKAROUND = /\(\?<?[=!]/;
const BACKREFERENCE = /\\[1-9]|\\k</;

/**
 * Compiles a `$regex` with RE2 semantics (linear time: no catastrophic backtracking) on the engine
 * `ctx.regex`, after the checks every pattern gets. Options are `i` (case-insensitive), `m`
 * (`^`/`$` at line breaks) and `s` (`.` matches newlines). Backreferences and lookaround, which RE2
 * cannot run in linear time, are rejected whatever the engine; so is any `$regex` when no engine was
 * given, with a message naming the two Tactful ships.
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
  if (ctx.regex === undefined) {
    fail(
      ctx,
      at,
      `the pattern "${pattern}" needs a regex engine where this rule is compiled: pass { regex: plainRegex } (import { plainRegex } from "@tactful/core") for plain text and anchored patterns with bounded repeats, or { regex: re2Regex } (import { re2Regex } from "@tactful/core/regex") for any RE2 pattern`,
    );
  }
  try {
    return ctx.regex(pattern, flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail(ctx, at, `the pattern "${pattern}" is refused by the regex engine: ${reason}`);
  }
}
