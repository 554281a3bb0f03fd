/**
 * A JSON value usable inside a condition: what `$eq`, `$in`, `$all` and implicit equality compare
 * against. Numbers must be finite (NaN and Infinity are rejected).
 */
export type ConditionValue =
  | string
  | number
  | boolean
  | null
  | ConditionValue[]
  | { [key: string]: ConditionValue };

/**
 * A condition (a rule) as written in JSON: MongoDB-style, keys are dotted paths into the facts or
 * the logical operators `$and`, `$or`, `$nor`, `$not`.
 *
 * @example
 * ```json
 * { "profile.attributes.age": { "$gte": 18 }, "behavior.purchases": { "$size": 0 } }
 * ```
 */
export type Condition = { readonly [pathOrOperator: string]: unknown };

/**
 * A compiled condition: a predicate over facts (nested plain objects, see {@link nestCategories}),
 * plus what the rule reads. Frozen; safe to share and call concurrently. Never throws: facts of any
 * shape are evaluated (a path that finds nothing is "missing").
 */
export interface CompiledCondition {
  /** True when `facts` satisfy the rule. */
  (facts: unknown): boolean;
  /** Every dotted path the rule reads, in order of first appearance (paths inside `$elemMatch` documents are joined to the array's path). */
  readonly paths: readonly string[];
  /** The data categories the paths fall in (longest-prefix match on whole segments), sorted. */
  readonly categories: readonly string[];
  /** A frozen copy of the rule as given. */
  readonly rule: Condition;
}

/**
 * Caps applied when compiling a condition, so an untrusted rule cannot exhaust memory or time.
 * Exceeding one is an `INVALID_CONDITION` error naming the path.
 */
export interface ConditionLimits {
  /** Deepest nesting of objects and arrays in a rule (default 32). */
  maxDepth: number;
  /** Longest array anywhere in a rule: `$in`, `$nin`, `$all`, `$and` ... and literal arrays (default 1000). */
  maxArrayLength: number;
  /** Longest `$regex` pattern, in characters (default 512). */
  maxRegexLength: number;
  /** Most nodes (objects, arrays, values) in a whole rule (default 10000). */
  maxNodes: number;
  /** Most segments in one dotted path (default 32). */
  maxPathSegments: number;
  /** Longest string anywhere in a rule, in characters, keys included (default 4096). */
  maxStringLength: number;
}

/** The default {@link ConditionLimits}. */
export const DEFAULT_CONDITION_LIMITS: Readonly<ConditionLimits> = Object.freeze({
  maxDepth: 32,
  maxArrayLength: 1000,
  maxRegexLength: 512,
  maxNodes: 10_000,
  maxPathSegments: 32,
  maxStringLength: 4096,
});

/**
 * A regex engine for `$regex` patterns: compiles `pattern` with `flags` (letters of `ims`) into a
 * test, or throws (a message saying why) when it won't run the pattern. Tactful ships two:
 * `plainRegex` from `@tactful/core` (plain texts and anchored patterns with bounded repeats, on the
 * platform's engine, a few hundred bytes) and `re2Regex` from `@tactful/core/regex` (any RE2
 * pattern, linear time).
 */
export type RegexEngine = (pattern: string, flags: string) => (value: string) => boolean;

/** The options of {@link compileCondition}. */
export interface CompileConditionOptions {
  /**
   * The data category ids to report in `.categories` (default: the built-in categories). A path
   * falls in the longest category that is a whole-segment prefix of it.
   */
  categories?: readonly string[];
  /** Caps overriding {@link DEFAULT_CONDITION_LIMITS}. */
  limits?: Partial<ConditionLimits>;
  /** Where the rule sits in the caller's configuration; prefixed to error paths, e.g. `["segments", 2, "condition"]`. */
  path?: ReadonlyArray<string | number>;
  /**
   * The engine of `$regex` patterns: `plainRegex` from `@tactful/core` (plain text such as `^pro` or
   * `gmail\\.com$`, and anchored patterns with bounded repeats) or `re2Regex` from
   * `@tactful/core/regex` (any RE2 pattern). Without one, a `$regex` is an `INVALID_CONDITION` error
   * saying to pass one, so rules without `$regex` load no regex code.
   */
  regex?: RegexEngine;
}
