import { RE2JS } from 're2js';
import { platformTest } from './plain-regex.js';
import type { RegexEngine } from './types.js';

/**
 * The RE2 regex engine (linear time, no backtracking), for any `$regex` pattern in RE2 syntax. Pass
 * it as `regex` where conditions are compiled. Every pattern is checked by RE2 first (an invalid
 * one is refused, even a plain-looking one); those `plainRegex` can run (plain texts, the bounded
 * subset) then run on the platform's engine, with the same answers and much faster. It lives in its
 * own entry point, `@tactful/core/regex`, so pages whose rules need no such pattern don't load it
 * (~40 KB gzipped).
 *
 * @example
 * ```ts
 * import { compileCondition } from '@tactful/core';
 * import { re2Regex } from '@tactful/core/regex';
 * const rule = compileCondition({ 'context.page.url': { $regex: '/(kids|toys)/', $options: 'i' } }, { regex: re2Regex });
 * ```
 */
export const re2Regex: RegexEngine = (pattern, flags) => {
  let bits = 0;
  if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern, bits);
  } catch (error) {
    throw new Error(
      `it is not a valid RE2 regex (${error instanceof Error ? error.message : String(error)})`,
      {
        cause: error,
      },
    );
  }
  return platformTest(pattern, flags) ?? ((value) => compiled.test(value));
};
