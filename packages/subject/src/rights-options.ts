import type { ConsentStore, DataSource, SubjectDataHolder, Taxonomy } from '@tactful/core';
import { z } from 'zod';
import type { SubjectExportDocument } from './export-document.js';
import { type DueDates, JurisdictionRuleSchema, type RightsRequestType } from './jurisdictions.js';
import { hasMethod } from './has-method.js';
import type { ErasureReceipt, RectificationReceipt } from './receipts.js';

/** Options of {@link createRightsService}. */
export const RightsServiceOptionsSchema = z.strictObject({
  /** Every store holding data about people: subject stores, audit logs, any `SubjectDataHolder`. */
  stores: z
    .array(
      z.custom<SubjectDataHolder>(
        (v) => typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string',
        'must be a store with a "name"',
      ),
    )
    .default([]),
  /** The data sources registered with the orchestrator (only those holding personal data matter). */
  sources: z
    .array(
      z.custom<DataSource>(
        (v) => hasMethod(v, 'load') && typeof (v as DataSource).manifest === 'object',
        'must be a DataSource',
      ),
    )
    .default([]),
  /** The consent store(s): their history joins the export, and erasure erases it. */
  consent: z
    .union([
      z.custom<ConsentStore>(
        (v) => hasMethod(v, 'history') && hasMethod(v, 'eraseSubject'),
        'must be a ConsentStore',
      ),
      z.array(
        z.custom<ConsentStore>(
          (v) => hasMethod(v, 'history') && hasMethod(v, 'eraseSubject'),
          'must be a ConsentStore',
        ),
      ),
    ])
    .optional(),
  /**
   * Audit trail(s) (`createAuditTrail` of `@tactful/audit`, or anything with `exportSubject` and
   * `eraseSubject`): the person's decision log joins the export and is erased on erasure.
   */
  audit: z
    .union([
      z.custom<AuditLike>(
        (v) => hasMethod(v, 'exportSubject') && hasMethod(v, 'eraseSubject'),
        'must be an audit trail (exportSubject, eraseSubject)',
      ),
      z.array(
        z.custom<AuditLike>(
          (v) => hasMethod(v, 'exportSubject') && hasMethod(v, 'eraseSubject'),
          'must be an audit trail (exportSubject, eraseSubject)',
        ),
      ),
    ])
    .optional(),
  /** Jurisdiction rules to add or override, by code (`EU`, `VN`, `US-CA` ...). */
  jurisdictions: z
    .record(
      z.string().regex(/^[A-Z]{2,3}(-[A-Z0-9]{1,3})?$/, 'use a code such as "VN" or "US-CA"'),
      JurisdictionRuleSchema,
    )
    .optional(),
  /**
   * The jurisdictions the service operates under (a configuration's `jurisdictions`): `strictest`
   * then takes the earliest deadline of these rules only, and the receipt names that rule's law.
   * Default: every rule of the table.
   */
  applicable: z.array(z.string().min(1)).min(1).optional(),
  /** The jurisdiction of requests that name none; `strictest` (default) takes the earliest deadline of the applicable rules. */
  defaultJurisdiction: z.string().default('strictest'),
  /**
   * Stores or sources that cannot erase and are allowed to keep data anyway, each with the reason
   * (shown on every erasure receipt), e.g. `{ name: 'invoices', reason: 'tax law: kept 10 years' }`.
   */
  retain: z
    .array(z.strictObject({ name: z.string().min(1), reason: z.string().min(3).max(500) }))
    .default([]),
  /** The key of the subject hash on receipts (16+ characters). Default: random per service. */
  hashKey: z.union([z.string().min(16), z.instanceof(Uint8Array)]).optional(),
  /** The taxonomy, to tell personal from non-personal categories of sources. */
  taxonomy: z.custom<Taxonomy>((v) => hasMethod(v, 'category'), 'must be a Taxonomy').optional(),
  /** Deadline of each data source call, in milliseconds. Default 10 000. */
  sourceTimeoutMs: z.number().int().positive().max(600_000).default(10_000),
  /** The clock, epoch milliseconds. Default `Date.now`. */
  now: z
    .custom<() => number>((v) => typeof v === 'function', 'must be a function returning epoch milliseconds')
    .optional(),
});
/** Options of {@link createRightsService}. */
export type RightsServiceOptions = z.input<typeof RightsServiceOptionsSchema>;

/** What the rights service needs of an audit trail. */
export interface AuditLike {
  readonly name?: string;
  exportSubject(subjectId: string): Promise<unknown>;
  eraseSubject(subjectId: string): Promise<{ erased: number }>;
  /**
   * Records a rights request (`createAuditTrail` has it): every export, rectification and erasure
   * is then an entry of the trail. An erasure is recorded without the subject.
   */
  recordRights?(request: {
    type: 'access' | 'rectification' | 'erasure';
    requestId: string;
    receivedAt: string;
    subject?: string;
    categories?: string[];
  }): Promise<unknown>;
}

/** Per-request options: where the person is and when the request arrived. */
export interface RightsRequestOptions {
  /** A jurisdiction code of the rules table (`EU`, `VN`, `US-CA` ...). Default: the service's. */
  jurisdiction?: string;
  /** When the request was received (ISO 8601 or epoch ms). Default: now. */
  receivedAt?: string | number;
}

/** One correction: a category and its corrected value. */
export interface Rectification {
  category: string;
  value: unknown;
}

/** The person's rights over their data (P6), across every registered store and source. */
export interface RightsService {
  /** Names of every store and source the service covers. */
  readonly holders: ReadonlyArray<string>;
  /** The deadlines a request of `type` has. */
  dueDates(type: RightsRequestType, options?: RightsRequestOptions): DueDates;
  /** Everything held about the person, validated by the published schema. */
  export(subjectId: string, options?: RightsRequestOptions): Promise<SubjectExportDocument>;
  /** Corrects categories everywhere they are held; the next decision sees the correction. */
  rectify(
    subjectId: string,
    changes: ReadonlyArray<Rectification>,
    options?: RightsRequestOptions,
  ): Promise<RectificationReceipt>;
  /** Erases the person from every store and source; idempotent; returns a receipt. */
  erase(subjectId: string, options?: RightsRequestOptions): Promise<ErasureReceipt>;
}
