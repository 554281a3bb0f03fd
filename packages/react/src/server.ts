/**
 * `@tactful/react/server`: server-side rendering with Tactful. Decide a page's slots before
 * rendering (so the first paint and hydration show the same content, without a flash), and cache
 * rendered pages by consent state and person, so a page personalized for one person is never
 * served to another, nor to the same person after a withdrawal.
 *
 * @packageDocumentation
 */
import { TactfulError, canonicalJson } from '@tactful/core';
import { grantedPurposes, isPermitted, requestKey } from './gate.js';
import type { ConsentSnapshot, Decider, Decision, InitialDecision, PageRequest } from './types.js';

/** A slot a page renders, with its default content. */
export interface PageSlot {
  readonly id: string;
  readonly default?: unknown;
}

/** What {@link decideForPage} needs. */
export interface DecideForPageInput {
  decider: Decider;
  consent: ConsentSnapshot | undefined;
  request?: PageRequest;
  slots: readonly PageSlot[];
}

/**
 * Decides a page's slots before rendering. Hand the result to `<TactfulProvider initial>` with the
 * same `consent` and `request`: the first render (on the server, and when the page hydrates) shows
 * it. A decider that fails gives `undefined`: the page renders its defaults (P8).
 */
export async function decideForPage(input: DecideForPageInput): Promise<InitialDecision | undefined> {
  const key = requestKey(input.consent, input.request);
  try {
    const decision = await input.decider.decide({
      ...(input.request ?? {}),
      slots: input.slots.map((s) =>
        s.default === undefined ? { id: s.id } : { id: s.id, default: s.default },
      ),
    });
    // A decider that answers something other than a decision: treated as one that failed.
    if (typeof decision !== 'object' || decision === null || !Array.isArray(decision.slots)) return undefined;
    if (!decision.slots.every((slot) => typeof slot === 'object' && slot !== null)) return undefined;
    return { decision, key };
  } catch {
    return undefined;
  }
}

/**
 * The initial decision as a `<script type="application/json">` for the page to hydrate from
 * (`JSON.parse(document.getElementById(id).textContent)`), escaped so no content can close the tag.
 */
export function initialDecisionScript(initial: InitialDecision | undefined, id = 'tactful-initial'): string {
  const json = JSON.stringify(initial ?? null)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `<script type="application/json" id="${id.replace(/[^A-Za-z0-9_-]/g, '')}">${json}</script>`;
}

/** Options of {@link createPageCache}. */
export interface PageCacheOptions {
  /** Most pages kept (least recently used go first). Default 1000. */
  maxEntries?: number;
  /** How long a page is kept, in ms. Default 60 000. */
  ttlMs?: number;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
}

/** One page to render through the cache. */
export interface CachedRenderInput {
  /** What the page is: its URL or route and the parameters that change it. */
  page: string;
  decider: Decider;
  /**
   * The person's consent now. Pass a function that reads the source of truth (the consent store)
   * so a withdrawal made anywhere changes the key of the very next request; a snapshot from the
   * request (a cookie) is only as fresh as that cookie.
   */
  consent: ConsentSnapshot | (() => ConsentSnapshot | Promise<ConsentSnapshot>);
  request?: PageRequest;
  slots: readonly PageSlot[];
  /**
   * Who the page is for, when the request does not name a subject (the server's signed id cookie,
   * say). Default: `request.subject.id`, else `request.session.id`, else nobody in particular.
   */
  identity?: string | null;
  /** Other request values the page varies on (locale, device class …): part of the key. */
  vary?: Readonly<Record<string, string | number | boolean | null>>;
  /** Renders the page from the decision (e.g. `renderToString(<TactfulProvider initial …>)`). */
  render: (initial: InitialDecision | undefined, consent: ConsentSnapshot) => string | Promise<string>;
}

/** What {@link PageCache.render} gives. */
export interface CachedPage {
  html: string;
  /** True when the page came from the cache. */
  hit: boolean;
  /** True when the page shows personalized content. */
  personalized: boolean;
  /** The cache key: page, vary, consent state and person. */
  key: string;
  /**
   * Headers for the response: pages are always `private` and vary on the cookie, so no shared
   * cache (CDN, proxy) keyed on the URL alone can hand one person's page to another.
   */
  headers: Record<string, string>;
}

/** A cache of rendered pages keyed by consent state and person. */
export interface PageCache {
  render(input: CachedRenderInput): Promise<CachedPage>;
  /** Drops every page of a person (after an erasure, a rectification or a consent change). */
  forget(subjectId: string): number;
  /** Pages kept now. */
  readonly size: number;
  clear(): void;
}

interface Entry {
  html: string;
  personalized: boolean;
  identity: string | null;
  expires: number;
}

/** Who a page may be for: the subject, else the anonymous session, else nobody in particular. */
function identityOf(request: PageRequest | undefined): string | null {
  if (request?.subject?.id !== undefined) return `subject:${request.subject.id}`;
  if (request?.session?.id !== undefined) return `session:${request.session.id}`;
  return null;
}

/**
 * True when the decision did not rely on anything the snapshot does not grant: every purpose it
 * used is granted there. A decision made under more consent than the key says is never stored.
 */
function decisionFitsConsent(decision: Decision, consent: ConsentSnapshot): boolean {
  const granted = new Set(grantedPurposes(consent));
  const used: unknown = decision.purposesUsed;
  if (!Array.isArray(used)) return false;
  return used.every((p) => p === 'necessary' || granted.has(p));
}

/**
 * A cache of server-rendered pages whose key holds the consent state and the person: a page is
 * served only to a request with the same page, the same `vary` values, the same granted purposes
 * and the same subject (or anonymous session). Pages personalized for a request with no identity
 * are not stored at all; pages with only default content are kept per identity too (the same
 * defaults may be personalized for another person with the same consent), and shared only among
 * visitors with no identity. A page whose decision failed, or relied on a purpose the key's
 * consent does not grant, is never stored.
 *
 * @example
 * ```ts
 * const cache = createPageCache({ ttlMs: 30_000 });
 * const page = await cache.render({
 *   page: '/',
 *   decider: tactful.engine,
 *   consent: async () => ({ granted: await grantedOf(subject) }),
 *   request: { subject: { id: subject } },
 *   slots: [{ id: 'home.hero', default: { hero: 'welcome' } }],
 *   render: (initial, consent) => renderToString(<App initial={initial} consent={consent} />),
 * });
 * ```
 */
export function createPageCache(options: PageCacheOptions = {}): PageCache {
  const maxEntries = options.maxEntries ?? 1000;
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxEntries) || maxEntries < 0) {
    throw new TactfulError('INVALID_OPTIONS', 'createPageCache: maxEntries must be a whole number ≥ 0', {
      path: ['maxEntries'],
    });
  }
  if (!Number.isFinite(ttlMs) || ttlMs < 0) {
    throw new TactfulError('INVALID_OPTIONS', 'createPageCache: ttlMs must be a number of milliseconds ≥ 0', {
      path: ['ttlMs'],
    });
  }
  const entries = new Map<string, Entry>();

  const headersFor = (personalized: boolean): Record<string, string> => ({
    'cache-control': personalized ? 'private, no-store' : 'private, no-cache',
    vary: 'Cookie',
  });

  return {
    async render(input) {
      const consent = typeof input.consent === 'function' ? await input.consent() : input.consent;
      const identity =
        input.identity === undefined
          ? identityOf(input.request)
          : input.identity === null
            ? null
            : `id:${input.identity}`;
      const key = canonicalJson({
        page: input.page,
        vary: input.vary ?? {},
        granted: grantedPurposes(consent),
        identity,
      });
      const found = entries.get(key);
      if (found !== undefined && found.expires > now() && found.identity === identity) {
        entries.delete(key);
        entries.set(key, found);
        return {
          html: found.html,
          hit: true,
          personalized: found.personalized,
          key,
          headers: headersFor(found.personalized),
        };
      }
      if (found !== undefined) entries.delete(key);
      const initial = await decideForPage({
        decider: input.decider,
        consent,
        ...(input.request === undefined ? {} : { request: input.request }),
        slots: input.slots,
      });
      const html = await input.render(initial, consent);
      const decision = initial?.decision;
      const personalized = decision?.slots.some((s) => !s.isDefault && isPermitted(s, consent)) === true;
      const storable =
        maxEntries > 0 &&
        ttlMs > 0 &&
        decision !== undefined &&
        decisionFitsConsent(decision, consent) &&
        (identity !== null || !personalized);
      if (storable) {
        entries.set(key, { html, personalized, identity, expires: now() + ttlMs });
        while (entries.size > maxEntries) {
          const oldest = entries.keys().next();
          if (oldest.done) break;
          entries.delete(oldest.value);
        }
      }
      return { html, hit: false, personalized, key, headers: headersFor(personalized) };
    },
    forget(subjectId) {
      let removed = 0;
      for (const [key, entry] of entries) {
        if (entry.identity === `subject:${subjectId}` || entry.identity === `id:${subjectId}`) {
          entries.delete(key);
          removed += 1;
        }
      }
      return removed;
    },
    get size() {
      return entries.size;
    },
    clear() {
      entries.clear();
    },
  };
}

export { requestKey, grantedPurposes, isPermitted };
export type { ConsentSnapshot, Decider, InitialDecision, PageRequest };
