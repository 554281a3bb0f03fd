import type { ConsentState, Decision, Subject } from '@tactful/core';
import type {
  AuditConsentRef,
  AuditEntry,
  AuditHead,
  AuditPayload,
  AuditRightsRef,
  AuditVerification,
} from './types.js';

/** Options of {@link AuditTrail.record}. */
export interface RecordOptions {
  /** The person the decision was about (their id is pseudonymised before anything is stored). */
  subject?: string | Subject;
  /** The consent that authorised the decision; defaults to the decision's own consent snapshot. */
  consent?: ConsentState;
}

/** One decision in a person's export (no salts, no chain internals). */
export interface AuditExportEntry {
  seq: number;
  at: string;
  traceId: string;
  decidedAt: string;
  purposes: string[];
  categories: string[];
  consent: AuditConsentRef[];
  dropped: AuditPayload['dropped'];
  slots: AuditPayload['slots'];
  /** Present on an entry that records a rights request. */
  rights?: AuditRightsRef;
}

/** A rights request to record (see {@link AuditTrail.recordRights}). */
export interface RightsRequestRecord {
  type: AuditRightsRef['type'];
  /** The request id (of the receipt or export). */
  requestId: string;
  /** When the request was received (ISO 8601). */
  receivedAt: string;
  /** The person; omit for an erasure (the entry then names no one, as the person asked). */
  subject?: string;
  /** The categories a rectification changed. */
  categories?: string[];
}

/** Everything the audit trail holds about one person, for their data export (P6). */
export interface AuditSubjectExport {
  /** The pseudonym the trail knows them by. */
  subject: string;
  entries: AuditExportEntry[];
}

/** Hooks the trail adds to an orchestrator (the shape of `@tactful/orchestrator`'s `DecisionHooks`). */
export interface AuditHooks {
  beforeDecision(context: {
    readonly traceId: string;
    readonly request: { readonly subject?: { readonly id: string } };
  }): void;
  afterDecision(context: { readonly traceId: string; readonly decision: Decision }): void;
}

/**
 * The part of an orchestrator the trail attaches to. With `addHooks` (as `@tactful/orchestrator`
 * has), the trail learns each decision's subject from its request; otherwise it listens to the
 * `decision` event and finds the subject in the event when the event carries one.
 */
export interface AuditableEngine {
  // biome-ignore lint/suspicious/noExplicitAny: hook lists of any orchestrator version are accepted
  addHooks?(...hooks: any[]): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: listeners of any event emitter shape are accepted
  on?(event: 'decision', listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: see above
  off?(event: 'decision', listener: (...args: any[]) => void): unknown;
}

/** The decision audit trail. */
export interface AuditTrail {
  /**
   * Records one decision (if sampled): the pseudonymous subject, the consent records that
   * authorised it, purposes and categories used, plugins dropped, slots served, trace id and time.
   * Appends are serialised in call order; recordings queued while a write is in progress are
   * appended together in one store transaction (group commit, at most `maxBatch` each). Resolves
   * with the entry once it is durably written, or undefined when sampled out. When `maxQueue`
   * recordings are already waiting, the `overload` policy applies: `wait` waits for room (at most
   * `maxQueue` more waiting); otherwise, or past that, the decision is not recorded — the next
   * write appends one signed gap entry counting every such decision ("N decisions not recorded
   * between seq a and b"), `stats().unrecorded` counts them, a warning goes to `onError` at most
   * once per `logIntervalMs`, and this call rejects with `AUDIT_OVERLOADED`. Never a silent gap.
   */
  record(decision: Decision, options?: RecordOptions): Promise<AuditEntry | undefined>;
  /**
   * Records every decision the orchestrator makes, with its subject (through the orchestrator's
   * hooks, or its `decision` event). Failures go to `onError`, never into the decision. Returns a
   * function that detaches.
   */
  attach(engine: AuditableEngine): () => void;
  /**
   * Records a rights request (export, rectification, erasure) in the same chain as decisions, never
   * sampled out. An erasure is recorded without a subject. Resolves once durably written.
   */
  recordRights(request: RightsRequestRecord): Promise<AuditEntry>;
  /** Resolves once every recording started so far has been written (or has failed). */
  flush(): Promise<void>;
  /** Checks the whole chain and reports where it was tampered with. Pass a head kept elsewhere to detect truncation. */
  verify(options?: { head?: AuditHead }): Promise<AuditVerification>;
  /** Everything recorded about a person, for their export. */
  exportSubject(subjectId: string): Promise<AuditSubjectExport>;
  /** Erases a person's payloads (keeping digests and a redaction marker, so the chain still verifies). */
  eraseSubject(subjectId: string): Promise<{ erased: number }>;
  /** Purges entries older than `retentionDays`, leaving a signed anchor; returns how many. Runs by itself on `record`, at most hourly. */
  purge(): Promise<{ purged: number }>;
  /** The last entry's seq and hash: keep it elsewhere (a log, another system) to detect truncation later. */
  head(): Promise<AuditHead | undefined>;
  /** The pseudonym of a subject id under this trail's key. */
  pseudonym(subjectId: string): Promise<string>;
  /**
   * Asks before a decision whether the trail can take its recording (the `overload` policy, for a
   * server to apply before deciding): undefined when there is room (no promise is made); under
   * `wait`, a promise that resolves once there is room (at most `maxQueue` callers wait; past that
   * it throws as under `shed`); under `shed`, throws `AUDIT_OVERLOADED`
   * (answer 503 with Retry-After). Under `gap` always undefined.
   */
  admit(): Promise<void> | undefined;
  /** Recordings waiting to be written, and what overload did so far. */
  stats(): AuditTrailStats;
}

/** What {@link AuditTrail.stats} reports. */
export interface AuditTrailStats {
  /** Recordings accepted and not yet written (at most `maxQueue`). */
  readonly queued: number;
  /** Recordings refused since the trail was created because `maxQueue` were already waiting (same as `unrecorded`). */
  readonly dropped: number;
  /**
   * Decisions not recorded because of overload, or because their write failed while no caller
   * waited for it (recordings made by `attach()`); each is counted in a signed gap entry (written or pending).
   */
  readonly unrecorded: number;
  /** Gap entries written so far. */
  readonly gaps: number;
  /** Unrecorded decisions not yet counted in a written gap entry (written with the next batch). */
  readonly pendingGap: number;
  /** Decisions refused before being made (`admit()` under `shed`). */
  readonly shed: number;
  /** Recordings or admissions that waited for room (`overload: 'wait'`). */
  readonly waited: number;
}
