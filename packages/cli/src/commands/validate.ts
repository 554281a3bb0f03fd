import { formatProblems } from '@tactful/config';
import { checkConfigFile, displayName, readConfigFile } from '../config-file.js';
import { EXIT_CODES } from '../exit-codes.js';
import { withHints } from '../hints.js';
import { type CliIo, printJson, progress } from '../io.js';

/** Options of `tactful validate`. */
export interface ValidateOptions {
  json?: boolean;
  quiet?: boolean;
}

/**
 * `tactful validate [file]`: every load-time check of `@tactful/config` (shape, each plugin's
 * options, the engine's registration rules), all problems at once, each with its JSON path,
 * `line:column` and a hint. Exit 0 when valid, 1 when not.
 */
export async function validateCommand(
  io: CliIo,
  file: string | undefined,
  options: ValidateOptions,
): Promise<number> {
  const read = await readConfigFile(io, file);
  const name = displayName(io, read);
  progress(io, options.quiet || options.json)(`checking ${name} (shape, plugins, engine rules)`);
  const result = await checkConfigFile(read);
  const problems = result.ok ? [] : withHints(result.problems);
  if (options.json) {
    printJson(io, { file: name, ok: result.ok, problems });
    return result.ok ? EXIT_CODES.ok : EXIT_CODES.invalid;
  }
  if (result.ok) {
    io.stdout(`✓ ${name} is valid\n`);
    return EXIT_CODES.ok;
  }
  const n = problems.length;
  io.stdout(`✗ ${name} has ${n} problem${n === 1 ? '' : 's'}:\n\n${formatProblems(problems, name)}\n`);
  return EXIT_CODES.invalid;
}
