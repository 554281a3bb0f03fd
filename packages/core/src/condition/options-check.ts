import { type Check, arr, custom, num, obj, optional, str } from '../check.js';
import type { RegexEngine } from './types.js';

/** What a bad `regex` option is told (shared with `RegexEngineSchema`). */
export const REGEX_ENGINE_MESSAGE =
  'pass a regex engine: plainRegex from "@tactful/core" or re2Regex from "@tactful/core/regex"';

/** A {@link RegexEngine} option, checked without zod (same as `RegexEngineSchema`). */
export const regexEngineOption: Check<RegexEngine> = custom(
  (v) => typeof v === 'function',
  REGEX_ENGINE_MESSAGE,
);

const limit = optional(num({ int: true, positive: true }));

/**
 * The options of `compileCondition`, checked without zod: accepts exactly what
 * `CompileConditionOptionsSchema` accepts and names the same first field (see `options-check.test.ts`).
 */
export const compileConditionOptions = obj({
  categories: optional(arr(str({ min: 1 }))),
  limits: optional(
    obj(
      {
        maxDepth: limit,
        maxArrayLength: limit,
        maxRegexLength: limit,
        maxNodes: limit,
        maxPathSegments: limit,
        maxStringLength: limit,
      },
      true,
    ),
  ),
  path: optional(
    arr(
      custom<string | number>(
        (v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)),
        'Invalid input: expected a string or a number',
      ),
    ),
  ),
  regex: optional(regexEngineOption),
});
