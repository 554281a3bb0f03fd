/** The consent that authorised one purpose of a decision, as recorded in the audit trail. */
export interface AuditConsentRef {
  purpose: string;
  /** The consent provider that granted it. */
  provider: string;
  /** The consent record that proves it, when the provider keeps records. */
  recordId?: string;
  /** The version of the notice the person saw when consenting. */
  noticeVersion?: string;
}

/** A plugin left out of a decision, as recorded. */
export interface AuditDroppedRef {
  plugin: string;
  kind: 'strategy' | 'source' | 'consent';
  outcome: 'skipped' | 'failed';
  code: string;
}

/** What was served in one slot, as recorded (no content: the audit says who decided, not what was shown). */
export interface AuditSlotRef {
  slot: string;
  strategy: string;
  variant?: string;
  isDefault: boolean;
}

/** What the audit trail keeps about one decision: the part erased when the subject is erased. */
export interface AuditPayload {
  traceId: string;
  /** When the decision was made (the decision's `decidedAt`). */
  decidedAt: string;
  /** The pseudonymous subject (HMAC of the subject id under the trail's key), or null for anonymous visitors. */
  subject: string | null;
  consent: AuditConsentRef[];
  purposes: string[];
  categories: string[];
  dropped: AuditDroppedRef[];
  slots: AuditSlotRef[];
  /** Random salt, so the digest that outlives an erasure reveals nothing about the erased payload. */
  salt: string;
  /** Set on an entry that records a rights request instead of a decision. */
  rights?: AuditRightsRef;
}

/** What the trail keeps of a rights request (never the data itself). */
export interface AuditRightsRef {
  /** `access` (export), `rectification` or `erasure`. */
  type: 'access' | 'rectification' | 'erasure';
  /** The request id of the receipt or export. */
  requestId: string;
  /** The categories a rectification changed. */
  categories?: string[];
}

/**
 * One entry of the audit trail. The chain runs over headers (`seq`, `at`, `digest`, `prev`), never
 * over payloads directly, so erasing a payload (leaving `digest` and a redaction marker) keeps the
 * chain verifiable.
 */
/**
 * The symbol under which the trail gives a store, on each entry it appends (not enumerable), the
 * canonical JSON of the entry's payload — the exact text its digest hashes — so a store that keeps
 * text need not serialize the payload again.
 */
export const AUDIT_PAYLOAD_TEXT: unique symbol = Symbol.for('tactful.audit.payloadText');

/**
 * The payload of a gap entry: overload kept `unrecorded` decisions (made between `from` and `to`)
 * out of the trail. It is chained and signed like any entry, so a gap is accounted for, never
 * silent: the message reads "N decisions not recorded between seq `afterSeq` and this entry's seq".
 */
export interface AuditGapPayload {
  kind: 'gap';
  unrecorded: number;
  /** The seq of the entry before this one when it was written. */
  afterSeq: number;
  /** When the first and the last of those decisions were refused (ISO 8601). */
  from: string;
  to: string;
  message: string;
  subject: null;
  salt: string;
}

/** True when an entry's payload is a gap entry's. */
export function isGapPayload(payload: AuditPayload | AuditGapPayload | null): payload is AuditGapPayload {
  return payload !== null && (payload as AuditGapPayload).kind === 'gap';
}

export interface AuditEntry {
  /** Position in the trail, from 0, without gaps. */
  seq: number;
  /** When the entry was written (ISO 8601); retention counts from here. */
  at: string;
  /** The pseudonymous subject, for export and erasure; null when anonymous or erased. */
  subject: string | null;
  /** SHA-256 of the canonical payload. */
  digest: string;
  /** `hash` of the entry before (or of the anchor, or 64 zeros for the first entry ever). */
  prev: string;
  /** HMAC-SHA-256 under the trail's chain key of the canonical header `{ seq, at, digest, prev }`. */
  hash: string;
  /** The payload; null once erased. */
  payload: AuditPayload | AuditGapPayload | null;
  /** When the payload was erased (the redaction marker). */
  redactedAt?: string;
}

/** A batch for {@link AuditStore.appendSealed}: payload texts to seal and append, in order. */
export interface AuditSealBatch {
  /** The trail's chain key (raw bytes; derived for linking entries only, never the configured secret). */
  readonly chainKey: Uint8Array;
  /** The entries' `at` (ISO 8601). */
  readonly at: string;
  /**
   * Decisions overload kept out of the trail, to account for in a signed gap entry appended before
   * the texts (its payload names the seq it lands at, so the store builds it: `gapPayload`).
   */
  readonly gap?: {
    readonly count: number;
    readonly from: string;
    readonly to: string;
    readonly salt: string;
  };
  /** Each payload's canonical JSON, in the order the entries are appended. */
  readonly texts: ReadonlyArray<string>;
  /** Each payload's pseudonymous subject (null when none), in the same order. */
  readonly subjects: ReadonlyArray<string | null>;
}

/** What {@link AuditStore.appendSealed} appended: enough for the trail to give each caller its entry. */
export interface AuditSealResult {
  /** `seq` of the first entry appended (the gap entry's when there was one). */
  readonly seq: number;
  /** `prev` of the first entry appended. */
  readonly prev: string;
  /** Each appended entry's `hash` and `digest`, in order (the gap entry's first). */
  readonly hashes: ReadonlyArray<string>;
  readonly digests: ReadonlyArray<string>;
}

/** Where verification starts once old entries have been purged: the last purged entry's link, signed. */
export interface AuditAnchor {
  /** `seq` of the last purged entry. */
  seq: number;
  /** `hash` of the last purged entry. */
  hash: string;
  /** `at` of the last purged entry. */
  at: string;
  /** When the purge ran. */
  purgedAt: string;
  /** HMAC under the chain key of `{ seq, hash, at, purgedAt }`, so an anchor cannot be forged to hide deletions. */
  mac: string;
}

/** Options of {@link AuditStore.list}. */
export interface AuditListOptions {
  /** First `seq` to return (inclusive). */
  fromSeq?: number;
  /** Most entries to return. */
  limit?: number;
}

/**
 * Where the audit trail lives. Implementations: `memoryAuditStore()` (reference) and
 * `sqliteAuditStore()` in `@tactful/store-sqlite`; a new one proves itself with
 * `AUDIT_STORE_CONFORMANCE`. Stores keep entries as given and compute no hashes of their own: a
 * store with `appendSealed` runs the trail's `auditSealer` where its writes run.
 */
export interface AuditStore {
  /**
   * Appends an entry. Rejects with a `CONFLICT` TactfulError, storing nothing, unless `entry.seq`
   * is exactly one more than the last entry's (or the anchor's, or 0 when the trail is empty), so
   * two writers can never fork the chain.
   */
  append(entry: AuditEntry): Promise<void>;
  /**
   * Appends consecutive entries atomically (group commit): all are stored, durably, or none is.
   * Rejects with `CONFLICT`, storing nothing, unless the first continues the trail as in
   * {@link AuditStore.append} and each next `seq` is one more than the one before. Optional: the
   * trail falls back to one `append` per entry for a store without it.
   */
  appendMany?(entries: ReadonlyArray<AuditEntry>): Promise<void>;
  /**
   * Seals and appends a batch where the store's writes run (a worker thread), so the trail's
   * thread only writes each payload's canonical JSON: in one write transaction, atomically and
   * durably, the store reads its tail, and `auditSealer` (of `@tactful/audit`) digests each text and
   * links each header to the one before under `batch.chainKey` — the same entries the trail would
   * build — and stores them after the tail, so concurrent writers never conflict. Resolves with the
   * first entry's `seq` and `prev` and each entry's hash and digest. Optional: for a store without
   * it, the trail seals entries itself. The chain key is handed to this method: implement it only
   * in code that runs in the trail's own process (never send the key over a network).
   */
  appendSealed?(batch: AuditSealBatch): Promise<AuditSealResult>;
  /** The last entry, if any. */
  tail(): Promise<AuditEntry | undefined>;
  /** Entries in `seq` order. */
  list(options?: AuditListOptions): Promise<AuditEntry[]>;
  /** Every entry of a pseudonymous subject, in `seq` order. */
  bySubject(subject: string): Promise<AuditEntry[]>;
  /** Erases the payload and subject of every entry of `subject`, marking each redacted; returns how many. */
  redactSubject(subject: string, redactedAt: string): Promise<number>;
  /** Deletes every entry up to `throughSeq` and stores `anchor`, atomically; returns how many were deleted. */
  purge(throughSeq: number, anchor: AuditAnchor): Promise<number>;
  /** The anchor of the last purge, if any. */
  anchor(): Promise<AuditAnchor | undefined>;
}

/** Kinds of problems `verify()` reports. */
export const AUDIT_PROBLEM_KINDS = [
  'modified',
  'missing',
  'out-of-order',
  'broken-link',
  'anchor-invalid',
  'truncated',
] as const;
/** A kind of problem `verify()` reports. */
export type AuditProblemKind = (typeof AUDIT_PROBLEM_KINDS)[number];

/** One problem found by `verify()`, with where it is. */
export interface AuditProblem {
  kind: AuditProblemKind;
  /** The `seq` the problem is at. */
  seq: number;
  /** Position of the entry in the listing (0 = first entry after the anchor), when it is about an entry. */
  index?: number;
  message: string;
}

/** The head of the trail: keep it somewhere else to detect truncation of the most recent entries. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** The result of `verify()`. */
export interface AuditVerification {
  /** True when no problem was found. */
  ok: boolean;
  /** Entries checked. */
  checked: number;
  /** Entries whose payload was erased (verified by digest and link only). */
  redacted: number;
  /** Signed gap entries found, and the decisions they say were not recorded (overload). */
  gaps: number;
  unrecorded: number;
  /** Where verification started: the anchor left by the last purge, if any. */
  anchor?: { seq: number; at: string };
  /** The last entry's seq and hash. */
  head?: AuditHead;
  problems: AuditProblem[];
}
