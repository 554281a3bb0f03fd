import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statfsSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { SessionStore, SessionStoreOptions } from '@tactful/anonymous-session';
import { type AuditStore, type AuditTrail, createAuditTrail, memoryAuditStore } from '@tactful/audit';
import { nodeAuditHashing } from '@tactful/audit/node';
import { type ConsentManager, createConsentManager, memoryConsentStore } from '@tactful/consent';
import {
  type ConsentStore,
  type RateLimiter,
  type SubjectRetention,
  type SubjectStore,
  TactfulError,
} from '@tactful/core';
import { type Notice, type NoticeStorageItem, generateNotice, noticeVersions } from '@tactful/notice';
import { SERVER_STORAGE } from './cookies.js';
import { type Orchestrator, createOrchestrator } from '@tactful/orchestrator';
import {
  type Writability,
  loadSqliteDriver,
  openDatabase,
  openSqliteStores,
  sqliteAuditStore,
  sqliteAuditThreadStore,
  sqliteConsentStore,
  sqliteSubjectStore,
} from '@tactful/store-sqlite';
import {
  type RetentionPurger,
  type RightsService,
  createRightsService,
  memorySubjectStore,
  scheduleRetentionPurge,
} from '@tactful/subject';
import { checkConfigValue } from './bounds.js';
import { type BuiltPlugins, buildPlugins, configTaxonomy, loadCatalog, optInProvider } from './build.js';
import { crossReferenceProblems, withSuggestions } from './cross-refs.js';
import { type ConfigProblem, formatProblems, problemsFromError } from './problems.js';
import { resolveEnvReferences } from './env.js';
import type { TactfulConfig } from './schema.js';

/** A running Tactful made from a configuration: the engine and everything around it. */
export interface Tactful {
  readonly config: TactfulConfig;
  /** The orchestrator: `decide`, `preview`, events. */
  readonly engine: Orchestrator;
  /** Grant, deny, withdraw and read consent; bound to the current notice. */
  readonly consent: ConsentManager;
  readonly consentStore: ConsentStore;
  /** The person's zero-party and first-party data. */
  readonly subjects: SubjectStore;
  /** Export, rectification and erasure over every store and source. */
  readonly rights: RightsService;
  /** The privacy notice generated from the registered manifests. */
  readonly notice: Notice;
  /** The decision audit trail (absent when `audit.enabled` is false). */
  readonly audit: AuditTrail | undefined;
  /** The plugins as configured (the contextual strategy reads request headers). */
  readonly plugins: BuiltPlugins;
  /**
   * The scheduled purge of data past retention (`retention.purge`), absent when turned off:
   * `stats()` for metrics, `purgeNow()` for a manual run. `close()` stops it first.
   */
  readonly retention: RetentionPurger | undefined;
  /** Where the data lives: a folder for SQLite, `postgres`, `memory`, or `given` (stores given in code). */
  readonly storage: string;
  /**
   * True when the records are shared with other servers (PostgreSQL, or stores given in code that
   * say so): every server must then use the same secret, so a cookie signed by one is accepted by all.
   */
  readonly shared: boolean;
  /** Shared ephemeral state (the `cache` section, or given in code): sessions and rate limits. */
  readonly ephemeral: EphemeralStores | undefined;
  /**
   * Whether the stores accept writes now (the server's readiness): with SQLite, the disk has room,
   * no database thread is being restarted, and a tiny durable write succeeds; with PostgreSQL,
   * `checkPostgresWritable`; stores given in code, their own `checkWritable` (else writable).
   */
  checkWritable(): Promise<Writability>;
  /**
   * Store calls waiting for the database and the age of the oldest (0 where not measured), and how
   * many times a database thread that died was restarted (SQLite on database threads).
   */
  storeStats(): { readonly pending: number; readonly oldestWaitMs: number; readonly restarts: number };
  /** Waits for pending audit writes and closes the database. */
  close(): Promise<void>;
}

/** Options of {@link createTactful}. */
export interface CreateTactfulOptions {
  /** The folder relative paths in the configuration start from (the configuration file's folder). */
  baseDir?: string;
  /**
   * The secret that keys pseudonyms, audit signatures and receipts (32+ characters). Default: the
   * `TACTFUL_SECRET` environment variable, else one kept in the storage folder (created on first run).
   */
  secret?: string;
  /** Use memory stores whatever the configuration says (for validation, tests and previews). */
  memory?: boolean;
  /**
   * Cookies and similar storage your application sets besides the decision server's, for the
   * notice (declare them where the code that sets them is).
   */
  storage?: readonly NoticeStorageItem[];
  /** The decision server's cookies are in the notice (default true); false when you don't run `@tactful/server`. */
  serverCookies?: boolean;
  /**
   * Stores given in code, used instead of what `storage` and `cache` say: an adapter for another
   * database, proven with the conformance suites of `@tactful/testing`, plugs in here. Stores given
   * are not closed by `close()`.
   */
  stores?: GivenStores;
  /**
   * The scheduled retention purge: `skip` while it should not run (a server draining), `onError`
   * for a run's failure (reported at most once per interval; default one line on the console).
   */
  retentionPurge?: { skip?: () => boolean; onError?: (error: unknown) => void };
}

/** Stores given to {@link createTactful} in code. Those not given come from the configuration. */
export interface GivenStores {
  consent?: ConsentStore;
  subject?: SubjectStore;
  audit?: AuditStore;
  /** Sessions and rate limits shared by a fleet. */
  ephemeral?: EphemeralStores;
  /** True when these stores are shared by several servers (a shared secret is then required). */
  shared?: boolean;
  /**
   * Whether these stores accept writes now, for the server's readiness (`/readyz` answers 503 with
   * the reason while not): a cheap probe, called at most every second or two. Without it, stores
   * given in code are taken as writable. `openSqliteStores(...)` and `openPostgresStores(...)`
   * results have one: pass `checkWritable: () => stores.checkWritable()`.
   */
  checkWritable?: () => Promise<Writability>;
}

/**
 * Ephemeral state shared by a fleet (Redis): the server asks it for its session store and rate
 * limiters. Made from the configuration's `cache` section, or given in code.
 */
export interface EphemeralStores {
  /** The anonymous session store, with the server's session limits. */
  sessionStore(limits: Pick<SessionStoreOptions, 'ttlMs' | 'maxEventsPerSession'>): SessionStore;
  /** A rate limiter named `name` (`rights`). */
  rateLimiter(name: string, options: { limit: number; windowMs: number }): RateLimiter;
  /** Closes connections. */
  close?(): Promise<void>;
}

interface Stores {
  consent: ConsentStore;
  subject: SubjectStore;
  audit: AuditStore;
  location: string;
  secretFile: string | undefined;
  /** The pool and schema when on PostgreSQL (for the fleet secret check). */
  postgres: { pool: unknown; schema: string } | undefined;
  shared: boolean;
  checkWritable(): Promise<Writability>;
  stats(): { pending: number; oldestWaitMs: number; restarts: number };
  close(): Promise<void>;
}

/** The configuration's retention per category of subject data (only the days it sets). */
function subjectRetention(config: TactfulConfig): Partial<SubjectRetention> {
  return Object.fromEntries(
    Object.entries(config.retention.subjects).filter(([, days]) => days !== undefined),
  ) as Partial<SubjectRetention>;
}

const idle = () => ({ pending: 0, oldestWaitMs: 0, restarts: 0 });
const writable = async (): Promise<Writability> => ({ writable: true });

/** Imports an optional store package, saying how to install it when it is missing. */
async function optionalPackage<T>(name: string, field: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (cause) {
    throw new TactfulError(
      'INVALID_CONFIG',
      `${field}: this driver needs the package ${name}; install it (pnpm add ${name})`,
      { path: field.split('.'), cause },
    );
  }
}

async function openStores(
  config: TactfulConfig,
  baseDir: string,
  memory: boolean,
  given: GivenStores = {},
): Promise<Stores> {
  if (given.consent && given.subject && given.audit) {
    return {
      consent: given.consent,
      subject: given.subject,
      audit: given.audit,
      location: 'given',
      secretFile: undefined,
      postgres: undefined,
      shared: given.shared ?? false,
      checkWritable: given.checkWritable ?? writable,
      stats: idle,
      async close() {},
    };
  }
  const storage = config.storage;
  let opened: Stores;
  if (memory || storage.driver === 'memory') {
    opened = {
      consent: memoryConsentStore(),
      subject: memorySubjectStore({ retention: subjectRetention(config) }),
      audit: memoryAuditStore(),
      location: 'memory',
      secretFile: undefined,
      postgres: undefined,
      shared: false,
      checkWritable: writable,
      stats: idle,
      async close() {},
    };
  } else if (storage.driver === 'postgres') {
    const pg = await optionalPackage<typeof import('@tactful/store-postgres')>(
      '@tactful/store-postgres',
      'storage.driver',
    );
    const stores = await pg.openPostgresStores({
      url: resolveEnvReferences(storage.url, ['storage', 'url']),
      schema: storage.schema,
      migrate: storage.migrate === 'on-start',
      poolSize: storage.poolSize,
      subject: { retention: subjectRetention(config) },
    });
    opened = {
      consent: stores.consent,
      subject: stores.subject,
      audit: stores.audit,
      location: 'postgres',
      secretFile: undefined,
      postgres: { pool: stores.pool, schema: stores.schema },
      shared: true,
      checkWritable: () => stores.checkWritable(),
      stats: idle,
      close: () => stores.close(),
    };
  } else {
    const dir = isAbsolute(storage.directory) ? storage.directory : resolve(baseDir, storage.directory);
    loadSqliteDriver(); // MISSING_DEPENDENCY (how to install better-sqlite3) before anything is created
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const filename = join(dir, 'tactful.sqlite');
    if (storage.thread !== 'main') {
      // The default (also for a configuration made in code that leaves `thread` out): SQLite on
      // database threads, so its waits never block the server's event loop.
      const threaded = await openSqliteStores({
        filename,
        subject: { retention: subjectRetention(config) },
        reads: storage.reads ?? 'thread',
      });
      opened = {
        consent: threaded.consent,
        subject: threaded.subject,
        audit: threaded.audit,
        location: dir,
        secretFile: join(dir, 'secret.key'),
        postgres: undefined,
        shared: false,
        checkWritable: () => threaded.checkWritable(),
        stats: () => threaded.stats(),
        close: () => threaded.close(),
      };
    } else {
      const db = openDatabase(filename);
      // Unless an audit store is given, the audit trail writes through its own connection in a
      // worker thread even here, so its durable commits (and their fsyncs) never block the event loop.
      const audit = given.audit === undefined ? sqliteAuditThreadStore({ filename }) : undefined;
      opened = {
        consent: sqliteConsentStore({ db }),
        subject: sqliteSubjectStore({ db, retention: subjectRetention(config) }),
        audit: audit ?? sqliteAuditStore({ db }),
        location: dir,
        secretFile: join(dir, 'secret.key'),
        postgres: undefined,
        shared: false,
        // On the main thread a probing write could block the server; only the disk's room is checked.
        checkWritable: async () => {
          const fs = statfsSync(dir);
          const free = Number(fs.bavail) * Number(fs.bsize);
          return free >= 1024 * 1024
            ? { writable: true }
            : { writable: false, reason: `only ${free} bytes free on the database's disk` };
        },
        stats: idle,
        close: async () => {
          await audit?.close();
          db.close();
        },
      };
    }
  }
  return {
    ...opened,
    consent: given.consent ?? opened.consent,
    subject: given.subject ?? opened.subject,
    audit: given.audit ?? opened.audit,
    shared: opened.shared || given.shared === true,
    // Some stores given, the rest configured: ready only when both accept writes.
    checkWritable:
      given.checkWritable === undefined
        ? opened.checkWritable
        : async () => {
            const answers = await Promise.all([opened.checkWritable(), given.checkWritable!()]);
            return answers.find((a) => !a.writable) ?? { writable: true };
          },
  };
}

/** The `cache` section's ephemeral stores (Redis), or none for `memory`. */
async function openEphemeral(config: TactfulConfig, memory: boolean): Promise<EphemeralStores | undefined> {
  const cache = config.cache;
  if (memory || cache.driver === 'memory') return undefined;
  const redis = await optionalPackage<typeof import('@tactful/store-redis')>(
    '@tactful/store-redis',
    'cache.driver',
  );
  const client = redis.createRedis(resolveEnvReferences(cache.url, ['cache', 'url']));
  const shared = { redis: client, keyPrefix: cache.keyPrefix };
  return {
    sessionStore: (limits) => redis.redisSessionStore({ ...shared, ...limits }),
    rateLimiter: (name, options) => redis.redisRateLimiter({ ...shared, name, ...options }),
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

function resolveSecret(explicit: string | undefined, file: string | undefined, shared: boolean): string {
  const secret = explicit ?? process.env.TACTFUL_SECRET;
  if (secret === undefined && shared) {
    throw new TactfulError(
      'INVALID_CONFIG',
      'the stores are shared by several servers, so every server needs the same secret: set TACTFUL_SECRET (32+ random characters) in the environment of each one',
      { path: ['secret'] },
    );
  }
  if (secret !== undefined) {
    if (secret.length < 32) {
      throw new TactfulError(
        'INVALID_CONFIG',
        'the secret (TACTFUL_SECRET) must be at least 32 characters; use 32 random bytes, base64-encoded',
        {
          path: ['secret'],
        },
      );
    }
    return secret;
  }
  if (file === undefined) return randomBytes(32).toString('base64url');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const made = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${made}\n`, { mode: 0o600, flag: 'wx' });
  return made;
}

/**
 * Makes the engine and the notice from built plugins: a first engine checks the plugins and gives
 * the manifests the notice is generated from; the final engine's opt-in provider is bound to that
 * notice, so consent given under an older text of a purpose counts as not granted (P5).
 */
/** The server's cookies this configuration can make it set (a purpose no strategy uses sets none). */
function serverStorage(plugins: BuiltPlugins): NoticeStorageItem[] {
  const used = new Set(
    plugins.strategies.flatMap((s) => [...s.manifest.purposes, ...s.manifest.reads.map((r) => r.purpose)]),
  );
  return SERVER_STORAGE.filter((item) => item.purpose === undefined || used.has(item.purpose));
}

function engineWithNotice(
  config: TactfulConfig,
  plugins: BuiltPlugins,
  consentStore: ConsentStore,
  storage: readonly NoticeStorageItem[] = serverStorage(plugins),
) {
  const base = {
    sources: plugins.sources,
    strategies: plugins.strategies,
    merge: config.merge,
    timeouts: Object.fromEntries(
      Object.entries(config.timeouts).filter(([, v]) => v !== undefined),
    ) as Record<string, number>,
    ...(config.taxonomy ? { taxonomy: config.taxonomy } : {}),
  };
  const draft = createOrchestrator({
    ...base,
    consent: [optInProvider(config, consentStore), ...plugins.consent],
  });
  const notice = generateNotice({
    plugins: draft.plugins,
    taxonomy: draft.taxonomy,
    controller: config.controller,
    jurisdictions: config.jurisdictions,
    ...(config.rightsUrl ? { rightsUrl: config.rightsUrl } : {}),
    ...(config.privacyCenter ? { privacyCenter: config.privacyCenter } : {}),
    ...(config.noticeDate ? { date: config.noticeDate } : {}),
    storage: [...storage],
    retention: config.audit.enabled ? { auditDays: config.audit.retentionDays } : {},
  });
  const versions = noticeVersions(notice);
  const engine = createOrchestrator({
    ...base,
    consent: [optInProvider(config, consentStore, versions), ...plugins.consent],
  });
  return { engine, notice, versions };
}

/**
 * Checks a validated configuration as far as making it would: every plugin's options, then the
 * engine's registration checks (categories, signals, cycles, the creepy line ...). Nothing is
 * written to disk. Returns every problem found.
 */
export async function checkConfig(config: TactfulConfig, baseDir = process.cwd()): Promise<ConfigProblem[]> {
  const stores = await openStores(config, baseDir, true);
  const { plugins, problems } = await buildPlugins(config, stores, baseDir);
  // Cross-references are checked whatever else is wrong (a catalog that can't be read is
  // reported by its plugin).
  const catalogs: Array<{ index: number; catalog: unknown }> = [];
  for (const [index, entry] of config.strategies.dynamicContent.entries()) {
    try {
      catalogs.push({ index, catalog: await loadCatalog(entry.catalog, baseDir) });
    } catch {
      // reported by buildPlugins
    }
  }
  const built = problems.length === 0;
  problems.push(...crossReferenceProblems(config, catalogs));
  if (built) {
    try {
      engineWithNotice(config, plugins, stores.consent);
    } catch (error) {
      problems.push(...problemsFromError(error, []));
    }
  }
  const signals = plugins.strategies.flatMap((s) => s.manifest.signals.publishes.map((p) => p.name));
  return withSuggestions(problems, configTaxonomy(config), signals);
}

/**
 * Makes a running Tactful from a validated configuration (see `loadConfig`). Throws
 * `INVALID_CONFIG` listing every problem when plugins or the engine refuse it.
 *
 * @example
 * ```ts
 * const { config, baseDir } = await loadConfig('tactful.config.json');
 * const tactful = await createTactful(config, { baseDir });
 * const decision = await tactful.engine.decide({ slots: [{ id: 'home.hero' }] });
 * ```
 */
export async function createTactful(
  config: TactfulConfig,
  options: CreateTactfulOptions = {},
): Promise<Tactful> {
  const baseDir = options.baseDir ?? process.cwd();
  // A configuration made in code crosses the same boundary as a file: no forbidden keys, bounded.
  const unsafe = checkConfigValue(config);
  if (unsafe) throw configError([unsafe]);
  const memory = options.memory ?? false;
  const stores = await openStores(config, baseDir, memory, options.stores);
  let ephemeral: EphemeralStores | undefined;
  try {
    ephemeral = options.stores?.ephemeral ?? (await openEphemeral(config, memory));
    const { plugins, problems } = await buildPlugins(config, stores, baseDir);
    if (problems.length > 0) throw configError(problems);
    let made: ReturnType<typeof engineWithNotice>;
    try {
      made = engineWithNotice(config, plugins, stores.consent, [
        ...(options.serverCookies === false ? [] : serverStorage(plugins)),
        ...(options.storage ?? []),
      ]);
    } catch (error) {
      throw configError(problemsFromError(error, []));
    }
    const { engine, notice, versions } = made;
    const secret = resolveSecret(options.secret, stores.secretFile, stores.shared);
    if (stores.postgres) {
      const pg = await optionalPackage<typeof import('@tactful/store-postgres')>(
        '@tactful/store-postgres',
        'storage.driver',
      );
      await pg.checkFleetSecret(stores.postgres.pool as never, stores.postgres.schema, secret);
    }
    const taxonomy = configTaxonomy(config);
    const consent = createConsentManager({ store: stores.consent, taxonomy, notice: versions });
    const audit = config.audit.enabled
      ? createAuditTrail({
          store: stores.audit,
          key: secret,
          sampling: config.audit.sampling,
          retentionDays: config.audit.retentionDays,
          overload: config.audit.overload,
          maxQueue: config.audit.maxQueue,
          // Node's native SHA-256 and HMAC with prepared keys: the same digests as the trail's built-in ones.
          hashing: nodeAuditHashing(),
        })
      : undefined;
    const detach = audit?.attach(engine);
    const rights = createRightsService({
      stores: [stores.subject],
      ...(audit ? { audit } : {}),
      sources: plugins.sources.filter((s) => s.manifest.requiresSubject),
      consent: stores.consent,
      defaultJurisdiction: config.rights.defaultJurisdiction,
      // The configuration's jurisdictions drive deadlines and the law named on receipts.
      applicable: config.jurisdictions,
      retain: config.rights.retain,
      hashKey: secret,
      taxonomy: engine.taxonomy,
      ...(config.rights.jurisdictions ? { jurisdictions: config.rights.jurisdictions } : {}),
    });
    const purge = config.retention.purge;
    let closing = false;
    const retention =
      purge === false
        ? undefined
        : scheduleRetentionPurge({
            store: stores.subject,
            also: audit ? [{ name: 'audit', purge: () => audit.purge() }] : [],
            intervalMs: purge.intervalMinutes * 60_000,
            batchSize: purge.batchSize,
            maxBatchesPerInterval: purge.maxBatchesPerInterval,
            callTimeoutMs: purge.callTimeoutMs,
            skip: () => closing || options.retentionPurge?.skip?.() === true,
            ...(options.retentionPurge?.onError ? { onError: options.retentionPurge.onError } : {}),
          });
    return {
      config,
      engine,
      consent,
      consentStore: stores.consent,
      subjects: stores.subject,
      rights,
      notice,
      audit,
      plugins,
      retention,
      storage: stores.location,
      shared: stores.shared,
      ephemeral,
      checkWritable: () => stores.checkWritable(),
      storeStats: () => stores.stats(),
      async close() {
        // No purge starts now, and one in flight ends before the database closes.
        closing = true;
        await retention?.stop();
        detach?.();
        await audit?.flush();
        if (!options.stores?.ephemeral) await ephemeral?.close?.();
        await stores.close();
      },
    };
  } catch (error) {
    if (!options.stores?.ephemeral) await ephemeral?.close?.().catch(() => {});
    await stores.close().catch(() => {});
    throw error;
  }
}

function configError(problems: ConfigProblem[]): TactfulError {
  return new TactfulError('INVALID_CONFIG', `invalid configuration:\n${formatProblems(problems)}`, {
    issues: problems.map((p) => ({ path: p.path, message: p.message })),
    ...(problems[0] ? { path: problems[0].path } : {}),
  });
}
