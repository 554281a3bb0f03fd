import {
  type ConsentStore,
  type DataSource,
  type PluginCallContext,
  type SubjectDataExport,
  type SubjectDataHolder,
  type SubjectStore,
  TactfulError,
  type Taxonomy,
  defaultTaxonomy,
  isSubjectDataEmpty,
  isTactfulError,
  parseOrThrow,
  parseSubjectId,
  parseSubjectInput,
  randomHashKey,
  subjectHash,
} from '@tactful/core';
import { z } from 'zod';
import {
  type ExportSection,
  SUBJECT_EXPORT_FORMAT,
  SUBJECT_EXPORT_VERSION,
  type RightsRequest,
  type SubjectExportDocument,
  SubjectExportDocumentSchema,
} from './export-document.js';
import {
  JURISDICTIONS,
  type JurisdictionRule,
  JurisdictionRuleSchema,
  type RightsRequestType,
  computeDueDates,
  strictestDueDates,
  type DueDates,
} from './jurisdictions.js';
import {
  type ErasureReceipt,
  ErasureReceiptSchema,
  type RectificationReceipt,
  RectificationReceiptSchema,
} from './receipts.js';
import { isSubjectCategory, parseRectification, rectifySubjectStore } from './rectify.js';

const fn = (v: unknown, m: string) =>
  typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>)[m] === 'function';

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
        (v) => fn(v, 'load') && typeof (v as DataSource).manifest === 'object',
        'must be a DataSource',
      ),
    )
    .default([]),
  /** The consent store(s): their history joins the export, and erasure erases it. */
  consent: z
    .union([
      z.custom<ConsentStore>((v) => fn(v, 'history') && fn(v, 'eraseSubject'), 'must be a ConsentStore'),
      z.array(
        z.custom<ConsentStore>((v) => fn(v, 'history') && fn(v, 'eraseSubject'), 'must be a ConsentStore'),
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
        (v) => fn(v, 'exportSubject') && fn(v, 'eraseSubject'),
        'must be an audit trail (exportSubject, eraseSubject)',
      ),
      z.array(
        z.custom<AuditLike>(
          (v) => fn(v, 'exportSubject') && fn(v, 'eraseSubject'),
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
  /** The jurisdiction of requests that name none; `strictest` (default) takes the earliest deadline of all rules. */
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
  taxonomy: z.custom<Taxonomy>((v) => fn(v, 'category'), 'must be a Taxonomy').optional(),
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

interface Named<T> {
  name: string;
  value: T;
}

/**
 * Creates the rights service: access/export, rectification and erasure over every registered store
 * and data source, each request with deadlines from the jurisdiction table. Registration is checked
 * up front: a store or personal-data source that cannot erase is refused (`ERASURE_UNSUPPORTED`)
 * unless listed in `retain` with a reason.
 *
 * @example
 * ```ts
 * const rights = createRightsService({ stores: [subjects], consent: consentStore, sources: [subjectSource({ store: subjects })] });
 * const doc = await rights.export('u-42', { jurisdiction: 'VN' });
 * const receipt = await rights.erase('u-42', { jurisdiction: 'VN' });
 * ```
 */
export function createRightsService(options: RightsServiceOptions): RightsService {
  const opts = parseOrThrow(RightsServiceOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'createRightsService',
  });
  const clock = opts.now ?? Date.now;
  const key = opts.hashKey ?? randomHashKey();
  const taxonomy = opts.taxonomy ?? defaultTaxonomy;
  const rules: Record<string, JurisdictionRule> = { ...JURISDICTIONS, ...opts.jurisdictions };
  if (opts.defaultJurisdiction !== 'strictest' && !rules[opts.defaultJurisdiction]) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `createRightsService: defaultJurisdiction "${opts.defaultJurisdiction}" is not in the table; use one of strictest, ${Object.keys(rules).join(', ')}`,
      {
        path: ['defaultJurisdiction'],
      },
    );
  }
  const retained = new Map(opts.retain.map((r) => [r.name, r.reason]));
  const audits = opts.audit === undefined ? [] : Array.isArray(opts.audit) ? opts.audit : [opts.audit];
  const stores: SubjectDataHolder[] = [
    ...opts.stores,
    ...audits.map(
      (a, i): SubjectDataHolder => ({
        name: a.name ?? (audits.length === 1 ? 'audit' : `audit-${i + 1}`),
        kind: 'audit',
        exportSubject: (id) => a.exportSubject(id),
        erase: (id) => a.eraseSubject(id),
      }),
    ),
  ];
  const storeSet = new Set<unknown>(stores);
  const consents: Named<ConsentStore>[] = (
    opts.consent === undefined ? [] : Array.isArray(opts.consent) ? opts.consent : [opts.consent]
  ).map((c, i, all) => ({
    name: (c as { name?: string }).name ?? (all.length === 1 ? 'consent' : `consent-${i + 1}`),
    value: c,
  }));
  // A subjectSource over a registered store is covered by that store: not exported or erased twice.
  const sources = opts.sources.filter((s) => !storeSet.has((s as { store?: unknown }).store));

  const names = new Set<string>();
  const register = (name: string, path: ReadonlyArray<string | number>) => {
    if (names.has(name))
      throw new TactfulError(
        'INVALID_CONFIG',
        `createRightsService: two holders are named "${name}"; give each store a unique name`,
        { path },
      );
    names.add(name);
  };
  stores.forEach((s, i) => {
    register(s.name, ['stores', i]);
    if (typeof s.erase !== 'function' && !retained.has(s.name)) {
      throw new TactfulError(
        'ERASURE_UNSUPPORTED',
        `createRightsService: store "${s.name}" cannot erase; implement erase(subjectId), or list it in "retain" with the reason it may keep data`,
        { path: ['stores', i] },
      );
    }
  });
  consents.forEach((c, i) => {
    register(c.name, ['consent', i]);
  });
  sources.forEach((s, i) => {
    const m = s.manifest;
    register(m.name, ['sources', i]);
    const personal =
      m.requiresSubject && m.provides.some((p) => taxonomy.categories.get(p.category)?.personal ?? true);
    if (personal && !m.rights.erase && !retained.has(m.name)) {
      throw new TactfulError(
        'ERASURE_UNSUPPORTED',
        `createRightsService: source "${m.name}" holds personal data but declares rights.erase = false; implement erase, or list it in "retain" with the reason it may keep data`,
        { path: ['sources', i], plugin: m.name },
      );
    }
  });
  opts.retain.forEach((r, i) => {
    const store = stores.find((s) => s.name === r.name);
    const source = sources.find((s) => s.manifest.name === r.name);
    if (!store && !source) {
      throw new TactfulError(
        'INVALID_CONFIG',
        `createRightsService: retain[${i}] names "${r.name}", which is not registered`,
        { path: ['retain', i, 'name'] },
      );
    }
    if ((store && typeof store.erase === 'function') || source?.manifest.rights.erase) {
      throw new TactfulError(
        'INVALID_CONFIG',
        `createRightsService: "${r.name}" can erase, so it may not be listed in retain`,
        { path: ['retain', i, 'name'] },
      );
    }
  });

  const dueDates = (type: RightsRequestType, o: RightsRequestOptions = {}): DueDates => {
    let received = clock();
    if (o.receivedAt !== undefined) {
      received = typeof o.receivedAt === 'number' ? o.receivedAt : Date.parse(o.receivedAt);
      if (
        !Number.isFinite(received) ||
        (typeof o.receivedAt === 'string' &&
          !z.iso.datetime({ offset: true }).safeParse(o.receivedAt).success)
      ) {
        throw new TactfulError(
          'INVALID_INPUT',
          `receivedAt: "${String(o.receivedAt)}" is not a valid ISO 8601 date-time`,
          { path: ['receivedAt'] },
        );
      }
    }
    const j = o.jurisdiction ?? opts.defaultJurisdiction;
    if (j === 'strictest') return strictestDueDates(rules, type, received);
    const rule = rules[j];
    if (!rule) {
      throw new TactfulError(
        'INVALID_INPUT',
        `jurisdiction: "${j}" is not in the table; use one of ${Object.keys(rules).join(', ')} (or add it with the "jurisdictions" option)`,
        {
          path: ['jurisdiction'],
        },
      );
    }
    return computeDueDates(j, rule, type, received);
  };
  const request = (type: RightsRequestType, o?: RightsRequestOptions): RightsRequest => ({
    id: crypto.randomUUID(),
    type,
    ...dueDates(type, o),
  });
  const ctx = (): PluginCallContext => ({
    signal: AbortSignal.timeout(opts.sourceTimeoutMs),
    traceId: crypto.randomUUID().replaceAll('-', ''),
  });
  const failed = (what: string, name: string, error: unknown) =>
    new TactfulError(
      'STORE_FAILED',
      `${what}: "${name}" failed: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        path: [name],
        ...(isTactfulError(error) && error.plugin ? { plugin: error.plugin } : {}),
      },
    );
  const json = (v: unknown): z.infer<ReturnType<typeof z.json>> =>
    v === undefined ? null : JSON.parse(JSON.stringify(v));

  const service: RightsService = {
    holders: Object.freeze([...names]),
    dueDates,

    async export(subjectId, o) {
      const id = parseSubjectId(subjectId);
      const req = request('access', o);
      const sections: ExportSection[] = [];
      const omitted: Array<{ name: string; reason: string }> = [];
      let empty = true;
      for (const s of stores) {
        if (typeof s.exportSubject !== 'function') {
          omitted.push({ name: s.name, reason: 'this store does not implement exportSubject' });
          continue;
        }
        let data: unknown;
        try {
          data = await s.exportSubject(id);
        } catch (e) {
          throw failed('export', s.name, e);
        }
        if (s.kind === 'subject') {
          sections.push({ kind: 'subject', name: s.name, data: data as SubjectDataExport });
          empty &&= isSubjectDataEmpty(data as SubjectDataExport);
        } else {
          const value = json(data);
          sections.push({ kind: s.kind === 'audit' ? 'audit' : 'store', name: s.name, data: value });
          empty &&= isEmptyJson(value) || (s.kind === 'audit' && hasNoEntries(value));
        }
      }
      for (const c of consents) {
        let records: unknown[];
        try {
          records = await c.value.history(id);
        } catch (e) {
          throw failed('export', c.name, e);
        }
        sections.push({ kind: 'consent', name: c.name, records: json(records) as never });
        empty &&= records.length === 0;
      }
      for (const s of sources) {
        const name = s.manifest.name;
        if (!s.manifest.rights.export || typeof s.export !== 'function') {
          if (s.manifest.requiresSubject)
            omitted.push({
              name,
              reason: 'this data source does not support export (rights.export = false)',
            });
          continue;
        }
        let categories: Record<string, unknown>;
        try {
          categories = await s.export({ id }, ctx());
        } catch (e) {
          throw failed('export', name, e);
        }
        const value = json(categories) as Record<string, z.infer<ReturnType<typeof z.json>>>;
        sections.push({ kind: 'source', name, categories: value });
        empty &&= Object.values(value).every(isEmptyJson);
      }
      const doc = {
        format: SUBJECT_EXPORT_FORMAT,
        version: SUBJECT_EXPORT_VERSION,
        subject: { id },
        generatedAt: new Date(clock()).toISOString(),
        request: req,
        empty,
        sections,
        omitted,
      } as const;
      return parseOrThrow(SubjectExportDocumentSchema, doc, {
        code: 'STORE_FAILED',
        what: 'export document (a store returned data outside the published schema)',
      });
    },

    async rectify(subjectId, changes, o) {
      const id = parseSubjectId(subjectId);
      if (!Array.isArray(changes) || changes.length === 0 || changes.length > 50) {
        throw new TactfulError(
          'INVALID_INPUT',
          'changes: give 1 to 50 corrections, each { category, value }',
          { path: ['changes'] },
        );
      }
      const subjectStores = stores.filter(
        (s): s is SubjectStore => s.kind === 'subject' && fn(s, 'declarePreferences'),
      );
      const plan = changes.map((c, i) => {
        const category = (c as { category?: unknown })?.category;
        const targets = sources.filter(
          (s) => s.manifest.rights.rectify && s.manifest.provides.some((p) => p.category === category),
        );
        if (isSubjectCategory(category)) {
          const parsed = parseRectification(category, (c as Rectification).value, ['changes', i]);
          if (subjectStores.length === 0 && targets.length === 0) {
            throw new TactfulError(
              'UNKNOWN_CATEGORY',
              `changes[${i}].category: no registered store or source holds "${category}"`,
              { path: ['changes', i, 'category'] },
            );
          }
          return { category, value: parsed.value, stores: subjectStores, targets };
        }
        if (targets.length === 0) {
          throw new TactfulError(
            'UNKNOWN_CATEGORY',
            `changes[${i}].category: no registered store or source can rectify "${String(category)}"`,
            {
              path: ['changes', i, 'category'],
            },
          );
        }
        const value = parseSubjectInput(z.json(), (c as Rectification).value, ['changes', i, 'value']);
        return { category: category as string, value, stores: [] as SubjectStore[], targets };
      });
      const req = request('rectification', o);
      const applied: RectificationReceipt['changes'] = [];
      for (const step of plan) {
        const holders: string[] = [];
        for (const s of step.stores) {
          try {
            await rectifySubjectStore(
              s,
              id,
              step.category as Parameters<typeof rectifySubjectStore>[2],
              step.value,
            );
          } catch (e) {
            throw failed('rectify', s.name, e);
          }
          holders.push(s.name);
        }
        for (const s of step.targets) {
          try {
            await s.rectify?.({ id }, step.category, step.value, ctx());
          } catch (e) {
            throw failed('rectify', s.manifest.name, e);
          }
          holders.push(s.manifest.name);
        }
        applied.push({ category: step.category, holders });
      }
      return RectificationReceiptSchema.parse({
        id: req.id,
        subjectHash: await subjectHash(key, id),
        request: req,
        completedAt: new Date(clock()).toISOString(),
        changes: applied,
      });
    },

    async erase(subjectId, o) {
      const id = parseSubjectId(subjectId);
      const req = request('erasure', o);
      const holders: ErasureReceipt['holders'] = [];
      const errors: TactfulError[] = [];
      for (const s of stores) {
        if (typeof s.erase !== 'function') continue;
        try {
          holders.push({ name: s.name, kind: s.kind ?? 'store', erased: (await s.erase(id)).erased });
        } catch (e) {
          errors.push(failed('erase', s.name, e));
        }
      }
      for (const c of consents) {
        try {
          holders.push({ name: c.name, kind: 'consent', erased: (await c.value.eraseSubject(id)).erased });
        } catch (e) {
          errors.push(failed('erase', c.name, e));
        }
      }
      for (const s of sources) {
        if (!s.manifest.rights.erase || typeof s.erase !== 'function') continue;
        try {
          holders.push({
            name: s.manifest.name,
            kind: 'source',
            erased: (await s.erase({ id }, ctx())).erased,
          });
        } catch (e) {
          errors.push(failed('erase', s.manifest.name, e));
        }
      }
      if (errors.length > 0) {
        throw new TactfulError(
          'STORE_FAILED',
          `erase: incomplete, ${errors.map((e) => e.message).join('; ')}. The other holders were erased; call erase again (it is idempotent)`,
          {
            cause: new AggregateError(errors),
            issues: errors.map((e) => ({ path: e.path ?? [], message: e.message })),
          },
        );
      }
      const erased = holders.reduce((n, h) => n + h.erased, 0);
      return ErasureReceiptSchema.parse({
        id: req.id,
        subjectHash: await subjectHash(key, id),
        request: req,
        completedAt: new Date(clock()).toISOString(),
        holders,
        erased,
        alreadyErased: erased === 0,
        retained: opts.retain.map((r) => ({ name: r.name, reason: r.reason })),
      });
    },
  };
  return Object.freeze(service);
}

/** An audit export like `{ subject: pseudonym, entries: [] }` holds nothing about the person. */
function hasNoEntries(v: unknown): boolean {
  const entries = v !== null && typeof v === 'object' ? (v as { entries?: unknown }).entries : undefined;
  return Array.isArray(entries) && entries.length === 0;
}

function isEmptyJson(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v).every(isEmptyJson);
  return false;
}
