import {
  type ConsentProvider,
  type ConsentRecordInput,
  type ConsentState,
  BUILTIN_CONSENT_PURPOSE_IDS,
  BUILTIN_PURPOSE_IDS,
  TactfulError,
  defineConsentProvider,
  isCallAborted,
  arr,
  bool,
  checkOrThrow,
  obj,
  optional,
  str,
  withDefault,
} from '@tactful/core';
import type { GpcConsentOptions } from './gpc-schema.js';
import { consentStoreOption, providerName, taxonomyOption } from './option-checks.js';
import { CONSENT_VERSION, SUPPORTED_CORE } from './version.js';

/**
 * The options check of {@link gpcConsent}: accepts exactly what {@link GpcConsentOptionsSchema}
 * accepts and names the same first field (proven by `gpc-check.test.ts`), without zod in a page.
 */
export const checkGpcConsentOptions = /* @__PURE__ */ obj(
  {
    purposes: /* @__PURE__ */ optional(/* @__PURE__ */ arr(/* @__PURE__ */ str())),
    taxonomy: /* @__PURE__ */ optional(taxonomyOption),
    honorDnt: /* @__PURE__ */ withDefault(bool, () => true),
    store: /* @__PURE__ */ optional(consentStoreOption),
    name: /* @__PURE__ */ withDefault(providerName, () => 'gpc-consent'),
  },
  true,
);

/**
 * Global Privacy Control and Do-Not-Track as a consent provider (P1): when the request carries
 * `context.gpc` (or `context.dnt`, unless `honorDnt: false`), every covered purpose is denied with
 * reason `gpc` (or `dnt`), whatever a cookie or another provider says. It never grants anything
 * (`canGrant: false`); without a signal it says nothing.
 *
 * @example
 * ```ts
 * const context = { gpc: gpcFromHeaders(request.headers), dnt: dntFromHeaders(request.headers) };
 * createOrchestrator({ consent: [optInConsent({ store }), gpcConsent()], strategies });
 * ```
 */
export function gpcConsent(options: GpcConsentOptions = {}): ConsentProvider {
  const o = checkOrThrow(checkGpcConsentOptions, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'gpc-consent',
  });
  // Without a taxonomy option the built-in ids and flags suffice: a page need not load the
  // taxonomy's labels and descriptions to deny purposes.
  const taxonomy = o.taxonomy;
  const known = taxonomy ? [...taxonomy.purposes.keys()] : BUILTIN_PURPOSE_IDS;
  const covered = new Set(
    o.purposes ??
      (taxonomy
        ? [...taxonomy.purposes.values()].filter((p) => p.requiresConsent).map((p) => p.id)
        : BUILTIN_CONSENT_PURPOSE_IDS),
  );
  const purposes = o.purposes ?? [];
  for (let i = 0; i < purposes.length; i++) {
    const p = purposes[i]!;
    if (!known.includes(p)) {
      throw new TactfulError(
        'INVALID_OPTIONS',
        `${o.name}: purposes[${i}]: unknown purpose "${p}"; known purposes: ${known.join(', ')}`,
        {
          plugin: o.name,
          path: ['purposes', i],
        },
      );
    }
  }
  const name = o.name;

  async function record(subject: string, method: 'gpc' | 'dnt'): Promise<void> {
    const store = o.store;
    if (!store) return;
    try {
      const latest = await store.latest(subject);
      const inputs: ConsentRecordInput[] = [...covered]
        .filter((p) => {
          const r = latest.get(p);
          return !(r && r.status !== 'granted' && r.method === method);
        })
        .map((purpose) => ({
          subject,
          purpose,
          status: 'denied',
          method,
          reason: method,
          source: 'request signal',
        }));
      if (inputs.length > 0) await store.appendAll(inputs);
    } catch {
      // The denial stands whether or not it could be written down.
    }
  }

  return defineConsentProvider({
    manifest: {
      name,
      version: CONSENT_VERSION,
      core: SUPPORTED_CORE,
      canGrant: false,
      description: {
        en: 'Honours Global Privacy Control and Do-Not-Track: denies the purposes they cover.',
        vi: 'Tôn trọng tín hiệu Global Privacy Control (GPC) và Do-Not-Track: từ chối các mục đích mà tín hiệu áp dụng.',
      },
    },
    // A denial is always safe to return, so an aborted call still answers (and skips the write).
    // Without a signal, or without a store to write the denial to, it answers at once (no promise).
    resolve(query, ctx) {
      const signal =
        query.context.gpc === true ? 'gpc' : o.honorDnt && query.context.dnt === true ? 'dnt' : undefined;
      const out: ConsentState = { purposes: {} };
      if (!signal) return out;
      for (const p of query.purposes)
        if (covered.has(p)) out.purposes[p] = { status: 'denied', provider: name, reason: signal };
      if (query.subject && o.store && !isCallAborted(ctx))
        return record(query.subject.id, signal).then(() => out);
      return out;
    },
  });
}

/** Request headers as a Fetch `Headers`, a plain record, or Node's `IncomingHttpHeaders`. */
export type HeadersLike =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;

function headerValues(headers: HeadersLike | undefined | null, name: string): string[] {
  if (!headers || typeof headers !== 'object') return [];
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const v = (headers as { get(name: string): string | null }).get(name);
    return v === null || v === undefined ? [] : [v];
  }
  const out: string[] = [];
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') out.push(v);
  }
  return out;
}

/** True when any value of the header (also several joined with ", " as Node and Fetch do) is exactly "1". */
function anyOne(values: string[]): boolean {
  return values.some((v) => v.split(',').some((part) => part.trim() === '1'));
}

/**
 * Reads Global Privacy Control from request headers: `Sec-GPC` counts only when a value is exactly
 * `"1"` ("true", "yes" or "0" don't). With several `Sec-GPC` headers any `"1"` wins — Node and
 * Fetch join duplicates into one value separated by ", ", which is split here.
 *
 * @example
 * ```ts
 * gpcFromHeaders(new Headers({ 'Sec-GPC': '1' })); // true
 * gpcFromHeaders(req.headers); // Node IncomingHttpHeaders
 * ```
 */
export function gpcFromHeaders(headers: HeadersLike | undefined | null): boolean {
  return anyOne(headerValues(headers, 'sec-gpc'));
}

/** Reads Do-Not-Track from request headers: `DNT` counts only when a value is exactly `"1"`. */
export function dntFromHeaders(headers: HeadersLike | undefined | null): boolean {
  return anyOne(headerValues(headers, 'dnt'));
}

/** The parts of a browser `navigator` that carry privacy signals. */
export interface NavigatorLike {
  globalPrivacyControl?: unknown;
  doNotTrack?: unknown;
}

/**
 * Reads Global Privacy Control in a browser: `navigator.globalPrivacyControl === true`.
 *
 * @example
 * ```ts
 * const context = { gpc: gpcFromNavigator(navigator) };
 * ```
 */
export function gpcFromNavigator(navigator: NavigatorLike | undefined | null): boolean {
  return navigator?.globalPrivacyControl === true;
}

/** Reads Do-Not-Track in a browser: `navigator.doNotTrack === "1"`. */
export function dntFromNavigator(navigator: NavigatorLike | undefined | null): boolean {
  return navigator?.doNotTrack === '1';
}
