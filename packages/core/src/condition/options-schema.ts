import * as z from 'zod/mini';
import { REGEX_ENGINE_MESSAGE } from './options-check.js';
import type { RegexEngine } from './types.js';

const limit = z.number().check(z.int(), z.positive());

/** A {@link RegexEngine} option (plugins that compile conditions take one as `regex`). */
export const RegexEngineSchema = z.custom<RegexEngine>((v) => typeof v === 'function', REGEX_ENGINE_MESSAGE);

/** The options of `compileCondition`, as a zod schema. */
export const CompileConditionOptionsSchema = z.object({
  /**
   * The data category ids to report in `.categories` (default: the built-in categories). A path
   * falls in the longest category that is a whole-segment prefix of it.
   */
  categories: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** Caps overriding `DEFAULT_CONDITION_LIMITS`. */
  limits: z.optional(
    z.strictObject({
      maxDepth: z.optional(limit),
      maxArrayLength: z.optional(limit),
      maxRegexLength: z.optional(limit),
      maxNodes: z.optional(limit),
      maxPathSegments: z.optional(limit),
      maxStringLength: z.optional(limit),
    }),
  ),
  /** Where the rule sits in the caller's configuration; prefixed to error paths, e.g. `["segments", 2, "condition"]`. */
  path: z.optional(z.array(z.union([z.string(), z.number()]))),
  /** The engine of `$regex` patterns: `plainRegex` or `re2Regex` (see `RegexEngine`). */
  regex: z.optional(RegexEngineSchema),
});
