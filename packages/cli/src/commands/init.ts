import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../config-file.js';
import { CliError, EXIT_CODES, usageError } from '../exit-codes.js';
import { type CliIo, printJson, progress } from '../io.js';
import { CONFIG_TEMPLATE_NAMES, type ConfigTemplateName, configFromTemplate } from '../templates/index.js';

/** Options of `tactful init`. */
export interface InitOptions {
  /** `ecommerce` (default), `newsletter` or `travel`. */
  template?: string;
  /** Overwrite an existing file. */
  force?: boolean;
  /** The data controller's name. */
  name?: string;
  /** The privacy contact (email, URL or phone). */
  contact?: string;
  json?: boolean;
  quiet?: boolean;
}

function isTemplate(name: string): name is ConfigTemplateName {
  return (CONFIG_TEMPLATE_NAMES as string[]).includes(name);
}

/** `tactful init [file]`: writes a complete configuration from a template; never overwrites without `--force`. */
export async function initCommand(
  io: CliIo,
  file: string | undefined,
  options: InitOptions,
): Promise<number> {
  const template = options.template ?? 'ecommerce';
  if (!isTemplate(template)) {
    throw usageError(
      `unknown template "${template}"; use one of: ${CONFIG_TEMPLATE_NAMES.join(', ')}`,
      'init',
    );
  }
  for (const key of ['name', 'contact'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      throw usageError(`--${key} needs a value`, 'init');
    }
  }
  const name = file ?? DEFAULT_CONFIG_FILE;
  const path = resolve(io.cwd, name);
  if (existsSync(path) && !options.force) {
    throw new CliError(
      `${name} already exists; not overwriting it`,
      EXIT_CODES.invalid,
      'pass --force to replace it, or name another file: `tactful init other.config.json`',
    );
  }
  const say = progress(io, options.quiet || options.json);
  say(`writing ${name} from the ${template} template`);
  const config = configFromTemplate(template, {
    ...(options.name === undefined ? {} : { name: String(options.name) }),
    ...(options.contact === undefined ? {} : { contact: String(options.contact) }),
  });
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
  const shown = relative(io.cwd, path) || name;
  if (options.json) {
    printJson(io, { file: shown, template });
  } else {
    io.stdout(
      [
        `Created ${shown} (template: ${template}).`,
        '',
        'Next:',
        `  tactful validate ${shown}                 check it (every problem at once)`,
        `  tactful notice --config ${shown} --lang vi   read the privacy notice it implies`,
        `  tactful serve --config ${shown}             start the decision server`,
        '',
      ].join('\n'),
    );
  }
  return EXIT_CODES.ok;
}
