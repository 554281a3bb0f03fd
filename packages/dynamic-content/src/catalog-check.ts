import {
  type Check,
  anything,
  arr,
  custom,
  isoDateTime,
  localizedText,
  num,
  obj,
  oneOf,
  optional,
  rec,
  SLOT_ID_RULE,
  str,
  taxonomyId,
  withDefault,
} from '@tactful/core';
import type { CatalogSchema } from './catalog-schema.js';
import { RENDER_CONTEXTS } from './template.js';

type CatalogOutput = ReturnType<(typeof CatalogSchema)['parse']>;

/** The id rule of slots and variants: core's slot id rule (shared with `catalog-schema.ts`). */
export const CATALOG_ID_RULE = SLOT_ID_RULE;
/** The locale rule of `locales` keys (shared with `catalog-schema.ts`). */
export const LOCALE_TAG_RULE = [
  /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/,
  'use a BCP 47 language tag such as "vi" or "en-US"',
] as const;
/** What a bad schedule instant is told (shared with `catalog-schema.ts`). */
export const INSTANT_MESSAGE = 'use an ISO 8601 date-time with a zone, e.g. "2026-02-01T00:00:00+07:00"';
/** What a missing slot default is told (shared with `catalog-schema.ts`). */
export const SLOT_DEFAULT_MESSAGE = 'every slot needs a default: add "default": { "content": ... }';

const id = str({ min: 1, max: 128, pattern: CATALOG_ID_RULE });
const localeTag = str({ pattern: LOCALE_TAG_RULE });
const instant = isoDateTime(INSTANT_MESSAGE);
const content = custom<unknown>((v) => v !== undefined, 'content is required (any JSON value)');
const locales = optional(rec(localeTag, content));
const slotDefault = obj({ content, locales }, true);

const variant = obj(
  {
    id,
    when: optional(rec(str(), anything)),
    priority: withDefault(num({ int: true, gte: -1000, lte: 1000 }), () => 0),
    weight: optional(num({ positive: true, lte: 1_000_000 })),
    schedule: optional(obj({ start: optional(instant), end: optional(instant) }, true)),
    content,
    locales,
    topics: optional(arr(str({ min: 1, max: 64 }), { max: 20 })),
    purpose: optional(taxonomyId),
    reason: optional(localizedText),
  },
  true,
);

const slot = obj(
  {
    id,
    description: optional(str({ max: 500 })),
    format: withDefault(oneOf(RENDER_CONTEXTS), () => 'text' as const),
    default: (v, path) =>
      v === undefined ? custom(() => false, SLOT_DEFAULT_MESSAGE)(v, path) : slotDefault(v, path),
    variants: withDefault(arr(variant, { max: 64 }), () => []),
    experiment: optional(
      obj(
        {
          id: optional(id),
          version: withDefault(num({ int: true, gte: 1 }), () => 1),
          bucketBy: withDefault(oneOf(['session', 'subject']), () => 'session' as const),
        },
        true,
      ),
    ),
  },
  true,
);

/**
 * The shape check of a content catalog: accepts exactly what `CatalogSchema` accepts, returns the
 * same value and names the same first field (proven by `catalog-check.test.ts`), without zod in a page.
 */
export const checkCatalog: Check<CatalogOutput> = obj(
  {
    version: withDefault(
      custom<1>((v) => v === 1, 'Invalid input: expected 1 (the catalog format version)'),
      () => 1 as const,
    ),
    purpose: optional(taxonomyId),
    slots: arr(slot, { min: 1, max: 500, minMessage: 'a catalog needs at least one slot' }),
  },
  true,
) as Check<CatalogOutput>;
