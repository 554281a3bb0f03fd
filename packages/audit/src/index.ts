/**
 * `@tactful/audit`: an append-only, hash-chained audit trail of Tactful decisions, with
 * pseudonymous subjects, sampling, retention, per-subject export and erasure that keep the chain
 * verifiable, and `verify()` that reports tampering and where.
 *
 * @packageDocumentation
 */
export { createAuditTrail } from './audit-trail.js';
export type {
  AuditTrail,
  AuditableEngine,
  AuditHooks,
  AuditExportEntry,
  AuditSubjectExport,
  RecordOptions,
  RightsRequestRecord,
  AuditTrailStats,
} from './trail-types.js';
export { AuditTrailOptionsSchema } from './options.js';
export type { AuditTrailOptions } from './options.js';
export { memoryAuditStore, nextSeq, appendConflict } from './memory-store.js';
export { AUDIT_PAYLOAD_TEXT, AUDIT_PROBLEM_KINDS, isGapPayload } from './types.js';
export type {
  AuditAnchor,
  AuditConsentRef,
  AuditDroppedRef,
  AuditEntry,
  AuditGapPayload,
  AuditHead,
  AuditListOptions,
  AuditPayload,
  AuditProblem,
  AuditProblemKind,
  AuditRightsRef,
  AuditSealBatch,
  AuditSealResult,
  AuditSlotRef,
  AuditStore,
  AuditVerification,
} from './types.js';
export { GENESIS, auditSealer, gapPayload } from './chain.js';
export type { SealedRow } from './chain.js';
export { hashing } from './crypto.js';
export type { Hashing, HmacKey, Sha256 } from './crypto.js';
export { AUDIT_STORE_CONFORMANCE } from './conformance.js';
export type { AuditStoreCase } from './conformance.js';
