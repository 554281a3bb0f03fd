import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { type AuditTrail, createAuditTrail, memoryAuditStore } from '@tactful/audit';
import { type ConsentManager, createConsentManager, memoryConsentStore } from '@tactful/consent';
import { type ConsentStore, type SubjectStore, TactfulError } from '@tactful/core';
import { type Notice, generateNotice, noticeVersions } from '@tactful/notice';
import { type Orchestrator, createOrchestrator } from '@tactful/orchestrator';
import {
  openDatabase,
  sqliteAuditStore,
  sqliteConsentStore,
  sqliteSubjectStore,
} from '@tactful/store-sqlite';
import { type RightsService, createRightsService, memorySubjectStore } from '@tactful/subject';
import { checkConfigValue } from './bounds.js';
import { type BuiltPlugins, buildPlugins, configTaxonomy, optInProvider } from './build.js';
import { type ConfigProblem, formatProblems, problemsFromError } from './problems.js';
import type { TactfulConfig } from './schema.js';

/** SHA-256 of bytes with `node:crypto`, for the audit trail. */
const nativeSha256 = (data: Uint8Array): Uint8Array => createHash('sha256').update(data).digest();

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
  /** Where the data lives: a folder for SQLite, or `memory`. */
  readonly storage: string;
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
}

interface Stores {
  consent: ConsentStore;
  subject: SubjectStore;
  audit: ReturnType<typeof memoryAuditStore> | ReturnType<typeof sqliteAuditStore>;
  location: string;
  secretFile: string | undefined;
  close(): void;
}

function openStores(config: TactfulConfig, baseDir: string, memory: boolean): Stores {
  if (memory || config.storage.driver === 'memory') {
    return {
      consent: memoryConsentStore(),
      subject: memorySubjectStore(),
      audit: memoryAuditStore(),
      location: 'memory',
      secretFile: undefined,
      close() {},
    };
  }
  const dir = isAbsolute(config.storage.directory)
    ? config.storage.directory
    : resolve(baseDir, config.storage.directory);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(dir, 'tactful.sqlite'));
  return {
    consent: sqliteConsentStore({ db }),
    subject: sqliteSubjectStore({ db }),
    audit: sqliteAuditStore({ db }),
    location: dir,
    secretFile: join(dir, 'secret.key'),
    close: () => db.close(),
  };
}

function resolveSecret(explicit: string | undefined, file: string | undefined): string {
  const secret = explicit ?? process.env.TACTFUL_SECRET;
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
function engineWithNotice(config: TactfulConfig, plugins: BuiltPlugins, consentStore: ConsentStore) {
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
  const stores = openStores(config, baseDir, true);
  const { plugins, problems } = await buildPlugins(config, stores, baseDir);
  if (problems.length > 0) return problems;
  try {
    engineWithNotice(config, plugins, stores.consent);
  } catch (error) {
    problems.push(...problemsFromError(error, []));
  }
  return problems;
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
  const stores = openStores(config, baseDir, options.memory ?? false);
  try {
    const { plugins, problems } = await buildPlugins(config, stores, baseDir);
    if (problems.length > 0) throw configError(problems);
    let made: ReturnType<typeof engineWithNotice>;
    try {
      made = engineWithNotice(config, plugins, stores.consent);
    } catch (error) {
      throw configError(problemsFromError(error, []));
    }
    const { engine, notice, versions } = made;
    const secret = resolveSecret(options.secret, stores.secretFile);
    const taxonomy = configTaxonomy(config);
    const consent = createConsentManager({ store: stores.consent, taxonomy, notice: versions });
    const audit = config.audit.enabled
      ? createAuditTrail({
          store: stores.audit,
          key: secret,
          sampling: config.audit.sampling,
          retentionDays: config.audit.retentionDays,
          // Node's native SHA-256: the same digests as the trail's built-in one, about ten times faster.
          sha256: nativeSha256,
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
      storage: stores.location,
      async close() {
        detach?.();
        await audit?.flush();
        stores.close();
      },
    };
  } catch (error) {
    stores.close();
    throw error;
  }
}

function configError(problems: ConfigProblem[]): TactfulError {
  return new TactfulError('INVALID_CONFIG', `invalid configuration:\n${formatProblems(problems)}`, {
    issues: problems.map((p) => ({ path: p.path, message: p.message })),
    ...(problems[0] ? { path: problems[0].path } : {}),
  });
}
