import type {
  ConsentState,
  DecisionRequest,
  RequestContext,
  Session,
  SlotRequest,
  Subject,
} from './context-schema.js';
import { TactfulError } from './errors.js';
import { type Check, checkOrThrow } from './check.js';
import { consentProviderManifest, dataSourceManifest, strategyManifest } from './manifest.js';
import type {
  ConsentProviderManifest,
  ConsentProviderManifestInput,
  DataSourceManifest,
  DataSourceManifestInput,
  StrategyManifest,
  StrategyManifestInput,
} from './manifest-schema.js';
import type { LocalizedText } from './taxonomy-schema.js';
import type { DataOrigin } from './data-origins.js';

/** What every plugin call receives besides its input. */
export interface PluginCallContext {
  /**
   * Aborted when the call's deadline passes or the decision is cancelled. Honour it: pass it to
   * `fetch` and other cancellable work.
   */
  readonly signal: AbortSignal;
  /**
   * True once {@link PluginCallContext.signal} is aborted. The orchestrator sets it on every call;
   * reading it costs nothing, while the first read of `signal` creates an `AbortSignal`, so poll
   * this one after an `await` (use {@link isCallAborted} to accept contexts built without it).
   */
  readonly aborted?: boolean;
  /** The decision's trace id, for the plugin's own logs. */
  readonly traceId: string;
}

/**
 * Whether a plugin call was aborted: `ctx.aborted` when the caller provides it (the orchestrator
 * always does), else `ctx.signal.aborted`.
 */
export function isCallAborted(ctx: PluginCallContext): boolean {
  return ctx.aborted ?? ctx.signal.aborted;
}

/** A proposal of content for one slot. */
export interface Proposal {
  /** The slot id (from the request's slots). */
  slot: string;
  /** The content to serve: any JSON value the application understands. */
  content: unknown;
  /** A stable id of the chosen variant. */
  variant?: string;
  /** Confidence or relevance in [0, 1], used by score and weighted merges. */
  score?: number;
  /**
   * Where the evidence came from. `declared` (zero-party) outranks every inferred origin (P4).
   * Defaults to the most inferred origin of the categories the strategy read.
   */
  origin?: DataOrigin;
  /** Topics the content is about; a declared "not interested" veto on a topic removes inferred proposals about it. */
  topics?: string[];
  /** Why, in words fit for "Why am I seeing this?". */
  reason: LocalizedText;
  /** Names of the signals that led to it (segment names, "raining", "interest:kids" ...). */
  signals?: string[];
  /** The categories it actually used (a subset of what the strategy was given). */
  categories?: string[];
  /**
   * The signals it rests on, each with the top-level fields it read. The explanation then names
   * only the data behind those (default: behind every signal the strategy reads).
   */
  signalsUsed?: SignalUse[];
  /**
   * What to show instead, best first, when a declared "not interested" removes this proposal (P4):
   * the orchestrator uses the first fallback none of whose topics is vetoed, so a vetoed variant
   * gives way to the strategy's next choice rather than to the slot's default. At most 20.
   */
  fallbacks?: ProposalFallback[];
}

/** A signal a proposal rests on, and the top-level fields of its value it read (all when absent). */
export interface SignalUse {
  signal: string;
  fields?: string[];
}

/** A proposal's fallback: the same slot, its own content, topics, reason and data used. */
export type ProposalFallback = Omit<Proposal, 'slot' | 'origin' | 'fallbacks'>;

/** A declared "not interested" (P4): inferred proposals about `topic` are removed. */
export interface Veto {
  topic: string;
  reason?: LocalizedText;
}

/** What a strategy returns. */
export interface StrategyOutput {
  proposals: Proposal[];
  /** Values of the signals it declared it publishes, keyed by signal name. */
  signals?: Record<string, unknown>;
  /** Declared "not interested" topics (only honoured from categories of `declared` origin). */
  vetoes?: Veto[];
}

/**
 * The frozen input a strategy decides on. `data` holds exactly the categories the strategy declared
 * and whose purpose is granted (P2); reading anything else yields nothing.
 */
export interface StrategyInput {
  readonly slots: ReadonlyArray<Readonly<SlotRequest>>;
  /** Category id → value, only for declared and permitted categories. */
  readonly data: Readonly<Record<string, unknown>>;
  /** Signal name → value, only for signals the strategy declared it reads. */
  readonly signals: Readonly<Record<string, unknown>>;
  /** The purposes granted among those the strategy declared. */
  readonly granted: ReadonlyArray<string>;
  /** The decision time by the server's clock, epoch milliseconds: for anything stored or expiring. */
  readonly now: number;
  /**
   * The request's simulated time (`context.now`), when it gave one: for what is shown at a time
   * (campaign schedules, contextual rules), never for consent, retention or storage.
   */
  readonly contextNow?: number;
  /** The preferred locale for texts, when known (`en`, `vi` ...). */
  readonly locale?: string;
}

/** A strategy: proposes content for slots from the data it is allowed to see. */
export interface Strategy {
  readonly manifest: StrategyManifest;
  decide(input: StrategyInput, ctx: PluginCallContext): StrategyOutput | Promise<StrategyOutput>;
}

/** What a data source is asked for. */
export interface DataSourceQuery {
  /** Present when the decision is about a known person. */
  readonly subject?: Subject;
  /** The categories to load: only those some permitted strategy needs. */
  readonly categories: ReadonlyArray<string>;
  /** The request context (for contextual sources such as weather). */
  readonly context: Readonly<RequestContext>;
  /** The decision time, epoch milliseconds. */
  readonly now: number;
}

/** A data source: loads categories of data; a source holding personal data also serves the person's rights. */
export interface DataSource {
  readonly manifest: DataSourceManifest;
  /** Loads the requested categories; missing keys mean "nothing known". */
  load(
    query: DataSourceQuery,
    ctx: PluginCallContext,
  ): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Everything held about the subject, by category (required when `rights.export`). */
  export?(subject: Subject, ctx: PluginCallContext): Promise<Record<string, unknown>>;
  /** Erases everything held about the subject (required when `rights.erase`); returns how many items. */
  erase?(subject: Subject, ctx: PluginCallContext): Promise<{ erased: number }>;
  /** Replaces the value of a category for the subject (required when `rights.rectify`). */
  rectify?(subject: Subject, category: string, value: unknown, ctx: PluginCallContext): Promise<void>;
}

/** What a consent provider is asked. */
export interface ConsentQuery {
  readonly subject?: Subject;
  readonly context: Readonly<RequestContext>;
  readonly session?: Readonly<Session>;
  /** The purposes the decision may use. */
  readonly purposes: ReadonlyArray<string>;
  readonly now: number;
}

/**
 * A consent provider: says which purposes are granted or denied. A purpose it does not mention is
 * left to the others; the combination grants a purpose only when some provider grants it and none
 * denies it (P1).
 */
export interface ConsentProvider {
  readonly manifest: ConsentProviderManifest;
  resolve(query: ConsentQuery, ctx: PluginCallContext): ConsentState | Promise<ConsentState>;
}

/** Any plugin. */
export type Plugin = Strategy | DataSource | ConsentProvider;

function freezeManifest<T>(manifest: T): T {
  return deepFreeze(manifest);
}

/** Freezes a value and everything reachable from it (plain objects and arrays). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function requireFunction(name: string, plugin: Record<string, unknown>, fn: string): void {
  if (typeof plugin[fn] !== 'function') {
    throw new TactfulError('INVALID_MANIFEST', `${name}: "${fn}" must be a function`, {
      plugin: name,
      path: [fn],
    });
  }
}

function parseManifest<T>(check: Check<T>, manifest: unknown): T {
  const name =
    manifest && typeof manifest === 'object' && typeof (manifest as { name?: unknown }).name === 'string'
      ? (manifest as { name: string }).name
      : undefined;
  return freezeManifest(
    checkOrThrow(check, manifest, {
      code: 'INVALID_MANIFEST',
      what: 'manifest',
      path: ['manifest'],
      ...(name === undefined ? {} : { plugin: name }),
    }),
  );
}

/** A strategy as written: its manifest (before defaults) and functions. */
export interface StrategyDefinition extends Omit<Strategy, 'manifest'> {
  manifest: Omit<StrategyManifestInput, 'kind'> & { kind?: 'strategy' };
}
/** A data source as written. */
export interface DataSourceDefinition extends Omit<DataSource, 'manifest'> {
  manifest: Omit<DataSourceManifestInput, 'kind'> & { kind?: 'source' };
}
/** A consent provider as written. */
export interface ConsentProviderDefinition extends Omit<ConsentProvider, 'manifest'> {
  manifest: Omit<ConsentProviderManifestInput, 'kind'> & { kind?: 'consent' };
}

/**
 * Defines a strategy: validates the manifest (throws `INVALID_MANIFEST` naming the field) and
 * returns a plain, frozen-manifest plugin object.
 *
 * @example
 * ```ts
 * export const happyHour = defineStrategy({
 *   manifest: {
 *     name: 'tactful-plugin-happy-hour', version: '1.0.0', core: '^0.1.0',
 *     purposes: ['personalization.contextual'],
 *     reads: [{ category: 'context.time', purpose: 'personalization.contextual' }],
 *   },
 *   decide: (input) => ({ proposals: [] }),
 * });
 * ```
 */
export function defineStrategy<T extends StrategyDefinition>(definition: T): Strategy & Omit<T, 'manifest'> {
  const manifest = parseManifest(strategyManifest, { ...definition.manifest, kind: 'strategy' });
  requireFunction(manifest.name, definition as unknown as Record<string, unknown>, 'decide');
  return { ...definition, manifest };
}

/**
 * Defines a data source. A source that declares a right (`rights.erase` ...) must implement it.
 *
 * @example
 * ```ts
 * const loyalty = defineDataSource({
 *   manifest: { name: 'loyalty', version: '1.0.0', core: '^0.1.0', provides: [{ category: 'behavior.purchases', retentionDays: 365 }] },
 *   load: async ({ subject }) => ({ 'behavior.purchases': await db.purchases(subject!.id) }),
 * });
 * ```
 */
export function defineDataSource<T extends DataSourceDefinition>(
  definition: T,
): DataSource & Omit<T, 'manifest'> {
  const manifest = parseManifest(dataSourceManifest, { ...definition.manifest, kind: 'source' });
  const plugin = definition as unknown as Record<string, unknown>;
  requireFunction(manifest.name, plugin, 'load');
  if (manifest.rights.export) requireFunction(manifest.name, plugin, 'export');
  if (manifest.rights.erase) requireFunction(manifest.name, plugin, 'erase');
  if (manifest.rights.rectify) requireFunction(manifest.name, plugin, 'rectify');
  return { ...definition, manifest };
}

/**
 * Defines a consent provider.
 *
 * @example
 * ```ts
 * const everythingDenied = defineConsentProvider({
 *   manifest: { name: 'deny-all', version: '1.0.0', core: '^0.1.0', canGrant: false },
 *   resolve: ({ purposes }) => ({ purposes: Object.fromEntries(purposes.map((p) => [p, { status: 'denied', provider: 'deny-all' }])) }),
 * });
 * ```
 */
export function defineConsentProvider<T extends ConsentProviderDefinition>(
  definition: T,
): ConsentProvider & Omit<T, 'manifest'> {
  const manifest = parseManifest(consentProviderManifest, { ...definition.manifest, kind: 'consent' });
  requireFunction(manifest.name, definition as unknown as Record<string, unknown>, 'resolve');
  return { ...definition, manifest };
}

/**
 * The contextual categories a request carries itself (no data source needed): the orchestrator
 * provides these from the validated request, and only to strategies permitted to see them.
 */
export const REQUEST_CATEGORIES = [
  'context.time',
  'context.device',
  'context.locale',
  'context.location.coarse',
  'location.precise',
  'context.page',
  'session.events',
  'session.id',
  'subject.id',
] as const;

/**
 * Extracts the request-borne categories from a validated request. Keys are present only where the
 * request holds something for them.
 */
export function categoriesFromRequest(request: DecisionRequest, now: number): Record<string, unknown> {
  const c = request.context;
  const out: Record<string, unknown> = {};
  // Each value starts empty and gains only the fields present: no spread of a possibly-empty
  // object, which leaves a slow (dictionary) object that costs every later freeze and read.
  const time: Record<string, unknown> = { now: c.now ?? new Date(now).toISOString() };
  if (c.timeZone) time['timeZone'] = c.timeZone;
  out['context.time'] = time;
  if (c.userAgent !== undefined || c.clientHints !== undefined) {
    const device: Record<string, unknown> = {};
    if (c.userAgent !== undefined) device['userAgent'] = c.userAgent;
    if (c.clientHints !== undefined) device['clientHints'] = c.clientHints;
    out['context.device'] = device;
  }
  if (c.locale !== undefined || c.acceptLanguage !== undefined) {
    const locale: Record<string, unknown> = {};
    if (c.locale !== undefined) locale['locale'] = c.locale;
    if (c.acceptLanguage !== undefined) locale['acceptLanguage'] = c.acceptLanguage;
    out['context.locale'] = locale;
  }
  if (c.geo !== undefined) out['context.location.coarse'] = c.geo;
  if (c.preciseLocation !== undefined) out['location.precise'] = c.preciseLocation;
  if (c.url !== undefined || c.referrer !== undefined || c.attributes !== undefined) {
    const page: Record<string, unknown> = {};
    if (c.url !== undefined) page['url'] = c.url;
    if (c.referrer !== undefined) page['referrer'] = c.referrer;
    if (c.attributes !== undefined) page['attributes'] = c.attributes;
    out['context.page'] = page;
  }
  if (request.session !== undefined) {
    out['session.events'] = request.session.events;
    out['session.id'] = request.session.id;
  }
  if (request.subject !== undefined) out['subject.id'] = request.subject.id;
  return out;
}
