/**
 * `@tactful/cli`: the `tactful` command line — `init`, `validate`, `explain`, `notice`, `serve`
 * and `create-plugin` — and the pieces it is made of, for scripts that want them without a shell.
 *
 * @packageDocumentation
 */
export { runCli, type RunCliOptions } from './cli.js';
export type { ServeControl } from './commands/serve.js';
export { CliError, EXIT_CODES, type ExitCode, usageError } from './exit-codes.js';
export { type CliIo, processIo } from './io.js';
export { DEFAULT_CONFIG_FILE } from './config-file.js';
export { withHints, REFERENCE_URL } from './hints.js';
export {
  CONFIG_TEMPLATES,
  CONFIG_TEMPLATE_NAMES,
  SCHEMA_REFERENCE,
  configFromTemplate,
  type ConfigTemplateName,
  type TemplateOverrides,
} from './templates/index.js';
export {
  TOOL_VERSIONS,
  factoryName,
  pluginFiles,
  pluginPackageName,
  pluginSlug,
  type PluginScaffoldOptions,
} from './plugin-scaffold.js';
export { FIELD_NOTES, configFieldPaths, configReference } from './config-reference.js';
export { formatDecision, formatPreview } from './commands/explain.js';
export { CLI_VERSION } from './version.js';
export { generatedDocs, RECIPE_SCHEMA } from './docs-files.js';
