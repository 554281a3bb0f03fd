import * as z from 'zod/mini';
import { SEMVER_RANGE_MESSAGE, SEMVER_VERSION_MESSAGE, SIGNAL_NAME_RULE } from './manifest.js';
import { isSemverRange, isSemverVersion } from './semver.js';
import {
  CategoryDefinitionSchema,
  LocalizedTextSchema,
  PurposeDefinitionSchema,
  TaxonomyIdSchema,
} from './taxonomy-schema.js';
import { PLUGIN_NAME_RULE } from './name-checks.js';

/** An npm-style plugin name: `tactful-plugin-x`, `@vendor/tactful-x`, `segments`. */
export const PluginNameSchema = z
  .string()
  .check(z.minLength(1), z.maxLength(214), z.regex(...PLUGIN_NAME_RULE));

const SemverSchema = z.string().check(z.refine(isSemverVersion, SEMVER_VERSION_MESSAGE));
const RangeSchema = z.string().check(z.refine(isSemverRange, SEMVER_RANGE_MESSAGE));

/** A signal name: `segments.memberships`, `session.interests`. */
export const SignalNameSchema = z.string().check(z.regex(...SIGNAL_NAME_RULE));

/** Reading one data category, for one purpose. */
export const CategoryReadSchema = z.object({
  category: TaxonomyIdSchema,
  /** The purpose this read serves; the category is withheld unless this purpose is granted. */
  purpose: TaxonomyIdSchema,
  /** Why, in words a person understands (used in the generated notice). */
  why: z.optional(LocalizedTextSchema),
});
/** Reading one data category, for one purpose. */
export type CategoryRead = z.infer<typeof CategoryReadSchema>;

/** A signal a strategy publishes for later strategies. */
export const SignalDeclarationSchema = z.object({
  name: SignalNameSchema,
  description: z.optional(LocalizedTextSchema),
  /**
   * The data categories each top-level field of the signal's value is made from
   * (`{ daypart: ['context.time'], weather: ['context.weather', 'context.location.coarse'] }`): an
   * explanation then names only the categories behind the fields a proposal says it used.
   */
  fields: z.optional(z.record(z.string(), z.array(TaxonomyIdSchema).check(z.maxLength(50)))),
});

const ManifestBase = z.object({
  name: PluginNameSchema,
  version: SemverSchema,
  /** The `@tactful/core` versions this plugin supports (semver range), checked at registration. */
  core: RangeSchema,
  description: z.optional(LocalizedTextSchema),
  /** Purposes and categories this plugin adds to the taxonomy. */
  taxonomy: z.optional(
    z.object({
      purposes: z.optional(z.array(PurposeDefinitionSchema)),
      categories: z.optional(z.array(CategoryDefinitionSchema)),
    }),
  ),
});

/** The manifest of a strategy: what it reads, for which purposes, and which signals it uses. */
export const StrategyManifestSchema = z.extend(ManifestBase, {
  kind: z.literal('strategy'),
  /** Purposes that must all be granted for the strategy to run at all. */
  purposes: z.array(TaxonomyIdSchema).check(z.minLength(1)),
  /** The categories it reads, each bound to a purpose (P2). */
  reads: z._default(z.array(CategoryReadSchema), []),
  signals: z._default(
    z.object({
      publishes: z._default(z.array(SignalDeclarationSchema), []),
      /** Signals of other strategies it reads; it runs after their publishers. */
      reads: z._default(z.array(SignalNameSchema), []),
    }),
    { publishes: [], reads: [] },
  ),
  /** Merge priority (higher first) under the priority merge policy. */
  priority: z._default(z.number().check(z.int(), z.gte(-1000), z.lte(1000)), 0),
  /** Deadline for one call, in milliseconds (the orchestrator may impose a lower one). */
  timeoutMs: z.optional(z.number().check(z.int(), z.positive(), z.lte(60_000))),
});
/** The manifest of a strategy. */
export type StrategyManifest = z.output<typeof StrategyManifestSchema>;
/** The manifest of a strategy, as written. */
export type StrategyManifestInput = z.input<typeof StrategyManifestSchema>;

/** A category provided by a data source, with how long it is kept. */
export const CategoryProvisionSchema = z.object({
  category: TaxonomyIdSchema,
  /** How long the source keeps it, in days (used in the notice and for expiry); absent = not stored. */
  retentionDays: z.optional(z.number().check(z.int(), z.positive(), z.lte(36_500))),
});

/** The manifest of a data source. */
export const DataSourceManifestSchema = z.extend(ManifestBase, {
  kind: z.literal('source'),
  provides: z.array(CategoryProvisionSchema).check(z.minLength(1)),
  /** True when the source needs a subject id (profile data); false for e.g. weather. */
  requiresSubject: z._default(z.boolean(), true),
  /**
   * The rights this source supports (P6). A source that holds personal data and cannot erase must
   * say so here (`erase: false`): the orchestrator then refuses it unless allowed explicitly.
   */
  rights: z._default(
    z.object({
      export: z._default(z.boolean(), false),
      erase: z._default(z.boolean(), false),
      rectify: z._default(z.boolean(), false),
    }),
    { export: false, erase: false, rectify: false },
  ),
  timeoutMs: z.optional(z.number().check(z.int(), z.positive(), z.lte(60_000))),
});
/** The manifest of a data source. */
export type DataSourceManifest = z.output<typeof DataSourceManifestSchema>;
/** The manifest of a data source, as written. */
export type DataSourceManifestInput = z.input<typeof DataSourceManifestSchema>;

/** The manifest of a consent provider. */
export const ConsentProviderManifestSchema = z.extend(ManifestBase, {
  kind: z.literal('consent'),
  /** Whether this provider can ever grant (a GPC/DNT provider only denies). */
  canGrant: z._default(z.boolean(), true),
  timeoutMs: z.optional(z.number().check(z.int(), z.positive(), z.lte(60_000))),
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
