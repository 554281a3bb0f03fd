import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { CliError, EXIT_CODES, usageError } from '../exit-codes.js';
import { type CliIo, printJson, progress } from '../io.js';
import { pluginFiles, pluginPackageName, pluginSlug } from '../plugin-scaffold.js';

/** Options of `tactful create-plugin`. */
export interface CreatePluginOptions {
  /** The folder to create (default: the plugin's short name). */
  dir?: string;
  /** The range of `@tactful/core` the plugin supports. */
  core?: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/**
 * `tactful create-plugin <name>`: scaffolds a vendor plugin package — a strategy against
 * `@tactful/core` alone with the conformance kit wired into its tests — into a new folder.
 */
export async function createPluginCommand(
  io: CliIo,
  name: string,
  options: CreatePluginOptions,
): Promise<number> {
  const named = pluginPackageName(String(name));
  if (!named.ok) throw usageError(named.message, 'create-plugin');
  if (options.core !== undefined && (typeof options.core !== 'string' || options.core.trim() === '')) {
    throw usageError('--core needs a semver range such as ^0.1.0', 'create-plugin');
  }
  const dir = resolve(io.cwd, options.dir ?? pluginSlug(named.name));
  if (existsSync(dir) && readdirSync(dir).length > 0 && !options.force) {
    throw new CliError(
      `${relative(io.cwd, dir) || dir} exists and is not empty; not writing into it`,
      EXIT_CODES.invalid,
      'pass --force to write the files anyway, or choose another folder with --dir',
    );
  }
  const say = progress(io, options.quiet || options.json);
  const files = pluginFiles({
    packageName: named.name,
    ...(options.core ? { coreRange: options.core } : {}),
  });
  say(`creating ${named.name} in ${relative(io.cwd, dir) || '.'}`);
  for (const [path, text] of Object.entries(files)) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  const shown = relative(io.cwd, dir) || '.';
  if (options.json) {
    printJson(io, { package: named.name, dir: shown, files: Object.keys(files) });
  } else {
    io.stdout(
      [
        `Created ${named.name} in ${shown}/ (${Object.keys(files).length} files).`,
        '',
        'Next:',
        `  cd ${shown} && npm install`,
        '  npm test            runs the conformance kit of @tactful/testing and your own tests',
        '  npm run typecheck',
        '  npm run build && npm run lint:package',
        '',
        'Guide: docs/guides/writing-a-plugin.md',
        '',
      ].join('\n'),
    );
  }
  return EXIT_CODES.ok;
}
