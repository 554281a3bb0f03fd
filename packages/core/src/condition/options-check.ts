import { type Check, arr, custom, num, obj, optional, str } from '../check.js';
import type { RegexEngine } from './types.js';

/** What a bad `regex` option is told (shared with `RegexEngineSchema`). */
export const REGEX_ENGINE_MESSAGE =
  'pass a regex engine: plainRegex from "@tactful/core" or re2Regex from "@tactful/core/regex"';

/** A {@link RegexEngine} option, checked without zod (same as `RegexEngineSchema`). */
export const regexEngineOption: Check<RegexEngine> = /* @__PURE__ */ custom(
  (v) => typeof v === 'function',
  REGEX_ENGINE_MESSAGE,
);

const limit = /* @__PURE__ */ optional(/* @__PURE__ */ num({ int: true, positive: true }));

/**
 * The options of `compileCondition`, checked without zod: accepts exactly what
 * `CompileConditionOptionsSchema` accepts and names the same first field (see `options-check.test.ts`).
 */
export const compileConditionOptions = /* @__PURE__ */ obj({
  categories: /* @__PURE__ */ optional(/* @__PURE__ */ arr(/* @__PURE__ */ str({ min: 1 }))),
  limits: /* @__PURE__ */ optional(
    /* @__PURE__ */ obj(
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
  path: /* @__PURE__ */ optional(
    /* @__PURE__ */ arr(
      custom<string | number>(
        (v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)),
        'Invalid input: expected a string or a number',
      ),
    ),
  ),
  regex: /* @__PURE__ */ optional(regexEngineOption),
});
