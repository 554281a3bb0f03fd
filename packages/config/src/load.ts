import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TactfulError } from '@tactful/core';
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import { checkConfig } from './assemble.js';
import { checkConfigText, checkConfigValue, findForbiddenKeyInText, lineColumn } from './bounds.js';
import { type ConfigProblem, formatProblems, locateProblems, problemsFromZod } from './problems.js';
import type { z } from 'zod';
import { type TactfulConfig, TactfulConfigSchema } from './schema.js';

/** The outcome of {@link validateConfig}. */
export type ConfigValidation =
  | { ok: true; config: TactfulConfig; problems: [] }
  | { ok: false; config: undefined; problems: ConfigProblem[] };

/** Options of {@link validateConfig}. */
export interface ValidateConfigOptions {
  /** The folder relative paths start from (default: the current directory). */
  baseDir?: string;
  /** Run the plugin and engine checks too (default true); false checks the file's shape only. */
  deep?: boolean;
}

/**
 * Validates a configuration — JSON text (comments allowed) or an object — with every load-time
 * check: the file's shape, each plugin's options (conditions, catalogs, segments ...), and the
 * engine's registration rules (unknown categories, signals nobody publishes, cycles, sensitive
 * data without explicit consent). Reports every problem at once, with paths and, for text,
 * line and column.
 *
 * @example
 * ```ts
 * const result = await validateConfig(await readFile('tactful.config.json', 'utf8'));
 * if (!result.ok) console.error(formatProblems(result.problems, 'tactful.config.json'));
 * ```
 */
export async function validateConfig(
  input: string | unknown,
  options: ValidateConfigOptions = {},
): Promise<ConfigValidation> {
  let value: unknown = input;
  const text = typeof input === 'string' ? input : undefined;
  if (text !== undefined) {
    const tooBig = checkConfigText(text) ?? findForbiddenKeyInText(text);
    if (tooBig) return { ok: false, config: undefined, problems: [tooBig] };
    const errors: ParseError[] = [];
    value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
    if (errors.length > 0) {
      return {
        ok: false,
        config: undefined,
        problems: errors.map((e) => ({
          path: [],
          message: `JSON syntax error: ${printParseErrorCode(e.error)}`,
          code: 'INVALID_CONFIG',
          ...lineColumn(text, e.offset),
        })),
      };
    }
  }
  // Before zod, which would turn a "__proto__" key into a prototype and drop it.
  const unsafe = checkConfigValue(value);
  if (unsafe) {
    const located = text === undefined ? [unsafe] : locateProblems([unsafe], text);
    return { ok: false, config: undefined, problems: located };
  }
  const parsed = TactfulConfigSchema.safeParse(value);
  let problems: ConfigProblem[] = parsed.success ? [] : problemsFromZod(parsed.error);
  if (options.deep !== false) {
    // With shape problems, the sections they are in are left out and the rest is still checked,
    // so one run reports every problem.
    const checkable = parsed.success
      ? { config: parsed.data, left: [] }
      : withoutBrokenSections(value, parsed.error);
    if (checkable) {
      const deep = await checkConfig(checkable.config, options.baseDir);
      problems.push(...deep.filter((p) => !checkable.left.some((prefix) => startsWith(p.path, prefix))));
    }
  }
  if (text !== undefined) problems = locateProblems(problems, text);
  if (problems.length > 0 || !parsed.success) return { ok: false, config: undefined, problems };
  return { ok: true, config: parsed.data, problems: [] };
}

const startsWith = (path: ReadonlyArray<string | number>, prefix: ReadonlyArray<string | number>) =>
  prefix.every((p, i) => path[i] === p);

/**
 * The configuration without the sections that have shape problems (a top-level key, or the
 * entry of a top-level section, e.g. `strategies.segments`), when what is left is a valid
 * configuration; with the paths left out.
 */
function withoutBrokenSections(
  value: unknown,
  error: z.ZodError,
): { config: TactfulConfig; left: Array<Array<string | number>> } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  let copy = structuredClone(value) as Record<string, unknown>;
  const left: Array<Array<string | number>> = [];
  let issues = error.issues;
  for (let round = 0; round < 4; round++) {
    for (const issue of issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      // An unknown key is left out by itself; anything else takes its section with it.
      const keys =
        issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...path, k]) : [path.slice(0, 2)];
      for (const at of keys) {
        if (at.length === 0) return undefined;
        let parent: unknown = copy;
        for (const key of at.slice(0, -1))
          parent = (parent as Record<string | number, unknown> | undefined)?.[key];
        if (typeof parent === 'object' && parent !== null)
          delete (parent as Record<string | number, unknown>)[at.at(-1)!];
        left.push(at);
      }
    }
    const again = TactfulConfigSchema.safeParse(copy);
    if (again.success) return { config: again.data, left };
    issues = again.error.issues;
    copy = structuredClone(copy);
  }
  return undefined;
}

/**
 * Reads and validates a configuration file. Throws `INVALID_CONFIG` whose message lists every
 * problem as `file:line:column path: message`, and whose `issues` hold them.
 */
export async function loadConfig(
  file: string,
): Promise<{ config: TactfulConfig; baseDir: string; file: string }> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TactfulError(
      'INVALID_CONFIG',
      `cannot read the configuration file ${file}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const baseDir = dirname(path);
  const result = await validateConfig(text, { baseDir });
  if (!result.ok) {
    throw new TactfulError(
      'INVALID_CONFIG',
      `${file} has ${result.problems.length} problem(s):\n${formatProblems(result.problems, file)}`,
      {
        issues: result.problems.map((p) => ({ path: p.path, message: p.message })),
      },
    );
  }
  return { config: result.config, baseDir, file: path };
}
