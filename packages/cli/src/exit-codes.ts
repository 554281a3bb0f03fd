/**
 * The exit codes of `tactful`, stable so scripts can rely on them.
 *
 * | code | meaning |
 * | ---- | ------- |
 * | 0 | success |
 * | 1 | validation or user error: an invalid configuration, a missing file, a file that would be overwritten |
 * | 2 | usage error: an unknown command or option, a missing argument, a value out of range |
 * | 3 | runtime failure: something broke while doing valid work (a port in use, a crash) |
 */
export const EXIT_CODES = Object.freeze({
  ok: 0,
  invalid: 1,
  usage: 2,
  failure: 3,
} as const);

/** One of the {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * An error the CLI reports as one message (no stack trace) and exits with `exitCode`.
 *
 * @example
 * ```ts
 * throw new CliError('tactful.config.json exists; pass --force to overwrite it', EXIT_CODES.invalid);
 * ```
 */
export class CliError extends Error {
  /** The process exit code to end with. */
  readonly exitCode: ExitCode;
  /** More lines printed after the message (problems, hints). */
  readonly details: string | undefined;

  constructor(message: string, exitCode: ExitCode, details?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.details = details;
  }
}

/** A usage error (exit code 2): say what was wrong and what `--help` to read. */
export function usageError(message: string, command?: string): CliError {
  return new CliError(
    message,
    EXIT_CODES.usage,
    `run \`tactful ${command ? `${command} ` : ''}--help\` for usage`,
  );
}
