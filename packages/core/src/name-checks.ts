import { type Check, str } from './check.js';

/**
 * The name and id rules shared by the zod schemas (`manifest.ts`, `taxonomy.ts`) and the zod-free
 * checks of page code: one pattern and one message each.
 */

/** An npm-style plugin name. */
export const PLUGIN_NAME_RULE = [
  /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/,
  'use an npm-style name such as "tactful-plugin-weather"',
] as const;

/** A purpose or category id. */
export const TAXONOMY_ID_RULE = [
  /^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/,
  'use lowercase words separated by dots or dashes, e.g. "personalization.profile"',
] as const;

/** A plugin name (same as `PluginNameSchema`). */
export const pluginName: Check<string> = str({ min: 1, max: 214, pattern: PLUGIN_NAME_RULE });

/** A purpose or category id (same as `TaxonomyIdSchema`). */
export const taxonomyId: Check<string> = str({ pattern: TAXONOMY_ID_RULE });
