/**
 * The condition language: MongoDB-style JSON rules compiled once into predicates over facts.
 *
 * @module
 */
export { compileCondition } from './compile.js';
export { plainRegex } from './plain-regex.js';
export { REGEX_ENGINE_MESSAGE, compileConditionOptions, regexEngineOption } from './options-check.js';
export { CompileConditionOptionsSchema, RegexEngineSchema } from './options-schema.js';
export { categoriesOf, nestCategories } from './categories.js';
export { type CompiledConditionSet, compileConditionSet } from './set.js';
export {
  type CompileConditionOptions,
  type CompiledCondition,
  type Condition,
  type ConditionLimits,
  type ConditionValue,
  DEFAULT_CONDITION_LIMITS,
  type RegexEngine,
} from './types.js';
