import {
  CONSENT_METHODS,
  CONSENT_RECORD_STATUSES,
  ConsentActorSchema,
  ConsentNoticeSchema,
  IsoDateTimeSchema,
  SubjectDataExportSchema,
  SubjectIdSchema,
} from '@tactful/core';
import { z } from 'zod';
import { RIGHTS_REQUEST_TYPES } from './jurisdictions.js';

/** The `format` tag of a subject export document. */
export const SUBJECT_EXPORT_FORMAT = 'tactful.subject-export';
/** The version of the subject export document format. */
export const SUBJECT_EXPORT_VERSION = 1;

/** A request about a person's data, with its deadlines. */
export const RightsRequestSchema = z.strictObject({
  /** A unique id of the request. */
  id: z.string().min(1),
  type: z.enum(RIGHTS_REQUEST_TYPES),
  /** The jurisdiction whose time limits apply. */
  jurisdiction: z.string().min(1),
  /** The law, in words. */
  law: z.string(),
  receivedAt: IsoDateTimeSchema,
  acknowledgeBy: z.optional(IsoDateTimeSchema),
  dueAt: IsoDateTimeSchema,
  extendedDueAt: z.optional(IsoDateTimeSchema),
});
/** A request about a person's data, with its deadlines. */
export type RightsRequest = z.infer<typeof RightsRequestSchema>;

/** One stored consent record, as exported (extra fields a newer store adds are kept). */
export const ExportedConsentRecordSchema = z.looseObject({
  id: z.string(),
  seq: z.number().int(),
  subject: z.string(),
  purpose: z.string(),
  status: z.enum(CONSENT_RECORD_STATUSES),
  recordedAt: IsoDateTimeSchema,
  notice: z.optional(ConsentNoticeSchema),
  method: z.enum(CONSENT_METHODS),
  source: z.string().optional(),
  locale: z.string().optional(),
  jurisdiction: z.string().optional(),
  expiresAt: z.optional(IsoDateTimeSchema),
  actor: ConsentActorSchema,
  reason: z.string().optional(),
  previousId: z.string().nullable(),
  previousHash: z.string().nullable(),
  supersedes: z.string().nullable(),
  hash: z.string(),
});

const Name = z.string().min(1);

/** One section of an export: what one store or data source holds about the person. */
export const ExportSectionSchema = z.discriminatedUnion('kind', [
  /** A subject store: declared preferences and attributes, events, cart, stored segments. */
  z.strictObject({ kind: z.literal('subject'), name: Name, data: SubjectDataExportSchema }),
  /** A consent store: every consent record, oldest first. */
  z.strictObject({ kind: z.literal('consent'), name: Name, records: z.array(ExportedConsentRecordSchema) }),
  /** An audit log: its entries about the person. */
  z.strictObject({ kind: z.literal('audit'), name: Name, data: z.json() }),
  /** Any other store that joined through `exportSubject`. */
  z.strictObject({ kind: z.literal('store'), name: Name, data: z.json() }),
  /** A data source: its data by category. */
  z.strictObject({ kind: z.literal('source'), name: Name, categories: z.record(z.string(), z.json()) }),
]);
/** One section of an export. */
export type ExportSection = z.infer<typeof ExportSectionSchema>;

/**
 * The machine-readable export of everything held about a person (P6): one section per registered
 * store and data source. Published as this zod schema and as a JSON Schema file
 * (`@tactful/subject/subject-export.schema.json`), generated from it with `z.toJSONSchema`.
 */
export const SubjectExportDocumentSchema = z.strictObject({
  format: z.literal(SUBJECT_EXPORT_FORMAT),
  version: z.literal(SUBJECT_EXPORT_VERSION),
  subject: z.strictObject({ id: SubjectIdSchema }),
  generatedAt: IsoDateTimeSchema,
  request: RightsRequestSchema,
  /** True when no store or source holds anything about the person. */
  empty: z.boolean(),
  sections: z.array(ExportSectionSchema),
  /** Holders that could not export (a source without the export right), and why. */
  omitted: z.array(z.strictObject({ name: Name, reason: z.string() })),
});
/** The machine-readable export of everything held about a person. */
export type SubjectExportDocument = z.infer<typeof SubjectExportDocumentSchema>;

/** The JSON Schema (draft 2020-12) of {@link SubjectExportDocumentSchema}, as shipped in the package. */
export function subjectExportJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(SubjectExportDocumentSchema, { target: 'draft-2020-12' }),
    $id: 'urn:tactful:subject-export:v1',
    title: 'Tactful subject export',
    description: 'Everything a Tactful deployment holds about one person, by store and data source.',
  };
}
