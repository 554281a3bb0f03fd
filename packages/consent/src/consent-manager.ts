import {
  CONSENT_METHODS,
  type ConsentChainVerification,
  type ConsentErasureReceipt,
  type ConsentMethod,
  type ConsentRecord,
  type ConsentRecordInput,
  type ConsentStore,
  type Taxonomy,
  TactfulError,
  assertSafeObject,
  defaultTaxonomy,
  parseConsentRecordInput,
  parseOrThrow,
  verifyConsentChain,
} from '@tactful/core';
import * as z from 'zod/mini';
import { type ConsentReason, type CurrentNotice, evaluateConsentRecord } from './evaluate.js';
import { type ConsentHistoryExport, type ExportLocale, renderConsentHistoryText } from './history-text.js';
import { parseSubjectId, prefixIndex } from './memory-store.js';
import { ConsentStoreOptionSchema, CurrentNoticeSchema, TaxonomyOptionSchema } from './options.js';

/** Options of {@link createConsentManager}. */
export const ConsentManagerOptionsSchema = z.strictObject({
  /** Where records are kept. */
  store: ConsentStoreOptionSchema,
  /** Purposes a record may name. Default: the built-in taxonomy. */
  taxonomy: z.optional(TaxonomyOptionSchema),
  /**
   * The current notice (`noticeVersions(notice)` from `@tactful/notice`). When given, a grant must
   * carry the current hash of its purpose's section, and older grants count as `notice-changed`.
   */
  notice: z.optional(CurrentNoticeSchema),
  /** The clock used to judge expiry (epoch ms). Default `Date.now`; records are stamped by the store. */
  clock: z.optional(
    z.custom<() => number>((v) => typeof v === 'function', { message: 'pass a function returning epoch ms' }),
  ),
});
/** Options of {@link createConsentManager}. */
export type ConsentManagerOptions = z.input<typeof ConsentManagerOptionsSchema>;

/** One consent act on one or several purposes, as the application states it. */
export interface ConsentAct {
  /** The person's pseudonymous id. */
  subject: string;
  /** The purpose, or use `purposes` for several at once (recorded atomically). */
  purpose?: string;
  /** Several purposes; for `deny`/`withdraw`, `'all'` means every purpose the person has granted. */
  purposes?: string[] | 'all';
  /** How the act happened. Required for a grant; `deny`/`withdraw` default to `api`. */
  method?: ConsentMethod;
  /** The notice the person saw: `{ version, hash }` of the purpose's section. Required for a grant. */
  notice?: { version: string; hash: string };
  source?: string;
  locale?: string;
  jurisdiction?: string;
  /** When a grant lapses (ISO 8601). */
  expiresAt?: string;
  actor?: { type: 'self' } | { type: 'guardian'; guardianId: string; relationship?: string };
  reason?: string;
}

/** One act of {@link ConsentManager.record}: a {@link ConsentAct} and what it records. */
export interface ConsentChange extends ConsentAct {
  status: 'granted' | 'denied' | 'withdrawn';
}

/** The consent of one purpose for one person, now. */
export interface PurposeConsentStatus {
  status: 'granted' | 'denied';
  reason: ConsentReason;
  /** The latest record for the purpose, when there is one. */
  record?: ConsentRecord;
}

/** Every purpose of the taxonomy with its consent for one person. */
export interface SubjectConsentState {
  subject: string;
  /** When the state was computed (ISO 8601). */
  asOf: string;
  purposes: Record<string, PurposeConsentStatus>;
}

/** The application's side of consent: record acts, read state, export and erase. */
export interface ConsentManager {
  /** Records an affirmative grant. Throws `CONSENT_NOT_AFFIRMATIVE` for a presumed one; nothing is stored on error. */
  grant(act: ConsentAct): Promise<ConsentRecord[]>;
  /** Records a refusal. */
  deny(act: ConsentAct): Promise<ConsentRecord[]>;
  /**
   * Records several acts (grants, refusals, withdrawals, each with its own notice) as ONE atomic
   * write: every record is stored, or (on any invalid act or a store failure) none is. Every act is
   * validated before the store sees any; an error's path starts with the act's index.
   */
  record(acts: ReadonlyArray<ConsentChange>): Promise<ConsentRecord[]>;
  /** Withdraws consent: one call, like granting. Applies to the very next decision. */
  withdraw(act: ConsentAct): Promise<ConsentRecord[]>;
  /** The consent of every purpose of the taxonomy for the person. */
  state(subject: string): Promise<SubjectConsentState>;
  /** Every record of the person, oldest first. */
  history(subject: string): Promise<ConsentRecord[]>;
  /** Checks the person's hash chain (tamper evidence). */
  verify(subject: string): Promise<ConsentChainVerification>;
  /** The history as machine-readable JSON. */
  exportHistory(
    subject: string,
    options: { format: 'json'; locale?: ExportLocale },
  ): Promise<ConsentHistoryExport>;
  /** The history as a printable written record, in English or Vietnamese. */
  exportHistory(subject: string, options: { format: 'text'; locale: ExportLocale }): Promise<string>;
  /** Erases the person's consent history, keeping only a tombstone receipt. Idempotent. */
  eraseSubject(subject: string): Promise<ConsentErasureReceipt>;
  /** The store, for the rights service and providers. */
  readonly store: ConsentStore;
  readonly taxonomy: Taxonomy;
}

const ActSchema = z.strictObject({
  subject: z.string(),
  purpose: z.optional(z.string()),
  purposes: z.optional(
    z.union([z.literal('all'), z.array(z.string()).check(z.minLength(1), z.maxLength(50))]),
  ),
  method: z.optional(z.enum(CONSENT_METHODS, { error: `use one of: ${CONSENT_METHODS.join(', ')}` })),
  notice: z.optional(z.unknown()),
  source: z.optional(z.unknown()),
  locale: z.optional(z.unknown()),
  jurisdiction: z.optional(z.unknown()),
  expiresAt: z.optional(z.unknown()),
  actor: z.optional(z.unknown()),
  reason: z.optional(z.unknown()),
});

const WHAT = 'consent';

/**
 * Creates the consent manager an application or server uses to record consent acts (from a
 * banner, a preference center, an API), show a person their consent, export it in writing, and
 * erase it. Grants must be affirmative and name the notice the person saw.
 *
 * @example
 * ```ts
 * const consent = createConsentManager({ store: memoryConsentStore() });
 * await consent.grant({ subject: 'u-1', purpose: 'personalization.profile', method: 'banner',
 *   notice: { version: '2026-03', hash: 'sha256-9a1c4e0b' }, locale: 'vi-VN', jurisdiction: 'VN' });
 * await consent.withdraw({ subject: 'u-1', purpose: 'personalization.profile' });
 * console.log(await consent.exportHistory('u-1', { format: 'text', locale: 'vi' }));
 * ```
 */
export function createConsentManager(options: ConsentManagerOptions): ConsentManager {
  const parsed = parseOrThrow(ConsentManagerOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'consent',
  });
  const store = parsed.store;
  const taxonomy = parsed.taxonomy ?? defaultTaxonomy;
  const notice: CurrentNotice | undefined = parsed.notice;
  const clock = parsed.clock ?? Date.now;

  async function act(status: 'granted' | 'denied' | 'withdrawn', raw: ConsentAct): Promise<ConsentRecord[]> {
    const inputs = await prepare(status, raw);
    if (inputs.length === 0) return [];
    return inputs.length === 1 ? [await store.append(inputs[0]!)] : store.appendAll(inputs);
  }

  async function record(acts: ReadonlyArray<ConsentChange>): Promise<ConsentRecord[]> {
    if (!Array.isArray(acts) || acts.length === 0 || acts.length > 50) {
      throw new TactfulError('INVALID_INPUT', `${WHAT}: record takes a list of 1 to 50 acts`, { path: [] });
    }
    const all: ConsentRecordInput[] = [];
    const seen = new Set<string>();
    for (const [i, change] of acts.entries()) {
      let inputs: ConsentRecordInput[];
      try {
        assertSafeObject(change, WHAT);
        const { status, ...rest } = change;
        if (status !== 'granted' && status !== 'denied' && status !== 'withdrawn') {
          throw new TactfulError('INVALID_INPUT', `${WHAT}: status must be granted, denied or withdrawn`, {
            path: ['status'],
          });
        }
        inputs = await prepare(status, rest);
      } catch (error) {
        throw prefixIndex(error, i);
      }
      for (const input of inputs) {
        const key = `${input.subject}\u0000${input.purpose}`;
        if (seen.has(key)) {
          throw new TactfulError(
            'INVALID_INPUT',
            `${WHAT}: records[${i}]: purpose "${input.purpose}" is already in an earlier act of this change`,
            { path: [i, 'purpose'] },
          );
        }
        seen.add(key);
        all.push(input);
      }
    }
    if (all.length === 0) return [];
    return all.length === 1 ? [await store.append(all[0]!)] : store.appendAll(all);
  }

  /** Validates one act and returns the records it makes (nothing is written). */
  async function prepare(
    status: 'granted' | 'denied' | 'withdrawn',
    raw: ConsentAct,
  ): Promise<ConsentRecordInput[]> {
    assertSafeObject(raw, WHAT);
    const a = parseOrThrow(ActSchema, raw, {
      code: 'INVALID_INPUT',
      what: `${WHAT} ${status === 'granted' ? 'grant' : status}`,
    });
    const subject = parseSubjectId(a.subject, WHAT);
    if ((a.purpose === undefined) === (a.purposes === undefined)) {
      throw new TactfulError(
        'INVALID_INPUT',
        `${WHAT}: pass either "purpose" or "purposes" (not both, not neither)`,
        {
          path: ['purpose'],
        },
      );
    }
    let purposes: string[];
    if (a.purposes === 'all') {
      if (status === 'granted') {
        throw new TactfulError(
          'CONSENT_NOT_AFFIRMATIVE',
          `${WHAT}: purposes: "all" cannot be granted at once; list the purposes the person chose`,
          {
            path: ['purposes'],
          },
        );
      }
      const latest = await store.latest(subject);
      purposes = [...latest.values()].filter((r) => r.status === 'granted').map((r) => r.purpose);
      if (purposes.length === 0) return [];
    } else {
      purposes = a.purposes ?? [a.purpose as string];
    }
    const path = (i: number): Array<string | number> =>
      a.purposes === undefined ? ['purpose'] : ['purposes', i];
    purposes.forEach((p, i) => {
      if (!taxonomy.purposes.has(p)) {
        throw new TactfulError(
          'UNKNOWN_PURPOSE',
          `${WHAT}: ${formatAt(path(i))}: unknown purpose "${p}"; known purposes: ${[...taxonomy.purposes.keys()].join(', ')}`,
          { path: path(i) },
        );
      }
      if (purposes.indexOf(p) !== i) {
        throw new TactfulError(
          'INVALID_INPUT',
          `${WHAT}: ${formatAt(path(i))}: purpose "${p}" is listed twice`,
          { path: path(i) },
        );
      }
    });
    const { purpose: _p, purposes: _ps, ...rest } = raw;
    const method: ConsentMethod | undefined = a.method ?? (status === 'granted' ? undefined : 'api');
    const inputs = purposes.map(
      (purpose) =>
        ({
          ...(rest as Partial<ConsentRecordInput>),
          subject,
          purpose,
          status,
          ...(method === undefined ? {} : { method }),
        }) as ConsentRecordInput,
    );
    // Validate every record before the store sees any, so a batch fails as a whole.
    const now = clock();
    inputs.forEach((input, i) => {
      try {
        parseConsentRecordInput(input, { now, taxonomy, what: WHAT });
      } catch (error) {
        throw inputs.length > 1 ? prefixIndex(error, i) : error;
      }
      if (status === 'granted' && notice) {
        const current = Object.hasOwn(notice.purposes, input.purpose)
          ? notice.purposes[input.purpose]
          : undefined;
        if (input.notice?.hash !== current) {
          throw new TactfulError(
            'INVALID_INPUT',
            `${WHAT}: notice.hash: the grant for "${input.purpose}" names notice section ${input.notice?.hash ?? '(none)'} but the current notice (version ${notice.version}) has ${current ?? 'no section for this purpose'}; show the current notice and record the grant against it`,
            { path: inputs.length > 1 ? [i, 'notice', 'hash'] : ['notice', 'hash'] },
          );
        }
      }
    });
    return inputs;
  }

  async function state(subject: string): Promise<SubjectConsentState> {
    const id = parseSubjectId(subject, WHAT);
    const latest = await store.latest(id);
    const now = clock();
    const purposes: Record<string, PurposeConsentStatus> = {};
    for (const [purposeId, definition] of [...taxonomy.purposes].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const record = latest.get(purposeId);
      if (!definition.requiresConsent) {
        purposes[purposeId] = { status: 'granted', reason: 'not-required', ...(record ? { record } : {}) };
        continue;
      }
      purposes[purposeId] = { ...evaluateConsentRecord(record, now, notice), ...(record ? { record } : {}) };
    }
    return { subject: id, asOf: new Date(now).toISOString(), purposes };
  }

  async function exportJson(subject: string): Promise<ConsentHistoryExport> {
    const id = parseSubjectId(subject, WHAT);
    const [records, current, erasure] = await Promise.all([store.history(id), state(id), store.erasure(id)]);
    return {
      format: 'tactful.consent-history.v1',
      subject: id,
      exportedAt: new Date(clock()).toISOString(),
      records,
      integrity: await verifyConsentChain(records),
      current: Object.fromEntries(
        Object.entries(current.purposes).map(([p, s]) => [p, { status: s.status, reason: s.reason }]),
      ),
      ...(erasure ? { erasure } : {}),
    };
  }

  async function exportHistory(
    subject: string,
    opts: { format: 'json'; locale?: ExportLocale },
  ): Promise<ConsentHistoryExport>;
  async function exportHistory(
    subject: string,
    opts: { format: 'text'; locale: ExportLocale },
  ): Promise<string>;
  async function exportHistory(
    subject: string,
    opts: { format: 'json' | 'text'; locale?: ExportLocale },
  ): Promise<ConsentHistoryExport | string> {
    const o = parseOrThrow(
      z.strictObject({ format: z.enum(['json', 'text']), locale: z.optional(z.enum(['en', 'vi'])) }),
      opts,
      { code: 'INVALID_INPUT', what: `${WHAT} export options` },
    );
    const data = await exportJson(subject);
    return o.format === 'json'
      ? data
      : renderConsentHistoryText(data, { locale: o.locale ?? 'en', taxonomy });
  }

  return {
    store,
    taxonomy,
    grant: (a) => act('granted', a),
    deny: (a) => act('denied', a),
    record,
    withdraw: (a) => act('withdrawn', a),
    state,
    history: (subject) => store.history(parseSubjectId(subject, WHAT)),
    verify: async (subject) => verifyConsentChain(await store.history(parseSubjectId(subject, WHAT))),
    exportHistory,
    eraseSubject: (subject) => store.eraseSubject(parseSubjectId(subject, WHAT)),
  };
}

function formatAt(path: Array<string | number>): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : p))
    .join('.')
    .replace('.[', '[');
}
