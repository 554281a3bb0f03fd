import { RE2JS } from 're2js';
import type { RegexEngine } from './types.js';

/**
 * The RE2 regex engine (linear time, no backtracking), for `$regex` patterns beyond plain text and
 * the bounded subset. Pass it as `regex` where conditions are compiled. It lives in its own entry
 * point, `@tactful/core/regex`, so pages whose rules need no such pattern don't load it (~40 KB
 * gzipped).
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
  const compiled = RE2JS.compile(pattern, bits);
  return (value) => compiled.test(value);
};
