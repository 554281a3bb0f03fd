import { TCString, type TCModel } from '@iabtcf/core';
import {
  type ConsentProvider,
  type ConsentState,
  type PurposeDefinition,
  TactfulError,
  defaultTaxonomy,
  defineConsentProvider,
  parseOrThrow,
} from '@tactful/core';
import * as z from 'zod/mini';
import type { ConsentReason } from './evaluate.js';
import { ProviderNameSchema, TaxonomyOptionSchema } from './options.js';
import { CONSENT_VERSION, SUPPORTED_CORE } from './version.js';
import { throwIfAborted } from './abort.js';
import { checkTcStringBounds } from './tcf-bounds.js';

const TcfVendorSchema = z.looseObject({
  id: z.number().check(z.int(), z.positive()),
  purposes: z._default(z.array(z.number().check(z.int())), []),
  flexiblePurposes: z._default(z.array(z.number().check(z.int())), []),
  specialFeatures: z._default(z.array(z.number().check(z.int())), []),
});

/** The part of an IAB Global Vendor List (v3 JSON) this provider reads; pass your locally saved copy. */
export const TcfVendorListSchema = z.looseObject({
  vendorListVersion: z.number().check(z.int(), z.positive()),
  vendors: z.record(z.string().check(z.regex(/^\d+$/)), TcfVendorSchema),
});

/** Options of {@link tcfConsent}. */
export const TcfConsentOptionsSchema = z.strictObject({
  /** The purposes known, with their `tcfPurposes`/`tcfSpecialFeatures` mapping. Default the built-in taxonomy. */
  taxonomy: z.optional(TaxonomyOptionSchema),
  /** Your IAB vendor id: when given, the TC string must also carry consent for this vendor. */
  vendorId: z.optional(z.number().check(z.int(), z.positive(), z.lte(65_535))),
  /**
   * A locally saved Global Vendor List (never fetched). With `vendorId`, a purpose is granted only
   * when the vendor declares each of its TCF purposes (consent or flexible basis) and special features.
   */
  vendorList: z.optional(TcfVendorListSchema),
  /** Read the publisher TC segment's purpose consents instead of the global ones (first-party use). Default false. */
  publisher: z._default(z.boolean(), false),
  /** A TC string last updated longer ago than this counts as outdated (`tcf-expired`). Default 390 days (13 months). */
  maxAgeDays: z._default(z.number().check(z.int(), z.positive(), z.lte(3650)), 390),
  /** The lowest TCF policy version accepted; 4 is TCF v2.2 (default). Older strings count as outdated. */
  minPolicyVersion: z._default(z.number().check(z.int(), z.gte(2), z.lte(63)), 4),
  /** The plugin name. Default `tcf-consent`. */
  name: z._default(ProviderNameSchema, 'tcf-consent'),
});
/** Options of {@link tcfConsent}. */
export type TcfConsentOptions = z.input<typeof TcfConsentOptionsSchema>;

const DAY = 86_400_000;

/**
 * IAB TCF v2.2 as a consent provider: decodes `context.tcString` (with `@iabtcf/core`, offline) and
 * maps it onto the taxonomy. A Tactful purpose is granted only when ALL its `tcfPurposes` have
 * consent and ALL its `tcfSpecialFeatures` are opted in (special feature 1 = precise geolocation),
 * and, with `vendorId`, the vendor has consent. Purposes without a TCF mapping are left to other
 * providers. A malformed, outdated or pre-2.2 string grants nothing (reasons `tcf-invalid`,
 * `tcf-expired`) and never throws out of the provider; no string at all says nothing.
 *
 * @example
 * ```ts
 * const engine = createOrchestrator({ consent: [tcfConsent({ vendorId: 755 }), gpcConsent()], strategies });
 * await engine.decide({ context: { tcString: cookies.euconsent }, slots: [{ id: 'home.hero' }] });
 * ```
 */
export function tcfConsent(options: TcfConsentOptions = {}): ConsentProvider {
  const o = parseOrThrow(TcfConsentOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'tcf-consent',
  });
  const taxonomy = o.taxonomy ?? defaultTaxonomy;
  const name = o.name;
  let vendor: z.output<typeof TcfVendorSchema> | undefined;
  if (o.vendorList) {
    if (o.vendorId === undefined) {
      throw new TactfulError(
        'INVALID_OPTIONS',
        `${name}: vendorList is only used with vendorId; add your IAB vendor id`,
        {
          plugin: name,
          path: ['vendorId'],
        },
      );
    }
    vendor = o.vendorList.vendors[String(o.vendorId)];
    if (!vendor) {
      throw new TactfulError(
        'INVALID_OPTIONS',
        `${name}: vendorId ${o.vendorId} is not in vendor list version ${o.vendorList.vendorListVersion}`,
        { plugin: name, path: ['vendorId'] },
      );
    }
  }

  function mapped(purpose: string): PurposeDefinition | undefined {
    const def = taxonomy.purposes.get(purpose);
    return def && (def.tcfPurposes.length > 0 || def.tcfSpecialFeatures.length > 0) ? def : undefined;
  }

  function allowed(def: PurposeDefinition, tc: TCModel): boolean {
    const consents = o.publisher ? tc.publisherConsents : tc.purposeConsents;
    if (!def.tcfPurposes.every((id) => consents.has(id))) return false;
    if (!def.tcfSpecialFeatures.every((id) => tc.specialFeatureOptins.has(id))) return false;
    if (o.vendorId !== undefined && !o.publisher && !tc.vendorConsents.has(o.vendorId)) return false;
    if (vendor) {
      const declared = new Set([...vendor.purposes, ...vendor.flexiblePurposes]);
      if (!def.tcfPurposes.every((id) => declared.has(id))) return false;
      if (!def.tcfSpecialFeatures.every((id) => vendor?.specialFeatures.includes(id))) return false;
    }
    return true;
  }

  return defineConsentProvider({
    manifest: {
      name,
      version: CONSENT_VERSION,
      core: SUPPORTED_CORE,
      canGrant: true,
      description: {
        en: 'Reads the IAB TCF v2.2 consent string set by a consent management platform.',
        vi: 'Đọc chuỗi đồng ý IAB TCF v2.2 do nền tảng quản lý sự đồng ý thiết lập.',
      },
    },
    resolve(query, ctx) {
      throwIfAborted(ctx, name);
      const out: ConsentState = { purposes: {} };
      const tcString = query.context.tcString;
      if (tcString === undefined || tcString.trim() === '') return out;
      const asked = [...new Set(query.purposes)].flatMap((p) => {
        const def = mapped(p);
        return def ? [def] : [];
      });
      if (asked.length === 0) return out;
      const deny = (reason: ConsentReason) => {
        for (const def of asked) out.purposes[def.id] = { status: 'denied', provider: name, reason };
        return out;
      };
      // Bounded before decoding: decoding is synchronous and no deadline can interrupt it.
      if (checkTcStringBounds(tcString.trim()) !== undefined) return deny('tcf-invalid');
      let tc: TCModel;
      try {
        tc = TCString.decode(tcString.trim());
      } catch {
        return deny('tcf-invalid');
      }
      if (Number(tc.version) !== 2) return deny('tcf-invalid');
      if (Number(tc.policyVersion) < o.minPolicyVersion) return deny('tcf-expired');
      const updated = tc.lastUpdated instanceof Date ? tc.lastUpdated.getTime() : Number.NaN;
      if (!Number.isFinite(updated) || query.now - updated > o.maxAgeDays * DAY) return deny('tcf-expired');
      for (const def of asked) {
        out.purposes[def.id] = allowed(def, tc)
          ? { status: 'granted', provider: name, reason: 'tcf' }
          : { status: 'denied', provider: name, reason: 'tcf' };
      }
      return out;
    },
  });
}
