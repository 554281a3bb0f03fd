import {
  type PluginCallContext,
  type SubjectDataExport,
  type SubjectStore,
  TactfulError,
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
  SubjectExportDocumentSchema,
} from './export-document.js';
import {
  JURISDICTIONS,
  type JurisdictionRule,
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
import { resolveHolders } from './rights-holders.js';
import { isSubjectCategory, parseRectification, rectifySubjectStore } from './rectify.js';
import {
  type AuditLike,
  type Rectification,
  type RightsRequestOptions,
  type RightsService,
  type RightsServiceOptions,
  RightsServiceOptionsSchema,
} from './rights-options.js';
import { hasMethod } from './has-method.js';

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
  for (const [i, j] of (opts.applicable ?? []).entries()) {
    if (!rules[j])
      throw new TactfulError(
        'INVALID_OPTIONS',
        `createRightsService: applicable jurisdiction "${j}" is not in the table; use one of ${Object.keys(rules).join(', ')} (or add it with the "jurisdictions" option)`,
        { path: ['applicable', i] },
      );
  }
  // The rules "strictest" chooses from: the service's own jurisdictions, not the whole table.
  const applicable: Record<string, JurisdictionRule> = opts.applicable
    ? Object.fromEntries(opts.applicable.map((j) => [j, rules[j]!]))
    : rules;
  const { stores, consents, sources, names } = resolveHolders(opts, taxonomy);

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
    if (j === 'strictest') return strictestDueDates(applicable, type, received);
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
  const trails = opts.audit === undefined ? [] : Array.isArray(opts.audit) ? opts.audit : [opts.audit];
  /** Every rights request is an audit entry; a failed write fails the request (it is safe to repeat). */
  const audited = async (entry: Parameters<NonNullable<AuditLike['recordRights']>>[0]) => {
    for (const [i, t] of trails.entries()) {
      if (typeof t.recordRights !== 'function') continue;
      try {
        await t.recordRights(entry);
      } catch (e) {
        throw failed('audit', t.name ?? (trails.length === 1 ? 'audit' : `audit-${i + 1}`), e);
      }
    }
  };
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
      const checked = parseOrThrow(SubjectExportDocumentSchema, doc, {
        code: 'STORE_FAILED',
        what: 'export document (a store returned data outside the published schema)',
      });
      await audited({ type: 'access', requestId: req.id, receivedAt: req.receivedAt, subject: id });
      return checked;
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
        (s): s is SubjectStore => s.kind === 'subject' && hasMethod(s, 'declarePreferences'),
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
      await audited({
        type: 'rectification',
        requestId: req.id,
        receivedAt: req.receivedAt,
        subject: id,
        categories: applied.map((a) => a.category),
      });
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
      await audited({ type: 'erasure', requestId: req.id, receivedAt: req.receivedAt });
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
/**
 * An audit section holds nothing about the person when its only entries are the record of their own
 * rights requests (every request is audited, so the export made right after an erasure would
 * otherwise never say "nothing held"). The entries are still in the export.
 */
function hasNoEntries(v: unknown): boolean {
  const entries = v !== null && typeof v === 'object' ? (v as { entries?: unknown }).entries : undefined;
  return Array.isArray(entries) && entries.every(isRightsRequestEntry);
}

function isRightsRequestEntry(entry: unknown): boolean {
  return (
    entry !== null &&
    typeof entry === 'object' &&
    'rights' in entry &&
    (entry as { rights?: unknown }).rights != null
  );
}

function isEmptyJson(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v).every(isEmptyJson);
  return false;
}
