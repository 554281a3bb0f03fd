import { type Check, custom } from '../check.js';
import type { RegexEngine } from './types.js';

/** What a bad `regex` option is told (shared with `RegexEngineSchema`). */
export const REGEX_ENGINE_MESSAGE = 'pass a regex engine such as re2Regex from "@tactful/core/regex"';

/** A {@link RegexEngine} option, checked without zod (same as `RegexEngineSchema`). */
export const regexEngineOption: Check<RegexEngine> = custom(
  (v) => typeof v === 'function',
  REGEX_ENGINE_MESSAGE,
);
