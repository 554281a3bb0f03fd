import { type Check, arr, bool, num, obj, oneOf, optional, rec, str, withDefault } from './check.js';
import { TactfulError } from './errors.js';
import type { ConsentProviderManifest, DataSourceManifest, StrategyManifest } from './manifest-schema.js';
import { localizedText, pluginName, taxonomyId } from './name-checks.js';
import { isSemverRange, isSemverVersion, satisfiesRange } from './semver.js';
import { categoryDefinition, purposeDefinition } from './taxonomy.js';
import { CORE_VERSION } from './version.js';

/** What a bad `version` is told (shared with the schemas). */
export const SEMVER_VERSION_MESSAGE = 'use a semantic version such as "1.2.3"';
/** What a bad `core` range is told (shared with the schemas). */
export const SEMVER_RANGE_MESSAGE = 'use a semver range such as "^0.1.0"';
/** A signal name (shared with `SignalNameSchema`). */
export const SIGNAL_NAME_RULE = [
  /^[a-z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)*$/,
  'use dot-separated words such as "segments.memberships"',
] as const;

const signalName = /* @__PURE__ */ str({ pattern: SIGNAL_NAME_RULE });
const timeoutMs = /* @__PURE__ */ optional(/* @__PURE__ */ num({ int: true, positive: true, lte: 60_000 }));
const base = {
  name: pluginName,
  version: /* @__PURE__ */ str({ refine: [isSemverVersion, SEMVER_VERSION_MESSAGE] }),
  core: /* @__PURE__ */ str({ refine: [isSemverRange, SEMVER_RANGE_MESSAGE] }),
  description: /* @__PURE__ */ optional(localizedText),
  taxonomy: /* @__PURE__ */ optional(
    /* @__PURE__ */ obj({
      purposes: /* @__PURE__ */ optional(/* @__PURE__ */ arr(purposeDefinition)),
      categories: /* @__PURE__ */ optional(/* @__PURE__ */ arr(categoryDefinition)),
    }),
  ),
};

/**
 * The check of a manifest kind: the fields all kinds share, then the kind's own. A function (marked
 * pure) rather than a spread of `base` in each literal, so a bundler drops the kinds a page never checks.
 */
function withBase<T>(shape: Record<string, Check<unknown>>): Check<T> {
  return obj({ ...base, ...shape }) as Check<T>;
}

/** A strategy manifest, checked without zod (same as `StrategyManifestSchema`; see `manifest-check.test.ts`). */
export const strategyManifest: Check<StrategyManifest> = /* @__PURE__ */ withBase({
  kind: /* @__PURE__ */ oneOf(['strategy']),
  purposes: /* @__PURE__ */ arr(taxonomyId, { min: 1 }),
  reads: /* @__PURE__ */ withDefault(
    /* @__PURE__ */ arr(
      /* @__PURE__ */ obj({
        category: taxonomyId,
        purpose: taxonomyId,
        why: /* @__PURE__ */ optional(localizedText),
      }),
    ),
    () => [],
  ),
  signals: /* @__PURE__ */ withDefault(
    /* @__PURE__ */ obj({
      publishes: /* @__PURE__ */ withDefault(
        /* @__PURE__ */ arr(
          /* @__PURE__ */ obj({
            name: signalName,
            description: /* @__PURE__ */ optional(localizedText),
            fields: /* @__PURE__ */ optional(
              /* @__PURE__ */ rec(/* @__PURE__ */ str(), /* @__PURE__ */ arr(taxonomyId, { max: 50 })),
            ),
          }),
        ),
        () => [],
      ),
      reads: /* @__PURE__ */ withDefault(/* @__PURE__ */ arr(signalName), () => []),
    }),
    () => ({ publishes: [], reads: [] }),
  ),
  priority: /* @__PURE__ */ withDefault(/* @__PURE__ */ num({ int: true, gte: -1000, lte: 1000 }), () => 0),
  timeoutMs,
}) as Check<StrategyManifest>;

/** A data source manifest, checked without zod (same as `DataSourceManifestSchema`). */
export const dataSourceManifest: Check<DataSourceManifest> = /* @__PURE__ */ withBase({
  kind: /* @__PURE__ */ oneOf(['source']),
  provides: /* @__PURE__ */ arr(
    /* @__PURE__ */ obj({
      category: taxonomyId,
      retentionDays: /* @__PURE__ */ optional(
        /* @__PURE__ */ num({ int: true, positive: true, lte: 36_500 }),
      ),
    }),
    { min: 1 },
  ),
  requiresSubject: /* @__PURE__ */ withDefault(bool, () => true),
  rights: /* @__PURE__ */ withDefault(
    /* @__PURE__ */ obj({
      export: /* @__PURE__ */ withDefault(bool, () => false),
      erase: /* @__PURE__ */ withDefault(bool, () => false),
      rectify: /* @__PURE__ */ withDefault(bool, () => false),
    }),
    () => ({ export: false, erase: false, rectify: false }),
  ),
  timeoutMs,
}) as Check<DataSourceManifest>;

/** A consent provider manifest, checked without zod (same as `ConsentProviderManifestSchema`). */
export const consentProviderManifest: Check<ConsentProviderManifest> = /* @__PURE__ */ withBase({
  kind: /* @__PURE__ */ oneOf(['consent']),
  canGrant: /* @__PURE__ */ withDefault(bool, () => true),
  timeoutMs,
}) as Check<ConsentProviderManifest>;

/**
 * Checks that the running `@tactful/core` satisfies a plugin's declared core range.
 * @throws TactfulError `UNSUPPORTED_CORE_VERSION`
 */
export function assertCoreCompatible(
  manifest: { name: string; core: string },
  coreVersion: string = CORE_VERSION,
): void {
  if (!satisfiesRange(coreVersion, manifest.core)) {
    throw new TactfulError(
      'UNSUPPORTED_CORE_VERSION',
      `${manifest.name}: supports @tactful/core "${manifest.core}" but ${coreVersion} is installed; upgrade the plugin or install a matching core`,
      { plugin: manifest.name, path: ['core'] },
    );
  }
}
