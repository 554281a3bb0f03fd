import {
  type ConsentErasureReceipt,
  type ConsentRecord,
  ConsentSubjectIdSchema,
  type ValidConsentRecordInput,
  buildConsentRecord,
  canonicalConsentRecord,
} from './consent-record.js';
import { deepFreeze } from './plugin.js';
import { randomUuid } from './random-uuid.js';
import { sha256HexSync } from './sha256.js';
import { parseOrThrow } from './validation.js';

/** The rule of {@link ConsentSubjectIdSchema}, checked without zod for the common case. */
const SUBJECT_ID = /^[A-Za-z0-9._:@-]+$/;

/**
 * Validates a subject id given to a consent store, throwing `INVALID_INPUT` naming `subject`. The
 * common case is checked without zod (the same rule as {@link ConsentSubjectIdSchema}: it runs on
 * every read of the decision path); anything else goes through the schema for its error message.
 */
export function parseConsentSubjectId(subject: unknown, what: string): string {
  if (typeof subject === 'string' && subject.length <= 128 && SUBJECT_ID.test(subject)) return subject;
  return parseOrThrow(ConsentSubjectIdSchema, subject, { code: 'INVALID_INPUT', what, path: ['subject'] });
}

/**
 * Where a store's chains stand before a batch, read by the store inside the transaction (or under
 * the lock) that will write the batch. Each is asked at most once per subject, or per subject and
 * purpose, in a batch; the records of the batch itself are tracked by {@link chainConsentRecords}.
 */
export interface ConsentChainHeads {
  /** The subject's newest stored record (any purpose), or undefined when it has none. */
  head(subject: string): ConsentRecord | undefined;
  /** The id of the subject's newest stored record for `purpose`, or null when it has none. */
  lastFor(subject: string, purpose: string): string | null | undefined;
}

/**
 * Links and hashes a batch of validated inputs onto the subjects' chains: each record gets the next
 * `seq` of its subject, points at the subject's previous record (id and hash) and at the record of
 * the same purpose it supersedes, and carries the SHA-256 of {@link canonicalConsentRecord}. Every
 * store builds its records here, so a chain written by one store verifies in any other. The records
 * come back frozen, in input order; the store writes them all or none.
 */
export function chainConsentRecords(
  valid: ReadonlyArray<ValidConsentRecordInput>,
  now: number,
  heads: ConsentChainHeads,
): ConsentRecord[] {
  const head = new Map<string, ConsentRecord | undefined>();
  const last = new Map<string, string | null>();
  const out: ConsentRecord[] = [];
  for (const input of valid) {
    if (!head.has(input.subject)) head.set(input.subject, heads.head(input.subject));
    const key = `${input.subject}\u0000${input.purpose}`;
    if (!last.has(key)) last.set(key, heads.lastFor(input.subject, input.purpose) ?? null);
    const previous = head.get(input.subject);
    const unhashed = buildConsentRecord(input, {
      id: `cr_${randomUuid()}`,
      seq: (previous?.seq ?? 0) + 1,
      recordedAt: now,
      previous,
      supersedes: last.get(key) ?? null,
    });
    const record: ConsentRecord = deepFreeze({
      ...unhashed,
      hash: sha256HexSync(canonicalConsentRecord(unhashed)),
    });
    head.set(input.subject, record);
    last.set(key, record.id);
    out.push(record);
  }
  return out;
}

/**
 * The receipt of erasing a subject's consent history: how many records went, when, and the hash of
 * the last one (the head of the erased chain). A store keeps it as the subject's tombstone, except
 * that a repeated erasure (nothing left to erase) keeps the receipt of the one that erased something.
 */
export function consentErasureReceipt(
  subject: string,
  erased: number,
  now: number,
  lastHash: string | null,
): ConsentErasureReceipt {
  return Object.freeze({ subject, erased, erasedAt: new Date(now).toISOString(), lastHash });
}
