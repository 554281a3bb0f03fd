import { configReference } from './config-reference.js';
import { CONFIG_TEMPLATE_NAMES, configFromTemplate } from './templates/index.js';

/** Where the recipes point `$schema`: the schema file in the repository, relative to docs/recipes. */
export const RECIPE_SCHEMA = '../../packages/config/schema.json';

/**
 * The generated documentation files, by path from the repository root: the configuration
 * reference and one recipe per configuration template. `pnpm --filter @tactful/cli docs:config`
 * writes them; a test fails when the committed ones differ.
 */
export function generatedDocs(): Record<string, string> {
  const files: Record<string, string> = { 'docs/reference/configuration.md': configReference() };
  for (const name of CONFIG_TEMPLATE_NAMES) {
    files[`docs/recipes/${name}.json`] =
      `${JSON.stringify(configFromTemplate(name, { schema: RECIPE_SCHEMA }), null, 2)}\n`;
  }
  return files;
}
