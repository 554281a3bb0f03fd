/** Where the CLI writes: results on `stdout`, progress and diagnostics on `stderr`. */
export interface CliIo {
  /** Results: what a script reads (JSON with `--json`). */
  stdout: (text: string) => void;
  /** Progress, warnings and errors. */
  stderr: (text: string) => void;
  /** The folder relative paths start from. */
  cwd: string;
  /** Environment variables (`TACTFUL_SECRET` …). */
  env: Readonly<Record<string, string | undefined>>;
}

/** The process's own streams and folder. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
  };
}

/** Prints progress lines on stderr (`› loading tactful.config.json`), unless quiet. */
export function progress(io: CliIo, quiet: boolean | undefined): (message: string) => void {
  return (message) => {
    if (!quiet) io.stderr(`› ${message}\n`);
  };
}

/** Writes a value as pretty JSON and a newline on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
