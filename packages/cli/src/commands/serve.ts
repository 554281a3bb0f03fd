import { rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createServer } from '@tactful/server';
import { loadValidConfig } from '../config-file.js';
import { CliError, EXIT_CODES, usageError } from '../exit-codes.js';
import { type CliIo, progress } from '../io.js';

/** Options of `tactful serve`. */
export interface ServeOptions {
  config?: string;
  /** Overrides `server.port` (0 picks a free port). */
  port?: string | number;
  /** Overrides `server.host`. */
  host?: string;
  /** Write the process id here once listening (removed on stop), for `kill "$(cat file)"`. */
  pidFile?: string;
  quiet?: boolean;
}

function parsePort(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw usageError(`--port must be a whole number from 0 to 65535, not "${value}"`, 'serve');
  }
  return port;
}

/** What stops a running server: a signal, or the test harness. */
export interface ServeControl {
  /** Resolves when the server should stop; default: the first SIGTERM or SIGINT. */
  stopped?: Promise<string>;
}

function onSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

/**
 * `tactful serve`: starts the decision server (`@tactful/server`) from a configuration, and stops
 * it gracefully on SIGTERM or SIGINT (in-flight requests finish, audit writes are flushed, the
 * database is closed). Logs one JSON line per request on stdout; progress goes to stderr.
 */
export async function serveCommand(
  io: CliIo,
  options: ServeOptions,
  control: ServeControl = {},
): Promise<number> {
  const port = parsePort(options.port);
  if (options.host !== undefined && (typeof options.host !== 'string' || options.host === '')) {
    throw usageError('--host needs a value such as 127.0.0.1', 'serve');
  }
  const say = progress(io, options.quiet);
  const { file, config } = await loadValidConfig(io, options.config);
  say(`assembling ${file.name}`);
  const server = await createServer(config, { baseDir: file.baseDir });
  // The pid file is written before listening, so a script that waits for readiness can always
  // read it (and removed again when listening fails).
  const pidFile = options.pidFile === undefined ? undefined : resolve(io.cwd, String(options.pidFile));
  if (pidFile) await writeFile(pidFile, `${process.pid}\n`);
  let running: Awaited<ReturnType<typeof server.listen>>;
  try {
    running = await server.listen({
      ...(port === undefined ? {} : { port }),
      ...(options.host === undefined ? {} : { host: options.host }),
    });
  } catch (error) {
    await server.close();
    if (pidFile) await rm(pidFile, { force: true });
    throw new CliError(
      `cannot listen: ${(error as Error).message}`,
      EXIT_CODES.failure,
      'choose another port with --port, or stop what is using it',
    );
  }
  say(`listening on ${running.url} (data: ${server.tactful.storage})`);
  say(`notice: ${running.url}/v1/notice · API: ${running.url}/openapi.json · stop with Ctrl+C`);
  const signal = await (control.stopped ?? onSignal());
  say(`${signal}: finishing in-flight requests and closing`);
  await server.close();
  if (pidFile) await rm(pidFile, { force: true });
  say('stopped');
  return EXIT_CODES.ok;
}
