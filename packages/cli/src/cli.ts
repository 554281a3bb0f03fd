import { isTactfulError } from '@tactful/core';
import { type CAC, cac } from 'cac';
import { compileCommand } from './commands/compile.js';
import { createPluginCommand } from './commands/create-plugin.js';
import { explainCommand } from './commands/explain.js';
import { initCommand } from './commands/init.js';
import { migrateCommand } from './commands/migrate.js';
import { noticeCommand } from './commands/notice.js';
import { purgeCommand } from './commands/purge.js';
import { type ServeControl, serveCommand } from './commands/serve.js';
import { validateCommand } from './commands/validate.js';
import { DEFAULT_CONFIG_FILE } from './config-file.js';
import { CliError, EXIT_CODES } from './exit-codes.js';
import { type CliIo, processIo } from './io.js';
import { CONFIG_TEMPLATE_NAMES } from './templates/index.js';
import { CLI_VERSION } from './version.js';

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Where to write and which folder to work in (default: the process's). */
  io?: CliIo;
  /** What stops `serve` (default: SIGTERM or SIGINT). */
  serve?: ServeControl;
}

const EXIT_HELP = `Exit codes:
  0  success
  1  validation or user error (invalid configuration, missing file, refusing to overwrite)
  2  usage error (unknown command or option, missing argument, bad value)
  3  runtime failure (a port in use, an unexpected error)

Progress goes to stderr; results to stdout. Docs: docs/README.md`;

type Action = () => Promise<number>;

function build(io: CliIo, options: RunCliOptions, setAction: (action: Action) => void): CAC {
  const cli = cac('tactful');
  cli.option('--quiet', 'No progress output on stderr');
  cli
    .command(
      'init [file]',
      `Write a complete configuration from a template (default file ${DEFAULT_CONFIG_FILE})`,
    )
    .option('--template <name>', `${CONFIG_TEMPLATE_NAMES.join(' | ')} (default ecommerce)`)
    .option('--name <name>', 'The data controller named in the privacy notice')
    .option('--contact <contact>', 'The privacy contact: an email, URL or phone')
    .option('--force', 'Overwrite the file if it exists')
    .option('--json', 'Print { file, template } as JSON')
    .example('tactful init --template newsletter --name "Shop ABC" --contact privacy@shop.example')
    .action((file: string | undefined, o) => setAction(() => initCommand(io, file, o)));
  cli
    .command(
      'validate [file]',
      'Run every load-time check; print ALL problems with path, line:column and a hint',
    )
    .option('--json', 'Print { ok, file, problems[] } as JSON')
    .example('tactful validate tactful.config.json')
    .action((file: string | undefined, o) => setAction(() => validateCommand(io, file, o)));
  cli
    .command(
      'explain <request>',
      'For a decision request (JSON file): what would run, what would be skipped, and why',
    )
    .option('--config <file>', `The configuration (default ${DEFAULT_CONFIG_FILE})`)
    .option(
      '--grant <purposes>',
      'Purposes the request’s subject has consented to, comma-separated (recorded in memory only)',
    )
    .option('--decide', 'Also make the decision and show each slot’s content and explanation')
    .option('--lang <lang>', 'Language of explanations: en | vi (default en)')
    .option('--json', 'Print the preview (and decision) as JSON')
    .example('tactful explain request.json --grant personalization.profile --decide')
    .action((request: string, o) => setAction(() => explainCommand(io, request, o)));
  cli
    .command('notice', 'Print the privacy notice generated from the configured plugins’ manifests')
    .option('--config <file>', `The configuration (default ${DEFAULT_CONFIG_FILE})`)
    .option('--lang <lang>', 'en | vi (default en)')
    .option('--format <format>', 'md | html | json (default md)')
    .option('--out <file>', 'Write to a file instead of stdout')
    .example('tactful notice --lang vi --format html --out public/privacy.vi.html')
    .action((o) => setAction(() => noticeCommand(io, o)));
  cli
    .command('serve', 'Start the decision server from a configuration (stops gracefully on SIGTERM/SIGINT)')
    .option('--config <file>', `The configuration (default ${DEFAULT_CONFIG_FILE})`)
    .option('--port <port>', 'Port (default: server.port, 3000; 0 picks a free one)')
    .option('--host <host>', 'Host (default: server.host, 127.0.0.1)')
    .option('--pid-file <file>', 'Write the process id to this file (before listening; removed on stop)')
    .example('TACTFUL_SECRET=... tactful serve --port 8080')
    .action((o) => setAction(() => serveCommand(io, o, options.serve)));
  cli
    .command(
      'migrate',
      'Apply the PostgreSQL migrations of the configured storage (idempotent, safe while servers run)',
    )
    .option('--config <file>', `The configuration (default ${DEFAULT_CONFIG_FILE})`)
    .option('--from <engine>', 'sqlite: first copy a SQLite data folder into the empty PostgreSQL schema')
    .option(
      '--data <folder>',
      'The SQLite data folder for --from sqlite (default .tactful-data next to the configuration)',
    )
    .option('--json', 'Print { schema, migrations, imported } as JSON')
    .example('DATABASE_URL=postgres://... tactful migrate --from sqlite')
    .action((o) => setAction(() => migrateCommand(io, o)));
  cli
    .command(
      'purge',
      'Delete now the data past its retention (subject data, audit entries); servers also do it on a schedule',
    )
    .option('--config <file>', `The configuration (default ${DEFAULT_CONFIG_FILE})`)
    .option('--json', 'Print { subjects, audit } (items deleted) as JSON')
    .example('tactful purge --json')
    .action((o) => setAction(() => purgeCommand(io, o)));
  cli
    .command(
      'compile <module>',
      'Check a page’s orchestrator options (a JS module’s export) at build time and write the plan the page engine starts from',
    )
    .option(
      '--export <name>',
      'The export holding the options, or a function returning them (default default)',
    )
    .option('--out <file>', 'Write the plan here: .json, or .js/.mjs for a module (default stdout)')
    .option('--json', 'Print { ok, stamp, bytes, strategies } (and the plan, without --out) as JSON')
    .example('tactful compile src/tactful.page.mjs --export pagePlugins --out src/tactful-plan.json')
    .action((module: string, o) => setAction(() => compileCommand(io, module, o)));
  cli
    .command(
      'create-plugin <name>',
      'Scaffold a vendor plugin package with the conformance kit wired into its tests',
    )
    .option('--dir <dir>', 'The folder to create (default: the plugin’s short name)')
    .option('--core <range>', 'The @tactful/core versions it supports (default ^ the installed core)')
    .option('--force', 'Write into a folder that is not empty')
    .option('--json', 'Print { package, dir, files } as JSON')
    .example('tactful create-plugin happy-hour')
    .action((name: string, o) => setAction(() => createPluginCommand(io, name, o)));
  cli.help((sections) => [...sections, { body: EXIT_HELP }]);
  cli.version(CLI_VERSION);
  return cli;
}

function report(io: CliIo, error: unknown): number {
  if (error instanceof CliError) {
    io.stderr(`tactful: ${error.message}\n${error.details ? `${error.details}\n` : ''}`);
    return error.exitCode;
  }
  if (error instanceof Error && error.name === 'CACError') {
    io.stderr(`tactful: ${error.message}\nrun \`tactful --help\` for usage\n`);
    return EXIT_CODES.usage;
  }
  if (isTactfulError(error) && (error.code === 'INVALID_CONFIG' || error.code === 'INVALID_OPTIONS')) {
    io.stderr(`tactful: ${error.message}\n`);
    return EXIT_CODES.invalid;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`tactful: unexpected failure\n${message}\n`);
  return EXIT_CODES.failure;
}

/**
 * Runs the `tactful` command line on `argv` (as in `process.argv`: node, script, then arguments)
 * and resolves with the exit code; never calls `process.exit`.
 *
 * @example
 * ```ts
 * const code = await runCli(['node', 'tactful', 'validate', 'tactful.config.json']);
 * process.exitCode = code;
 * ```
 */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<number> {
  const io = options.io ?? processIo();
  let action: Action | undefined;
  const cli = build(io, options, (a) => {
    action = a;
  });
  try {
    const parsed = cli.parse([...argv], { run: false });
    if (parsed.options.help || parsed.options.version) return EXIT_CODES.ok;
    if (!cli.matchedCommand) {
      const first = cli.args[0];
      if (first === undefined) {
        cli.outputHelp();
        return EXIT_CODES.usage;
      }
      throw new CliError(
        `unknown command "${first}"`,
        EXIT_CODES.usage,
        'run `tactful --help` for the commands',
      );
    }
    await cli.runMatchedCommand();
    if (!action) throw new CliError('nothing to do', EXIT_CODES.usage, 'run `tactful --help` for usage');
    return await action();
  } catch (error) {
    return report(io, error);
  }
}
