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

const signalName = str({ pattern: SIGNAL_NAME_RULE });
const timeoutMs = optional(num({ int: true, positive: true, lte: 60_000 }));
const base = {
  name: pluginName,
  version: str({ refine: [isSemverVersion, SEMVER_VERSION_MESSAGE] }),
  core: str({ refine: [isSemverRange, SEMVER_RANGE_MESSAGE] }),
  description: optional(localizedText),
  taxonomy: optional(
    obj({ purposes: optional(arr(purposeDefinition)), categories: optional(arr(categoryDefinition)) }),
  ),
};

/** A strategy manifest, checked without zod (same as `StrategyManifestSchema`; see `manifest-check.test.ts`). */
export const strategyManifest: Check<StrategyManifest> = obj({
  ...base,
  kind: oneOf(['strategy']),
  purposes: arr(taxonomyId, { min: 1 }),
  reads: withDefault(
    arr(obj({ category: taxonomyId, purpose: taxonomyId, why: optional(localizedText) })),
    () => [],
  ),
  signals: withDefault(
    obj({
      publishes: withDefault(
        arr(
          obj({
            name: signalName,
            description: optional(localizedText),
            fields: optional(rec(str(), arr(taxonomyId, { max: 50 }))),
          }),
        ),
        () => [],
      ),
      reads: withDefault(arr(signalName), () => []),
    }),
    () => ({ publishes: [], reads: [] }),
  ),
  priority: withDefault(num({ int: true, gte: -1000, lte: 1000 }), () => 0),
  timeoutMs,
}) as Check<StrategyManifest>;

/** A data source manifest, checked without zod (same as `DataSourceManifestSchema`). */
export const dataSourceManifest: Check<DataSourceManifest> = obj({
  ...base,
  kind: oneOf(['source']),
  provides: arr(
    obj({ category: taxonomyId, retentionDays: optional(num({ int: true, positive: true, lte: 36_500 })) }),
    { min: 1 },
  ),
  requiresSubject: withDefault(bool, () => true),
  rights: withDefault(
    obj({
      export: withDefault(bool, () => false),
      erase: withDefault(bool, () => false),
      rectify: withDefault(bool, () => false),
    }),
    () => ({ export: false, erase: false, rectify: false }),
  ),
  timeoutMs,
}) as Check<DataSourceManifest>;

/** A consent provider manifest, checked without zod (same as `ConsentProviderManifestSchema`). */
export const consentProviderManifest: Check<ConsentProviderManifest> = obj({
  ...base,
  kind: oneOf(['consent']),
  canGrant: withDefault(bool, () => true),
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
