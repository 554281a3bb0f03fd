import { type Check, obj, optional, str } from './check.js';

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
export const pluginName: Check<string> = /* @__PURE__ */ str({ min: 1, max: 214, pattern: PLUGIN_NAME_RULE });

/** A purpose or category id (same as `TaxonomyIdSchema`). */
export const taxonomyId: Check<string> = /* @__PURE__ */ str({ pattern: TAXONOMY_ID_RULE });

/** Text a person reads (same as `LocalizedTextSchema`). */
export const localizedText: Check<{ en: string; vi?: string | undefined }> = /* @__PURE__ */ obj({
  en: /* @__PURE__ */ str({ min: 1 }),
  vi: /* @__PURE__ */ optional(/* @__PURE__ */ str({ min: 1 })),
});

/**
 * An ISO 8601 date-time with a zone, as zod's `z.iso.datetime({ offset: true })` takes it (the
 * same pattern; `check.test.ts` compares it with zod's).
 */
export const ISO_DATETIME =
  /^(?:(?:\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|(?:02)-(?:0[1-9]|1\d|2[0-8])))T(?:(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|([+-](?:[01]\d|2[0-3]):[0-5]\d)))$/;

/** An ISO 8601 date-time with a zone; `message` says how to write one. */
export function isoDateTime(
  message = 'Invalid ISO datetime: use e.g. "2026-02-01T00:00:00Z"',
): Check<string> {
  return str({ pattern: [ISO_DATETIME, message] });
}
