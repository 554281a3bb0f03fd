import {
  type DataSourceQuery,
  defineDataSource,
  parseOrThrow,
  PluginNameSchema,
  type Subject,
  SubjectSchema,
  TactfulError,
  TaxonomyIdSchema,
} from '@tactful/core';
import { z } from 'zod';
import { jsonProblem } from '../output-checks.js';

/** Options of {@link referenceDataSource}. */
export const ReferenceDataSourceOptionsSchema = z.object({
  /** The plugin name (default `tactful-reference-source`). */
  name: z._default(PluginNameSchema, 'tactful-reference-source'),
  /** The categories it provides. */
  categories: z
    .array(TaxonomyIdSchema)
    .min(1)
    .default(['profile.preferences', 'profile.attributes', 'behavior.purchases']),
  /** How long it keeps data, in days (stated in the manifest). */
  retentionDays: z.number().int().positive().max(36_500).default(365),
  /** Initial data: subject id → category → value. */
  records: z.record(SubjectSchema.shape.id, z.record(z.string(), z.json())).default({}),
});
/** Options of {@link referenceDataSource}, as written. */
export type ReferenceDataSourceOptions = z.input<typeof ReferenceDataSourceOptionsSchema>;

/**
 * The in-memory reference data source: holds category values per subject, loads only what it is
 * asked for and provides, serves export, erase and rectify (P6), returns copies (callers cannot
 * change what it holds), honours its abort signal, and passes the data source suite. `put` seeds
 * data in tests.
 *
 * @example
 * ```ts
 * const source = referenceDataSource({ categories: ['profile.preferences'] });
 * source.put({ id: 'u-1' }, 'profile.preferences', { interests: ['kids'], notInterested: [], answers: {} });
 * ```
 */
export function referenceDataSource(options: ReferenceDataSourceOptions = {}) {
  const parsed = parseOrThrow(ReferenceDataSourceOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'tactful-reference-source',
  });
  const { name } = parsed;
  const provided = new Set(parsed.categories);
  const held = new Map<string, Map<string, unknown>>();
  const put = (subject: Subject, category: string, value: unknown): void => {
    if (!provided.has(category)) {
      throw new TactfulError('INVALID_INPUT', `${name}: does not provide category "${category}"`, {
        plugin: name,
        path: ['category'],
      });
    }
    const problem = jsonProblem(value);
    if (problem)
      throw new TactfulError('INVALID_INPUT', `${name}: ${problem}`, { plugin: name, path: ['value'] });
    const id = parseOrThrow(SubjectSchema, subject, {
      code: 'INVALID_INPUT',
      what: 'subject',
      plugin: name,
    }).id;
    const rows = held.get(id) ?? new Map<string, unknown>();
    rows.set(category, structuredClone(value));
    held.set(id, rows);
  };
  for (const [id, rows] of Object.entries(parsed.records)) {
    for (const [category, value] of Object.entries(rows)) put({ id }, category, value);
  }

  return defineDataSource({
    manifest: {
      name,
      version: '0.1.0',
      core: '^0.1.0',
      provides: parsed.categories.map((category) => ({ category, retentionDays: parsed.retentionDays })),
      requiresSubject: true,
      rights: { export: true, erase: true, rectify: true },
    },
    load(query: DataSourceQuery, { signal }) {
      signal.throwIfAborted();
      const rows = query.subject ? held.get(query.subject.id) : undefined;
      const out: Record<string, unknown> = {};
      if (!rows) return out;
      for (const category of query.categories) {
        if (provided.has(category) && rows.has(category)) out[category] = structuredClone(rows.get(category));
      }
      return out;
    },
    async export(subject, { signal }) {
      signal.throwIfAborted();
      return Object.fromEntries(
        [...(held.get(subject.id) ?? new Map<string, unknown>())].map(([c, v]) => [c, structuredClone(v)]),
      );
    },
    async erase(subject, { signal }) {
      signal.throwIfAborted();
      const erased = held.get(subject.id)?.size ?? 0;
      held.delete(subject.id);
      return { erased };
    },
    async rectify(subject, category, value, { signal }) {
      signal.throwIfAborted();
      put(subject, category, value);
    },
    /** Seeds a value (tests and demos). */
    put,
  });
}
