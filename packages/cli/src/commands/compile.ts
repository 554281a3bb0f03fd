import { writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isTactfulError } from '@tactful/core';
import type { OrchestratorOptions } from '@tactful/orchestrator';
import { compilePlan } from '@tactful/orchestrator/compile';
import { CliError, EXIT_CODES } from '../exit-codes.js';
import { type CliIo, printJson, progress } from '../io.js';

/** Options of `tactful compile`. */
export interface CompileOptions {
  /** The export of the module that holds the plugins (default `default`). */
  export?: string;
  /** Where to write the plan: `.json`, or `.js`/`.mjs` for a module exporting it (default stdout). */
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

/**
 * `tactful compile <module>`: imports a JS module whose export (`default`, or `--export <name>`)
 * is the page's orchestrator options — or a function returning them — runs every registration
 * check of `createOrchestrator` on them (`compilePlan`) and writes the stamped plan that
 * `createCompiledOrchestrator` (`@tactful/orchestrator/compiled`) starts from. Exit 0 when
 * written, 1 when the options are refused (every problem printed with its path).
 */
export async function compileCommand(io: CliIo, module: string, options: CompileOptions): Promise<number> {
  const say = progress(io, options.quiet || options.json);
  const path = isAbsolute(module) ? module : resolve(io.cwd, module);
  const name = options.export ?? 'default';
  say(`loading ${module}`);
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(
      `cannot load ${module}: ${error instanceof Error ? error.message : String(error)}`,
      EXIT_CODES.invalid,
      'pass a JavaScript module (.js or .mjs) that exports the page’s orchestrator options',
    );
  }
  if (!(name in loaded)) {
    throw new CliError(
      `${module} has no export "${name}" (it exports: ${Object.keys(loaded).join(', ') || 'nothing'})`,
      EXIT_CODES.invalid,
      'export the options (or a function returning them) as default, or name the export with --export',
    );
  }
  const value = loaded[name];
  const opts = (
    typeof value === 'function' ? await (value as () => unknown)() : value
  ) as OrchestratorOptions;
  say(`compiling ${name} of ${module} (every registration check)`);
  let plan: ReturnType<typeof compilePlan>;
  try {
    plan = compilePlan(opts);
  } catch (error) {
    if (!isTactfulError(error)) throw error;
    const lines =
      error.issues.length > 0 ? error.issues : [{ path: error.path ?? [], message: error.message }];
    if (options.json) {
      printJson(io, { module, ok: false, code: error.code, problems: lines });
      return EXIT_CODES.invalid;
    }
    io.stdout(
      `✗ ${module}: ${error.code}\n${lines.map((i) => `  ${i.path.join('.') || '(options)'}: ${i.message}`).join('\n')}\n`,
    );
    return EXIT_CODES.invalid;
  }
  const text = JSON.stringify(plan);
  if (options.out !== undefined) {
    const target = isAbsolute(options.out) ? options.out : resolve(io.cwd, options.out);
    const asModule = /\.m?js$/.test(options.out);
    await writeFile(
      target,
      asModule
        ? `/** Written by \`tactful compile\`; do not edit (the page refuses a changed plan). */\nexport const plan = ${text};\nexport default plan;\n`
        : `${text}\n`,
    );
  } else if (!options.json) io.stdout(`${text}\n`);
  const summary = {
    module,
    ok: true,
    out: options.out,
    stamp: plan.stamp,
    bytes: text.length,
    strategies: plan.body.strategies.map((s) => s.name),
  };
  if (options.json) printJson(io, options.out === undefined ? { ...summary, plan } : summary);
  else if (options.out !== undefined)
    io.stdout(`✓ wrote ${options.out} (${text.length} bytes, ${plan.stamp})\n`);
  return EXIT_CODES.ok;
}
