import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { TactfulError } from '@tactful/core';
import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';
import { checkConfig } from './assemble.js';
import { checkConfigText, checkConfigValue, findForbiddenKeyInText } from './bounds.js';
import { type ConfigProblem, formatProblems, locateProblems, problemsFromZod } from './problems.js';
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

function lineColumn(text: string, offset: number): { line: number; column: number } {
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
  if (parsed.success && options.deep !== false) problems = await checkConfig(parsed.data, options.baseDir);
  if (text !== undefined) problems = locateProblems(problems, text);
  if (problems.length > 0 || !parsed.success) return { ok: false, config: undefined, problems };
  return { ok: true, config: parsed.data, problems: [] };
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
