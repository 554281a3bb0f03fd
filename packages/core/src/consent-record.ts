import type { Awaitable } from './awaitable.js';
import { canonicalJson } from './canonical-json.js';
import * as z from 'zod/mini';
import { sha256HexSync } from './sha256.js';
import { SubjectSchema } from './context-schema.js';
import { TactfulError, formatPath, isTactfulError } from './errors.js';
import type { Taxonomy } from './taxonomy.js';
import { TaxonomyIdSchema } from './taxonomy-schema.js';
import { parseOrThrow } from './validation.js';

/** What one consent record says about one purpose. Anything but a live `granted` means denied (P1). */
export const CONSENT_RECORD_STATUSES = ['granted', 'denied', 'withdrawn'] as const;
/** What one consent record says about one purpose. */
export type ConsentRecordStatus = (typeof CONSENT_RECORD_STATUSES)[number];

/**
 * Ways a person can give consent by an affirmative act: a banner button, a preference-center
 * toggle, the application's own API called after such an act, a form, a written/e-mail or
 * in-person statement, an IAB TCF consent string (a CMP's affirmative choice), or an import of
 * records proven elsewhere.
 */
export const AFFIRMATIVE_CONSENT_METHODS = [
  'banner',
  'preference-center',
  'api',
  'form',
  'email',
  'in-person',
  'tcf',
  'import',
] as const;
/**
 * Methods that can only ever record a refusal: browser signals (Global Privacy Control,
 * Do-Not-Track) and presumed consent (a default, a pre-checked box, "continued browsing" ...).
 * A grant carrying one of these is rejected with `CONSENT_NOT_AFFIRMATIVE`.
 */
export const NON_AFFIRMATIVE_CONSENT_METHODS = [
  'gpc',
  'dnt',
  'default',
  'pre-checked',
  'pre-ticked',
  'implied',
  'inferred',
  'opt-out',
  'continued-browsing',
  'inactivity',
] as const;
/** Every method a consent record may name. */
export const CONSENT_METHODS = [...AFFIRMATIVE_CONSENT_METHODS, ...NON_AFFIRMATIVE_CONSENT_METHODS] as const;
/** How a consent act happened. */
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** Size caps on one consent record input. */
export const CONSENT_RECORD_LIMITS = Object.freeze({
  /** Largest serialised input accepted, in characters. */
  maxInputChars: 4096,
  /** Longest free-text field (`source`, `reason`). */
  maxText: 256,
});

/** A subject id: pseudonymous, letters, digits and `. _ : @ -`, at most 128 characters. */
export const ConsentSubjectIdSchema = SubjectSchema.shape.id;

/** The notice a person saw: the version of the whole notice and the hash of this purpose's section. */
export const ConsentNoticeSchema = z.strictObject({
  version: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(64),
      z.regex(/^[A-Za-z0-9._:+-]+$/, 'use a version label such as "2026-01" or "3.1.0"'),
    ),
  hash: z
    .string()
    .check(
      z.minLength(8),
      z.maxLength(128),
      z.regex(/^[A-Za-z0-9:+/=_-]+$/, 'use the hash of the purpose section of the notice (hex or base64)'),
    ),
});
/** The notice a person saw. */
export type ConsentNotice = z.infer<typeof ConsentNoticeSchema>;

/** Who acted: the person themself, or a guardian on their behalf (e.g. for a child). */
export const ConsentActorSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('self') }),
  z.strictObject({
    type: z.literal('guardian'),
    /** The guardian's own pseudonymous subject id. */
    guardianId: ConsentSubjectIdSchema,
    /** How the guardian relates to the person ("parent", "legal-guardian" ...). */
    relationship: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  }),
]);
/** Who acted. */
export type ConsentActor = z.infer<typeof ConsentActorSchema>;

const Iso = z.iso.datetime({ offset: true });

/**
 * One consent act as a caller states it. The store assigns `id`, `recordedAt` (server time, never
 * the client's), the links and the hash. Unknown keys are rejected, `recordedAt` included.
 */
export const ConsentRecordInputSchema = z.strictObject({
  /** The person's pseudonymous id. */
  subject: ConsentSubjectIdSchema,
  /** The purpose consented to (a taxonomy id). */
  purpose: TaxonomyIdSchema,
  status: z.enum(CONSENT_RECORD_STATUSES),
  /** The notice the person saw. Required for a grant. */
  notice: z.optional(ConsentNoticeSchema),
  method: z.enum(CONSENT_METHODS, {
    error: `use one of: ${CONSENT_METHODS.join(', ')}`,
  }),
  /** Where the act happened: an app, a page, a campaign ("web:/settings/privacy"). */
  source: z.optional(z.string().check(z.minLength(1), z.maxLength(CONSENT_RECORD_LIMITS.maxText))),
  /** The language the notice was shown in (BCP 47). */
  locale: z.optional(
    z
      .string()
      .check(
        z.maxLength(35),
        z.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'use a BCP 47 language tag such as "vi-VN"'),
      ),
  ),
  /** The law the act was collected under: "EU", "VN", "US-CA" ... */
  jurisdiction: z.optional(
    z
      .string()
      .check(z.regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'use an ISO 3166 code such as "VN", "EU" or "US-CA"')),
  ),
  /** When a grant lapses (ISO 8601); it then counts as denied. */
  expiresAt: z.optional(Iso),
  actor: z._default(ConsentActorSchema, { type: 'self' }),
  /** Why, in a few words (e.g. "gpc" for a denial recorded from a browser signal). */
  reason: z.optional(z.string().check(z.minLength(1), z.maxLength(CONSENT_RECORD_LIMITS.maxText))),
});
/** One consent act as a caller writes it. */
export type ConsentRecordInput = z.input<typeof ConsentRecordInputSchema>;
/** One consent act after validation. */
export type ValidConsentRecordInput = z.output<typeof ConsentRecordInputSchema>;

/** A stored consent record: append-only, linked to the subject's previous record and hashed. */
export interface ConsentRecord {
  /** Unique record id, assigned by the store. */
  readonly id: string;
  /** Position in the subject's chain: 1 for the first record (or the first after an erasure). */
  readonly seq: number;
  readonly subject: string;
  readonly purpose: string;
  readonly status: ConsentRecordStatus;
  /** Server time the store wrote the record (ISO 8601, UTC, milliseconds). */
  readonly recordedAt: string;
  readonly notice?: ConsentNotice;
  readonly method: ConsentMethod;
  readonly source?: string;
  readonly locale?: string;
  readonly jurisdiction?: string;
  readonly expiresAt?: string;
  readonly actor: ConsentActor;
  readonly reason?: string;
  /** The subject's previous record (any purpose), or null for the first of the chain. */
  readonly previousId: string | null;
  /** The hash of the previous record, or null for the first of the chain. */
  readonly previousHash: string | null;
  /** The previous record for the same purpose, which this one supersedes, or null. */
  readonly supersedes: string | null;
  /** SHA-256 (hex) of {@link canonicalConsentRecord} of this record: tamper evidence. */
  readonly hash: string;
}

/** A consent record before its hash is computed. */
export type UnhashedConsentRecord = Omit<ConsentRecord, 'hash'>;

/** Proof that a subject's consent history was erased; the only trace a store keeps. */
export interface ConsentErasureReceipt {
  readonly subject: string;
  /** How many records were erased (0 when there was nothing left to erase). */
  readonly erased: number;
  /** Server time of the erasure (ISO 8601). */
  readonly erasedAt: string;
  /** The hash of the last erased record (the head of the erased chain), or null. */
  readonly lastHash: string | null;
}

/**
 * The contract every consent store implements (memory, SQLite, PostgreSQL ...). Records are
 * append-only; every write is durable before its promise resolves; an invalid input throws a
 * `TactfulError` and changes nothing. Prove an implementation with `describeConsentStoreConformance`
 * from `@tactful/testing`.
 */
export interface ConsentStore {
  /** Validates and appends one record; returns it as stored. */
  append(input: ConsentRecordInput): Promise<ConsentRecord>;
  /** Appends several records atomically (all or none), in order. */
  appendAll(inputs: ReadonlyArray<ConsentRecordInput>): Promise<ConsentRecord[]>;
  /**
   * The latest record per purpose for the subject (empty for an unknown subject). A store may
   * answer with the value itself when it holds it without waiting and knows it is current (an
   * in-memory map, a read cache that tracks every write); callers await it either way. A bad
   * subject id rejects (never throws synchronously).
   */
  latest(subject: string): Awaitable<ReadonlyMap<string, ConsentRecord>>;
  /** Every record of the subject, oldest first. */
  history(subject: string): Promise<ConsentRecord[]>;
  /**
   * Erases every record of the subject, keeping only a minimal tombstone (the receipt). Idempotent:
   * a second call erases 0 records.
   */
  eraseSubject(subject: string): Promise<ConsentErasureReceipt>;
  /** The latest erasure receipt of the subject, if any. */
  erasure(subject: string): Promise<ConsentErasureReceipt | undefined>;
  /** Releases resources (closes a database the store opened itself). */
  close?(): void | Promise<void>;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Throws `INVALID_INPUT` naming the path when `value` holds a key that could pollute prototypes
 * (`__proto__`, `constructor`, `prototype`) or an object that is not plain; throws
 * `PAYLOAD_TOO_LARGE` when nesting passes `maxDepth`.
 */
export function assertSafeObject(
  value: unknown,
  what: string,
  path: Array<string | number> = [],
  maxDepth = 16,
): void {
  if (value === null || typeof value !== 'object') return;
  if (path.length > maxDepth) {
    throw new TactfulError(
      'PAYLOAD_TOO_LARGE',
      `${what}: ${formatPath(path)} is nested deeper than ${maxDepth} levels`,
      {
        path,
      },
    );
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) assertSafeObject(value[i], what, [...path, i], maxDepth);
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new TactfulError('INVALID_INPUT', `${what}: ${formatPath(path)} must be a plain object`, { path });
  }
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'symbol' || FORBIDDEN_KEYS.has(key)) {
      const at = [...path, String(key)];
      throw new TactfulError(
        'INVALID_INPUT',
        `${what}: key "${String(key)}" at ${formatPath(at)} is not allowed (it could pollute object prototypes); rename it`,
        { path: at },
      );
    }
    assertSafeObject((value as Record<string, unknown>)[key], what, [...path, key], maxDepth);
  }
}

/**
 * Names the act of a batch an error is about: `records[i]` in the message and `i` first in its
 * path and its issues' paths. Anything that is not a `TactfulError` is returned as it is.
 */
export function prefixRecordIndex(error: unknown, index: number): unknown {
  if (!isTactfulError(error)) return error;
  return new TactfulError(error.code, error.message.replace(/: /, `: records[${index}]: `), {
    path: [index, ...(error.path ?? [])],
    issues: error.issues.map((i) => ({ path: [index, ...i.path], message: i.message })),
    cause: error.cause ?? error,
  });
}

/**
 * Validates a batch of consent acts with {@link parseConsentRecordInput}, for a store's atomic
 * `appendAll`: the first bad act throws, and in a batch of more than one its error names the act
 * ({@link prefixRecordIndex}).
 */
export function parseConsentRecordInputs(
  inputs: ReadonlyArray<unknown>,
  options: ParseConsentRecordOptions,
): ValidConsentRecordInput[] {
  return inputs.map((input, i) => {
    try {
      return parseConsentRecordInput(input, options);
    } catch (error) {
      throw inputs.length > 1 ? prefixRecordIndex(error, i) : error;
    }
  });
}

/** Options of {@link parseConsentRecordInput}. */
export interface ParseConsentRecordOptions {
  /** The store's current time, epoch ms (an expiry must lie after it). */
  now: number;
  /** When given, the purpose must be one of its purposes (`UNKNOWN_PURPOSE` otherwise). */
  taxonomy?: Taxonomy;
  /** Prefix of error messages, e.g. `consent` or `sqliteConsentStore`. */
  what?: string;
}

/**
 * Validates one consent act. Throws a `TactfulError` naming the field:
 * `PAYLOAD_TOO_LARGE` (oversize input), `INVALID_INPUT` (shape, subject id format, dates,
 * prototype-pollution keys, unknown keys such as a client-supplied `recordedAt`),
 * `UNKNOWN_PURPOSE`, and `CONSENT_NOT_AFFIRMATIVE` for a grant whose method presumes consent
 * (`default`, `pre-checked` ...) or that lacks the notice version the person saw.
 *
 * @example
 * ```ts
 * parseConsentRecordInput({ subject: 'u-1', purpose: 'measurement', status: 'granted', method: 'default' }, { now: Date.now() });
 * // throws CONSENT_NOT_AFFIRMATIVE: method "default" presumes consent ...
 * ```
 */
export function parseConsentRecordInput(
  input: unknown,
  options: ParseConsentRecordOptions,
): ValidConsentRecordInput {
  const what = options.what ?? 'consent record';
  let size: number;
  try {
    size = JSON.stringify(input ?? null).length;
  } catch (error) {
    throw new TactfulError('INVALID_INPUT', `${what}: the input must be JSON-serialisable data`, {
      cause: error,
    });
  }
  if (size > CONSENT_RECORD_LIMITS.maxInputChars) {
    throw new TactfulError(
      'PAYLOAD_TOO_LARGE',
      `${what}: the record is ${size} characters; at most ${CONSENT_RECORD_LIMITS.maxInputChars} are accepted`,
      { path: [] },
    );
  }
  assertSafeObject(input, what);
  if (input && typeof input === 'object' && 'recordedAt' in input) {
    throw new TactfulError(
      'INVALID_INPUT',
      `${what}: recordedAt is assigned by the store (server time); remove it`,
      {
        path: ['recordedAt'],
      },
    );
  }
  const raw = input as Record<string, unknown> | null;
  if (raw && typeof raw === 'object' && raw['status'] === 'granted') assertAffirmative(raw, what);
  const parsed = parseOrThrow(ConsentRecordInputSchema, input, { code: 'INVALID_INPUT', what });
  if (options.taxonomy) {
    if (!options.taxonomy.purposes.has(parsed.purpose)) {
      throw new TactfulError(
        'UNKNOWN_PURPOSE',
        `${what}: purpose: unknown purpose "${parsed.purpose}"; known purposes: ${[...options.taxonomy.purposes.keys()].join(', ')}`,
        { path: ['purpose'] },
      );
    }
  }
  if (parsed.expiresAt !== undefined) {
    const at = Date.parse(parsed.expiresAt);
    if (parsed.status !== 'granted') {
      throw new TactfulError(
        'INVALID_INPUT',
        `${what}: expiresAt: only a grant can expire; remove it from a ${parsed.status} record`,
        {
          path: ['expiresAt'],
        },
      );
    }
    if (!(at > options.now)) {
      throw new TactfulError(
        'INVALID_INPUT',
        `${what}: expiresAt: ${parsed.expiresAt} is not in the future (server time ${new Date(options.now).toISOString()})`,
        { path: ['expiresAt'] },
      );
    }
  }
  return parsed;
}

function assertAffirmative(raw: Record<string, unknown>, what: string): void {
  const method = raw['method'];
  if (typeof method === 'string' && (NON_AFFIRMATIVE_CONSENT_METHODS as readonly string[]).includes(method)) {
    throw new TactfulError(
      'CONSENT_NOT_AFFIRMATIVE',
      `${what}: method "${method}" cannot grant consent: only an affirmative act grants (use one of ${AFFIRMATIVE_CONSENT_METHODS.join(', ')}); nothing was stored`,
      { path: ['method'] },
    );
  }
  const notice = raw['notice'];
  const version =
    notice && typeof notice === 'object' ? (notice as Record<string, unknown>)['version'] : undefined;
  if (typeof version !== 'string' || version.length === 0) {
    throw new TactfulError(
      'CONSENT_NOT_AFFIRMATIVE',
      `${what}: notice.version is required for a grant: consent counts only for a notice the person saw; nothing was stored`,
      { path: ['notice', 'version'] },
    );
  }
}

/** Builds the record a store writes, before hashing. `recordedAt` is the store's clock. */
export function buildConsentRecord(
  input: ValidConsentRecordInput,
  link: {
    id: string;
    seq: number;
    recordedAt: number;
    previous?: ConsentRecord | undefined;
    supersedes?: string | null;
  },
): UnhashedConsentRecord {
  return {
    id: link.id,
    seq: link.seq,
    subject: input.subject,
    purpose: input.purpose,
    status: input.status,
    recordedAt: new Date(link.recordedAt).toISOString(),
    ...(input.notice === undefined
      ? {}
      : { notice: { version: input.notice.version, hash: input.notice.hash } }),
    method: input.method,
    ...(input.source === undefined ? {} : { source: input.source }),
    ...(input.locale === undefined ? {} : { locale: input.locale }),
    ...(input.jurisdiction === undefined ? {} : { jurisdiction: input.jurisdiction }),
    ...(input.expiresAt === undefined
      ? {}
      : { expiresAt: new Date(Date.parse(input.expiresAt)).toISOString() }),
    actor: input.actor,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    previousId: link.previous?.id ?? null,
    previousHash: link.previous?.hash ?? null,
    supersedes: link.supersedes ?? null,
  };
}

/**
 * The exact text a record's hash is computed over: the record without `hash`, as JSON with keys
 * sorted at every level. Stores in any language reproduce it byte for byte.
 */
export function canonicalConsentRecord(record: UnhashedConsentRecord | ConsentRecord): string {
  const { hash: _ignored, ...rest } = record as ConsentRecord;
  return canonicalJson(rest);
}

/**
 * SHA-256 of UTF-8 `text`, as lowercase hex: {@link sha256HexSync} (Node, browsers and edge
 * runtimes), behind the promise this function has always returned.
 */
export async function sha256Hex(text: string): Promise<string> {
  return sha256HexSync(text);
}

/** Computes a record's hash (SHA-256 hex of {@link canonicalConsentRecord}). */
export function hashConsentRecord(record: UnhashedConsentRecord | ConsentRecord): Promise<string> {
  return sha256Hex(canonicalConsentRecord(record));
}

/** The result of {@link verifyConsentChain}. */
export type ConsentChainVerification =
  | { ok: true; records: number }
  | { ok: false; records: number; index: number; recordId: string; problem: string };

/**
 * Checks a subject's history (oldest first) for tampering: each record's hash must match its
 * content, link to the previous record's id and hash, and carry consecutive `seq` numbers.
 */
export async function verifyConsentChain(
  records: ReadonlyArray<ConsentRecord>,
): Promise<ConsentChainVerification> {
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const prev = i === 0 ? undefined : records[i - 1];
    const fail = (problem: string): ConsentChainVerification => ({
      ok: false,
      records: records.length,
      index: i,
      recordId: r.id,
      problem,
    });
    if ((await hashConsentRecord(r)) !== r.hash)
      return fail('the record does not match its hash (it was altered)');
    if (prev === undefined) {
      if (r.previousId !== null || r.previousHash !== null)
        return fail('the first record links to a record that is missing');
      if (r.seq !== 1) return fail(`the first record has seq ${r.seq}, expected 1`);
    } else {
      if (r.previousId !== prev.id || r.previousHash !== prev.hash)
        return fail('the link to the previous record is broken');
      if (r.seq !== prev.seq + 1)
        return fail(`seq ${r.seq} does not follow ${prev.seq} (a record is missing)`);
      if (r.subject !== prev.subject) return fail('the chain mixes two subjects');
    }
  }
  return { ok: true, records: records.length };
}
