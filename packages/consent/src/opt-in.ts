import {
  type ConsentProvider,
  type ConsentRecord,
  type ConsentState,
  type ConsentStore,
  defaultTaxonomy,
  defineConsentProvider,
  isTactfulError,
  isThenable,
  parseOrThrow,
  TactfulError,
} from '@tactful/core';
import * as z from 'zod/mini';
import { type CurrentNotice, evaluateConsentRecord, purposeConsentOf } from './evaluate.js';
import {
  ConsentStoreOptionSchema,
  CurrentNoticeSchema,
  ProviderNameSchema,
  TaxonomyOptionSchema,
} from './options.js';
import { CONSENT_VERSION, SUPPORTED_CORE } from './version.js';
import { throwIfAborted } from './abort.js';

/** Options of {@link optInConsent}. */
export const OptInConsentOptionsSchema = z.strictObject({
  /** Where the consent records are read from. */
  store: ConsentStoreOptionSchema,
  /** The purposes known; default the built-in taxonomy. */
  taxonomy: z.optional(TaxonomyOptionSchema),
  /**
   * The current notice (`noticeVersions(notice)` from `@tactful/notice`). When given, a grant made
   * for another hash of its purpose's section counts as denied with reason `notice-changed`.
   */
  notice: z.optional(CurrentNoticeSchema),
  /**
   * What to say for a purpose with no record (or a request without a subject): `deny` (default;
   * P1 — it then also overrides a grant from another provider such as TCF) or `abstain` (say
   * nothing, so another provider may grant it).
   */
  missing: z._default(z.enum(['deny', 'abstain']), 'deny'),
  /**
   * When the store cannot be read: `deny` (default) answers every asked purpose with `denied`,
   * reason `consent-unavailable`, so no other provider can grant it (fail closed, P8); `throw` raises
   * `CONSENT_UNAVAILABLE` and leaves it to the orchestrator, which drops the provider.
   */
  onStoreError: z._default(z.enum(['deny', 'throw']), 'deny'),
  /** The plugin name. Default `opt-in-consent`. */
  name: z._default(ProviderNameSchema, 'opt-in-consent'),
});
/** Options of {@link optInConsent}. */
export type OptInConsentOptions = z.input<typeof OptInConsentOptionsSchema>;

/**
 * The explicit opt-in consent provider (P1): a purpose is granted only when the person's latest
 * record for it is an affirmative grant that has not expired and (when the current notice is given)
 * was made for the current version of the purpose's notice section. Withdrawn, refused, expired,
 * missing, or unreadable consent is denied. Purposes that need no consent (`necessary`) are granted.
 *
 * @example
 * ```ts
 * import { createOrchestrator } from '@tactful/orchestrator';
 * import { gpcConsent, memoryConsentStore, optInConsent } from '@tactful/consent';
 *
 * const store = memoryConsentStore();
 * const engine = createOrchestrator({ consent: [optInConsent({ store }), gpcConsent()], strategies: [...] });
 * ```
 */
export function optInConsent(options: OptInConsentOptions): ConsentProvider {
  const o = parseOrThrow(OptInConsentOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'opt-in-consent',
  });
  const taxonomy = o.taxonomy ?? defaultTaxonomy;
  const notice: CurrentNotice | undefined = o.notice;
  const name = o.name;
  return defineConsentProvider({
    manifest: {
      name,
      version: CONSENT_VERSION,
      core: SUPPORTED_CORE,
      canGrant: true,
      description: {
        en: 'Grants a purpose only when the person gave explicit, current consent for it.',
        vi: 'Chỉ cho phép một mục đích khi chủ thể dữ liệu đã đồng ý rõ ràng và còn hiệu lực.',
      },
    },
    // Synchronous when the store answers synchronously (the in-memory store, a current read
    // cache): no promise per decision then. Either way the records are read for every call.
    resolve(query, ctx) {
      throwIfAborted(ctx, name);
      const out: ConsentState = { purposes: {} };
      const put = (purpose: string, value: ConsentState['purposes'][string]) => {
        out.purposes[purpose] = value;
      };
      const needsConsent: string[] = [];
      for (const p of new Set(query.purposes)) {
        const def = taxonomy.purposes.get(p);
        if (!def) put(p, { status: 'denied', provider: name, reason: 'unknown-purpose' });
        else if (!def.requiresConsent) put(p, { status: 'granted', provider: name, reason: 'not-required' });
        else needsConsent.push(p);
      }
      if (needsConsent.length === 0) return out;
      if (!query.subject) {
        if (o.missing === 'deny')
          for (const p of needsConsent) put(p, { status: 'denied', provider: name, reason: 'no-subject' });
        return out;
      }
      const unreadable = (error: unknown): ConsentState => {
        if (isTactfulError(error) && error.code === 'ABORTED') throw error;
        if (o.onStoreError === 'throw') {
          throw new TactfulError(
            'CONSENT_UNAVAILABLE',
            `${name}: the consent store could not be read; no purpose is granted`,
            {
              plugin: name,
              cause: error,
            },
          );
        }
        for (const p of needsConsent)
          put(p, { status: 'denied', provider: name, reason: 'consent-unavailable' });
        return out;
      };
      const judge = (latest: ReadonlyMap<string, ConsentRecord>): ConsentState => {
        for (const p of needsConsent) {
          const record = latest.get(p);
          if (!record && o.missing === 'abstain') continue;
          put(p, purposeConsentOf(name, evaluateConsentRecord(record, query.now, notice), record));
        }
        return out;
      };
      let read: ReturnType<ConsentStore['latest']>;
      try {
        read = o.store.latest(query.subject.id);
      } catch (error) {
        return unreadable(error);
      }
      if (!isThenable(read)) return judge(read);
      return Promise.resolve(read).then((latest) => {
        // The deadline may have passed while the store answered.
        try {
          throwIfAborted(ctx, name);
        } catch (error) {
          return unreadable(error);
        }
        return judge(latest);
      }, unreadable);
    },
  });
}
