import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { type ConfigProblem, type TactfulConfig, formatProblems, validateConfig } from '@tactful/config';
import { CliError, EXIT_CODES } from './exit-codes.js';
import { withHints } from './hints.js';
import type { CliIo } from './io.js';

/** The configuration file the commands read when none is named. */
export const DEFAULT_CONFIG_FILE = 'tactful.config.json';

/** A configuration file read and checked. */
export interface ConfigFile {
  /** The path as the user gave it (for messages). */
  name: string;
  /** The absolute path. */
  path: string;
  /** The folder relative paths in the configuration start from. */
  baseDir: string;
  text: string;
}

/** Reads a configuration file; a missing one is a user error (exit 1) that says how to make one. */
export async function readConfigFile(io: CliIo, file: string | undefined): Promise<ConfigFile> {
  const name = file ?? DEFAULT_CONFIG_FILE;
  const path = resolve(io.cwd, name);
  try {
    return { name, path, baseDir: dirname(path), text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CliError(
      `cannot read the configuration ${name}: ${why}`,
      EXIT_CODES.invalid,
      code === 'ENOENT' ? 'create one with `tactful init`, or name another with --config <file>' : undefined,
    );
  }
}

/** Runs every load-time check of `@tactful/config` on a configuration file. */
export async function checkConfigFile(
  file: ConfigFile,
): Promise<{ ok: true; config: TactfulConfig } | { ok: false; problems: ConfigProblem[] }> {
  const result = await validateConfig(file.text, { baseDir: file.baseDir });
  return result.ok ? { ok: true, config: result.config } : { ok: false, problems: result.problems };
}

/** How a file is named in messages: relative to the working folder when inside it. */
export function displayName(io: CliIo, file: ConfigFile): string {
  const rel = relative(io.cwd, file.path);
  return rel.startsWith('..') || rel === '' ? file.path : rel;
}

/**
 * Reads and checks a configuration file, for the commands that need a valid one; an invalid one
 * is a user error (exit 1) listing every problem.
 */
export async function loadValidConfig(
  io: CliIo,
  file: string | undefined,
): Promise<{ file: ConfigFile; config: TactfulConfig }> {
  const read = await readConfigFile(io, file);
  const checked = await checkConfigFile(read);
  if (!checked.ok) {
    throw new CliError(
      `${displayName(io, read)} has ${checked.problems.length} problem(s); fix them (\`tactful validate\` lists them too)`,
      EXIT_CODES.invalid,
      formatProblems(withHints(checked.problems), displayName(io, read)),
    );
  }
  return { file: read, config: checked.config };
}
