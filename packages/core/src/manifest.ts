import semverSatisfies from 'semver/functions/satisfies.js';
import semverValidRange from 'semver/ranges/valid.js';
import semverValid from 'semver/functions/valid.js';
import { z } from 'zod';
import { TactfulError } from './errors.js';
import {
  CategoryDefinitionSchema,
  LocalizedTextSchema,
  PurposeDefinitionSchema,
  TaxonomyIdSchema,
} from './taxonomy.js';
import { CORE_VERSION } from './version.js';

/** An npm-style plugin name: `tactful-plugin-x`, `@vendor/tactful-x`, `segments`. */
export const PluginNameSchema = z
  .string()
  .min(1)
  .max(214)
  .regex(
    /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/,
    'use an npm-style name such as "tactful-plugin-weather"',
  );

const SemverSchema = z
  .string()
  .refine((v) => semverValid(v) !== null, 'use a semantic version such as "1.2.3"');
const RangeSchema = z
  .string()
  .refine((v) => semverValidRange(v) !== null, 'use a semver range such as "^0.1.0"');

/** A signal name: `segments.memberships`, `session.interests`. */
export const SignalNameSchema = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9-]*(\.[a-zA-Z0-9-]+)*$/, 'use dot-separated words such as "segments.memberships"');

/** Reading one data category, for one purpose. */
export const CategoryReadSchema = z.object({
  category: TaxonomyIdSchema,
  /** The purpose this read serves; the category is withheld unless this purpose is granted. */
  purpose: TaxonomyIdSchema,
  /** Why, in words a person understands (used in the generated notice). */
  why: LocalizedTextSchema.optional(),
});
/** Reading one data category, for one purpose. */
export type CategoryRead = z.infer<typeof CategoryReadSchema>;

/** A signal a strategy publishes for later strategies. */
export const SignalDeclarationSchema = z.object({
  name: SignalNameSchema,
  description: LocalizedTextSchema.optional(),
  /**
   * The data categories each top-level field of the signal's value is made from
   * (`{ daypart: ['context.time'], weather: ['context.weather', 'context.location.coarse'] }`): an
   * explanation then names only the categories behind the fields a proposal says it used.
   */
  fields: z.record(z.string(), z.array(TaxonomyIdSchema).max(50)).optional(),
});

const ManifestBase = z.object({
  name: PluginNameSchema,
  version: SemverSchema,
  /** The `@tactful/core` versions this plugin supports (semver range), checked at registration. */
  core: RangeSchema,
  description: LocalizedTextSchema.optional(),
  /** Purposes and categories this plugin adds to the taxonomy. */
  taxonomy: z
    .object({
      purposes: z.array(PurposeDefinitionSchema).optional(),
      categories: z.array(CategoryDefinitionSchema).optional(),
    })
    .optional(),
});

/** The manifest of a strategy: what it reads, for which purposes, and which signals it uses. */
export const StrategyManifestSchema = ManifestBase.extend({
  kind: z.literal('strategy'),
  /** Purposes that must all be granted for the strategy to run at all. */
  purposes: z.array(TaxonomyIdSchema).min(1),
  /** The categories it reads, each bound to a purpose (P2). */
  reads: z.array(CategoryReadSchema).default([]),
  signals: z
    .object({
      publishes: z.array(SignalDeclarationSchema).default([]),
      /** Signals of other strategies it reads; it runs after their publishers. */
      reads: z.array(SignalNameSchema).default([]),
    })
    .default({ publishes: [], reads: [] }),
  /** Merge priority (higher first) under the priority merge policy. */
  priority: z.number().int().min(-1000).max(1000).default(0),
  /** Deadline for one call, in milliseconds (the orchestrator may impose a lower one). */
  timeoutMs: z.number().int().positive().max(60_000).optional(),
});
/** The manifest of a strategy. */
export type StrategyManifest = z.output<typeof StrategyManifestSchema>;
/** The manifest of a strategy, as written. */
export type StrategyManifestInput = z.input<typeof StrategyManifestSchema>;

/** A category provided by a data source, with how long it is kept. */
export const CategoryProvisionSchema = z.object({
  category: TaxonomyIdSchema,
  /** How long the source keeps it, in days (used in the notice and for expiry); absent = not stored. */
  retentionDays: z.number().int().positive().max(36_500).optional(),
});

/** The manifest of a data source. */
export const DataSourceManifestSchema = ManifestBase.extend({
  kind: z.literal('source'),
  provides: z.array(CategoryProvisionSchema).min(1),
  /** True when the source needs a subject id (profile data); false for e.g. weather. */
  requiresSubject: z.boolean().default(true),
  /**
   * The rights this source supports (P6). A source that holds personal data and cannot erase must
   * say so here (`erase: false`): the orchestrator then refuses it unless allowed explicitly.
   */
  rights: z
    .object({
      export: z.boolean().default(false),
      erase: z.boolean().default(false),
      rectify: z.boolean().default(false),
    })
    .default({ export: false, erase: false, rectify: false }),
  timeoutMs: z.number().int().positive().max(60_000).optional(),
});
/** The manifest of a data source. */
export type DataSourceManifest = z.output<typeof DataSourceManifestSchema>;
/** The manifest of a data source, as written. */
export type DataSourceManifestInput = z.input<typeof DataSourceManifestSchema>;

/** The manifest of a consent provider. */
export const ConsentProviderManifestSchema = ManifestBase.extend({
  kind: z.literal('consent'),
  /** Whether this provider can ever grant (a GPC/DNT provider only denies). */
  canGrant: z.boolean().default(true),
  timeoutMs: z.number().int().positive().max(60_000).optional(),
});
/** The manifest of a consent provider. */
export type ConsentProviderManifest = z.output<typeof ConsentProviderManifestSchema>;
/** The manifest of a consent provider, as written. */
export type ConsentProviderManifestInput = z.input<typeof ConsentProviderManifestSchema>;

/** Any plugin manifest. */
export const PluginManifestSchema = z.discriminatedUnion('kind', [
  StrategyManifestSchema,
  DataSourceManifestSchema,
  ConsentProviderManifestSchema,
]);
/** Any plugin manifest. */
export type PluginManifest = z.output<typeof PluginManifestSchema>;

/**
 * Checks that the running `@tactful/core` satisfies a plugin's declared core range.
 * @throws TactfulError `UNSUPPORTED_CORE_VERSION`
 */
export function assertCoreCompatible(
  manifest: { name: string; core: string },
  coreVersion: string = CORE_VERSION,
): void {
  if (!semverSatisfies(coreVersion, manifest.core, { includePrerelease: true })) {
    throw new TactfulError(
      'UNSUPPORTED_CORE_VERSION',
      `${manifest.name}: supports @tactful/core "${manifest.core}" but ${coreVersion} is installed; upgrade the plugin or install a matching core`,
      { plugin: manifest.name, path: ['core'] },
    );
  }
}
