import { re2Regex } from '@tactful/core/regex';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { anonymousSession } from '@tactful/anonymous-session';
import { gpcConsent, optInConsent } from '@tactful/consent';
import { tcfConsent } from '@tactful/consent/tcf';
import { type ContextualStrategy, contextual, weatherSource } from '@tactful/contextual';
import {
  type ConsentProvider,
  type ConsentStore,
  type DataSource,
  type Plugin,
  type Strategy,
  type SubjectStore,
  TactfulError,
  type Taxonomy,
  createTaxonomy,
} from '@tactful/core';
import { dynamicContent } from '@tactful/dynamic-content';
import { segments, subjectMembershipStore } from '@tactful/segments';
import { SUBJECT_CATEGORIES, subjectSource } from '@tactful/subject';
import { checkConfigText, checkConfigValue } from './bounds.js';
import { type ConfigProblem, problemsFromError } from './problems.js';
import type { TactfulConfig } from './schema.js';

/** The plugins a configuration describes, before the engine is made. */
export interface BuiltPlugins {
  strategies: Strategy[];
  sources: DataSource[];
  /** Consent providers; the opt-in one is made by `optInProvider` once the notice is known. */
  consent: ConsentProvider[];
  /** The contextual strategy, when configured (the server reads request headers with it). */
  contextual: ContextualStrategy | undefined;
}

/** Stores the plugins need. */
export interface PluginStores {
  consent: ConsentStore;
  subject: SubjectStore;
}

const CATALOG_KEYS = new Set(['slots', 'version', 'purpose']);

/** A catalog as configured: the object itself, or the JSON of the file it names (relative to `baseDir`). */
export async function loadCatalog(
  catalog: string | Record<string, unknown>,
  baseDir: string,
): Promise<unknown> {
  if (typeof catalog !== 'string') return catalog;
  const file = isAbsolute(catalog) ? catalog : resolve(baseDir, catalog);
  const text = await readFile(file, 'utf8');
  const tooBig = checkConfigText(text);
  if (tooBig) throw new TactfulError('INVALID_CONFIG', `catalog ${catalog}: ${tooBig.message}`, { path: [] });
  const value: unknown = JSON.parse(text);
  const unsafe = checkConfigValue(value);
  if (unsafe)
    throw new TactfulError('INVALID_CONFIG', `catalog ${catalog}: ${unsafe.message}`, { path: unsafe.path });
  return value;
}

function kindOf(value: unknown): 'strategy' | 'source' | 'consent' | undefined {
  const kind = (value as { manifest?: { kind?: unknown } } | null)?.manifest?.kind;
  return kind === 'strategy' || kind === 'source' || kind === 'consent' ? kind : undefined;
}

/**
 * Makes every plugin a validated configuration names. Each plugin is made on its own, so one
 * plugin's bad options don't hide another's: every problem is returned, with its path.
 */
export async function buildPlugins(
  config: TactfulConfig,
  stores: PluginStores,
  baseDir: string,
): Promise<{ plugins: BuiltPlugins; problems: ConfigProblem[] }> {
  const problems: ConfigProblem[] = [];
  const plugins: BuiltPlugins = { strategies: [], sources: [], consent: [], contextual: undefined };
  const attempt = async <T>(
    path: Array<string | number>,
    make: () => T | Promise<T>,
  ): Promise<T | undefined> => {
    try {
      return await make();
    } catch (error) {
      problems.push(...problemsFromError(error, path));
      return undefined;
    }
  };
  const taxonomy = config.taxonomy;

  // With stored segment memberships, the segments strategy's own source provides
  // `derived.segments` (it is how the strategy learns whose memberships to save); the subject
  // source provides the rest. Both keep the data in the subject store, so export and erasure reach it.
  const storesMemberships = config.strategies.segments?.storeMemberships === true;
  plugins.sources.push(
    subjectSource({
      store: stores.subject,
      ...(storesMemberships
        ? { categories: SUBJECT_CATEGORIES.filter((c) => c !== 'derived.segments') }
        : {}),
    }),
  );
  const { weather } = config.sources;
  if (weather) {
    const source = await attempt(['sources', 'weather'], () => weatherSource(weather));
    if (source) plugins.sources.push(source);
  }

  const s = config.strategies;
  if (s.contextual) {
    const options = s.contextual;
    const strategy = await attempt(['strategies', 'contextual'], () =>
      contextual({ ...options, regex: re2Regex }),
    );
    if (strategy) {
      plugins.strategies.push(strategy);
      plugins.contextual = strategy;
    }
  }
  if (s.segments) {
    const { storeMemberships, ...options } = s.segments;
    const strategy = await attempt(['strategies', 'segments'], () =>
      segments({
        ...options,
        regex: re2Regex,
        ...(taxonomy ? { taxonomy } : {}),
        ...(storeMemberships ? { store: subjectMembershipStore(stores.subject) } : {}),
      }),
    );
    if (strategy) {
      plugins.strategies.push(strategy);
      if (strategy.source) plugins.sources.push(strategy.source);
    }
  }
  for (const [i, entry] of s.dynamicContent.entries()) {
    const at = ['strategies', 'dynamicContent', i];
    const before = problems.length;
    const strategy = await attempt(at, async () =>
      dynamicContent({ ...entry, regex: re2Regex, catalog: await loadCatalog(entry.catalog, baseDir) }),
    );
    if (strategy) plugins.strategies.push(strategy);
    // A catalog's problems are reported relative to the catalog: point them into it.
    for (const problem of problems.slice(before)) {
      const first = problem.path[at.length];
      if (typeof first === 'string' && CATALOG_KEYS.has(first)) {
        problem.path.splice(at.length, 0, 'catalog');
        if (typeof entry.catalog === 'string') problem.hint ??= `in the catalog file ${entry.catalog}`;
      }
    }
  }
  if (s.anonymousSession) {
    const options = s.anonymousSession;
    const strategy = await attempt(['strategies', 'anonymousSession'], () => anonymousSession(options));
    if (strategy) plugins.strategies.push(strategy);
  }

  for (const [i, ref] of config.plugins.entries()) {
    const plugin = await attempt(['plugins', i], async () => {
      const specifier = ref.module.startsWith('.')
        ? pathToFileURL(resolve(baseDir, ref.module)).href
        : ref.module;
      const mod = (await import(specifier)) as Record<string, unknown>;
      const exported = mod[ref.export];
      if (exported === undefined) throw new Error(`module "${ref.module}" has no export "${ref.export}"`);
      const value =
        typeof exported === 'function' ? await (exported as (o: unknown) => unknown)(ref.options) : exported;
      if (!kindOf(value))
        throw new Error(`"${ref.module}" export "${ref.export}" is not a Tactful plugin (no manifest.kind)`);
      return value as Plugin;
    });
    const kind = kindOf(plugin);
    if (kind === 'strategy') plugins.strategies.push(plugin as Strategy);
    else if (kind === 'source') plugins.sources.push(plugin as DataSource);
    else if (kind === 'consent') plugins.consent.push(plugin as ConsentProvider);
  }

  const { gpc, tcf } = config.consent;
  if (gpc !== false) {
    const provider = await attempt(['consent', 'gpc'], () =>
      gpcConsent({ ...gpc, store: stores.consent, taxonomy: configTaxonomy(config) }),
    );
    if (provider) plugins.consent.push(provider);
  }
  if (tcf !== false) {
    const provider = await attempt(['consent', 'tcf'], () =>
      tcfConsent({ ...tcf, taxonomy: configTaxonomy(config) }),
    );
    if (provider) plugins.consent.push(provider);
  }
  return { plugins, problems };
}

/** The opt-in consent provider of a configuration, bound to the current notice's purpose hashes. */
export function optInProvider(
  config: TactfulConfig,
  store: ConsentStore,
  notice?: { version: string; purposes: Record<string, string> },
): ConsentProvider {
  return optInConsent({
    store,
    taxonomy: configTaxonomy(config),
    missing: config.consent.optIn.missing,
    ...(notice ? { notice } : {}),
  });
}

/** The taxonomy of a configuration: the built-ins plus its own purposes and categories. */
export function configTaxonomy(config: TactfulConfig): Taxonomy {
  return createTaxonomy(config.taxonomy ? [config.taxonomy] : []);
}
