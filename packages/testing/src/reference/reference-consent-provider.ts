import {
  type ConsentState,
  defineConsentProvider,
  parseOrThrow,
  PluginNameSchema,
  type PurposeConsent,
  SubjectSchema,
  TaxonomyIdSchema,
} from '@tactful/core';
import { z } from 'zod';

/** A consent record the reference provider holds: the latest act of one subject for one purpose. */
export const ReferenceConsentRecordSchema = z.object({
  subject: SubjectSchema.shape.id,
  purpose: TaxonomyIdSchema,
  status: z.enum(['granted', 'withdrawn']),
  /** Epoch milliseconds after which a grant no longer counts. */
  expiresAt: z.number().int().optional(),
  /** The version of the notice the person saw. */
  noticeVersion: z.string().min(1).optional(),
});
/** A consent record of the reference provider. */
export type ReferenceConsentRecord = z.input<typeof ReferenceConsentRecordSchema>;

/** Options of {@link referenceConsentProvider}. */
export const ReferenceConsentProviderOptionsSchema = z.object({
  /** The plugin name (default `tactful-reference-consent`). */
  name: z._default(PluginNameSchema, 'tactful-reference-consent'),
  /** Initial records, oldest first; a later record for the same subject and purpose replaces an earlier one. */
  records: z.array(ReferenceConsentRecordSchema).default([]),
});
/** Options of {@link referenceConsentProvider}, as written. */
export type ReferenceConsentProviderOptions = z.input<typeof ReferenceConsentProviderOptionsSchema>;

/**
 * The in-memory reference consent provider: explicit opt-in records per subject and purpose (P1).
 * A current grant → `granted` (with its record id); a withdrawn or expired one → `denied` with the
 * reason; no record → not mentioned (left to other providers; denied if none grants). Anonymous
 * queries get no answer. Honours its abort signal and passes the consent provider suite.
 *
 * @example
 * ```ts
 * const consent = referenceConsentProvider();
 * consent.grant('u-1', 'personalization.profile');
 * await consent.resolve(consentQuery({ subject: 'u-1', purposes: ['personalization.profile'] }), callContext());
 * ```
 */
export function referenceConsentProvider(options: ReferenceConsentProviderOptions = {}) {
  const parsed = parseOrThrow(ReferenceConsentProviderOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'tactful-reference-consent',
  });
  const { name } = parsed;
  const latest = new Map<string, { id: string; record: z.output<typeof ReferenceConsentRecordSchema> }>();
  let sequence = 0;
  const key = (subject: string, purpose: string) => `${subject}\u0000${purpose}`;
  const record = (input: ReferenceConsentRecord): string => {
    const value = parseOrThrow(ReferenceConsentRecordSchema, input, {
      code: 'INVALID_INPUT',
      what: 'consent record',
      plugin: name,
    });
    sequence += 1;
    const id = `${name}:${sequence}`;
    latest.set(key(value.subject, value.purpose), { id, record: value });
    return id;
  };
  for (const r of parsed.records) record(r);

  return defineConsentProvider({
    manifest: { name, version: '0.1.0', core: '^0.1.0', canGrant: true },
    resolve(query, { signal }): ConsentState {
      signal.throwIfAborted();
      const purposes: Record<string, PurposeConsent> = {};
      if (!query.subject) return { purposes };
      for (const purpose of query.purposes) {
        const held = latest.get(key(query.subject.id, purpose));
        if (!held) continue;
        const { record: r, id } = held;
        const base = {
          provider: name,
          recordId: id,
          ...(r.noticeVersion ? { noticeVersion: r.noticeVersion } : {}),
        };
        if (r.status === 'withdrawn') purposes[purpose] = { ...base, status: 'denied', reason: 'withdrawn' };
        else if (r.expiresAt !== undefined && r.expiresAt <= query.now) {
          purposes[purpose] = { ...base, status: 'denied', reason: 'expired' };
        } else {
          purposes[purpose] = {
            ...base,
            status: 'granted',
            ...(r.expiresAt === undefined ? {} : { expiresAt: new Date(r.expiresAt).toISOString() }),
          };
        }
      }
      return { purposes };
    },
    /** Records a grant; returns the record id. */
    grant(
      subject: string,
      purpose: string,
      details: { expiresAt?: number; noticeVersion?: string } = {},
    ): string {
      return record({ subject, purpose, status: 'granted', ...details });
    },
    /** Records a withdrawal; returns the record id. */
    withdraw(subject: string, purpose: string): string {
      return record({ subject, purpose, status: 'withdrawn' });
    },
  });
}
