import {
  arr,
  custom,
  num,
  obj,
  oneOf,
  optional,
  pluginName,
  regexEngineOption,
  taxonomyId,
  withDefault,
} from '@tactful/core';

/**
 * The options check of `dynamicContent`: accepts exactly what `DynamicContentOptionsSchema`
 * accepts, returns the same options and names the same first field (proven by
 * `options-check.test.ts`), without zod in a page.
 */
export const checkDynamicContentOptions = obj(
  {
    regex: optional(regexEngineOption),
    catalog: custom<unknown>(
      (v) => v !== undefined && v !== null,
      'a catalog is required: pass defineCatalog(...) or catalog JSON',
    ),
    name: withDefault(pluginName, () => '@tactful/dynamic-content'),
    channel: withDefault(oneOf(['web', 'email']), () => 'web' as const),
    purposes: optional(arr(taxonomyId, { min: 1 })),
    subjectKeyPurpose: withDefault(
      oneOf(['measurement', 'personalization.profile']),
      () => 'measurement' as const,
    ),
    priority: withDefault(num({ int: true, gte: -1000, lte: 1000 }), () => 0),
    fallback: withDefault(oneOf(['none', 'default']), () => 'none' as const),
    timeoutMs: optional(num({ int: true, positive: true, lte: 60_000 })),
  },
  true,
);
