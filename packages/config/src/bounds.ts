import { VALUE_BOUNDS, inspectValue, isForbiddenKey } from '@tactful/core';
import { visit } from 'jsonc-parser';
import type { ConfigProblem } from './problems.js';

/**
 * Bounds of a configuration. Every reader after them (the JSON parser, zod, the condition compiler)
 * is recursive, so a file is measured before it is parsed: its size, then its nesting, in one linear
 * scan that cannot overflow; the parsed value is then walked once (without recursion) for forbidden
 * keys (`__proto__`, `constructor`, `prototype`) and the depth, size and array bounds of
 * `VALUE_BOUNDS` from `@tactful/core`.
 */
export const CONFIG_LIMITS = Object.freeze({
  /** Largest configuration (or catalog) file, in characters: 4 MiB. */
  maxChars: 4 * 1024 * 1024,
  /** Deepest nesting of objects and arrays. */
  maxDepth: VALUE_BOUNDS.maxDepth,
});

/** The 1-based line and column of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * Checks a configuration's text before it is parsed: its length and its nesting (strings and
 * comments skipped). Returns the problem, located, or `undefined`.
 */
export function checkConfigText(
  text: string,
  prefix: ReadonlyArray<string | number> = [],
): ConfigProblem | undefined {
  if (text.length > CONFIG_LIMITS.maxChars) {
    return {
      path: [...prefix],
      code: 'INVALID_CONFIG',
      message: `the file is ${text.length} characters, larger than the ${CONFIG_LIMITS.maxChars} bytes allowed; move large lists into a data source`,
    };
  }
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i++;
        else if (d === 34) break;
      }
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      while (i < text.length && text.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > CONFIG_LIMITS.maxDepth + 1) {
        return {
          path: [...prefix],
          code: 'INVALID_CONFIG',
          message: `nested deeper than ${CONFIG_LIMITS.maxDepth} levels; flatten it`,
          ...lineColumn(text, i),
        };
      }
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return undefined;
}

/** Checks a parsed (or given) configuration value: forbidden keys and bounds, with the path. */
export function checkConfigValue(
  value: unknown,
  prefix: ReadonlyArray<string | number> = [],
): ConfigProblem | undefined {
  const found = inspectValue(value, { bounds: { maxDepth: CONFIG_LIMITS.maxDepth } });
  if (found === undefined) return undefined;
  return { path: [...prefix, ...found.path], code: 'INVALID_CONFIG', message: found.message };
}

/**
 * Finds a forbidden key in configuration text. The JSON-with-comments parser builds objects by
 * assignment, which turns a `"__proto__"` key into a prototype and drops it, so the keys are looked
 * for in the text itself (after {@link checkConfigText} bounded its nesting).
 */
export function findForbiddenKeyInText(
  text: string,
  prefix: ReadonlyArray<string | number> = [],
): ConfigProblem | undefined {
  let found: ConfigProblem | undefined;
  visit(
    text,
    {
      onObjectProperty(property, _offset, _length, startLine, startCharacter, pathSupplier) {
        if (found !== undefined || !isForbiddenKey(property)) return;
        found = {
          path: [...prefix, ...pathSupplier(), property],
          code: 'INVALID_CONFIG',
          message: `the key "${property}" is not allowed (it could change an object's prototype); rename it`,
          line: startLine + 1,
          column: startCharacter + 1,
        };
      },
    },
    { allowTrailingComma: true, disallowComments: false },
  );
  return found;
}
