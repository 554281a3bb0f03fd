import {
  type DataSource,
  type PluginCallContext,
  PluginNameSchema,
  type Subject,
  type SubjectStore,
  TactfulError,
  defineDataSource,
  isCallAborted,
  isThenable,
  parseOrThrow,
} from '@tactful/core';
import { z } from 'zod';
import { version } from '../package.json';
import {
  SUBJECT_CATEGORIES,
  type SubjectCategory,
  parseRectification,
  rectifySubjectStore,
} from './rectify.js';

const isStore = (v: unknown): v is SubjectStore =>
  typeof v === 'object' &&
  v !== null &&
  (v as { kind?: unknown }).kind === 'subject' &&
  typeof (v as SubjectStore).exportSubject === 'function';

/** Options of {@link subjectSource}. */
export const SubjectSourceOptionsSchema = z.strictObject({
  /** The store holding the data (`memorySubjectStore()`, `sqliteSubjectStore(...)` ...). */
  store: z.custom<SubjectStore>(isStore, 'must be a SubjectStore, e.g. memorySubjectStore()'),
  /** The plugin name. Default `tactful-subject`. */
  name: z.optional(PluginNameSchema),
  /** The categories to provide (default: all six). */
  categories: z.array(z.enum(SUBJECT_CATEGORIES)).min(1).optional(),
});
/** Options of {@link subjectSource}. */
export type SubjectSourceOptions = z.input<typeof SubjectSourceOptionsSchema>;

/** A data source over a subject store; `store` is the store it reads. */
export type SubjectSource = DataSource & {
  readonly store: SubjectStore;
  export(subject: Subject, ctx?: PluginCallContext): Promise<Record<string, unknown>>;
  erase(subject: Subject, ctx?: PluginCallContext): Promise<{ erased: number }>;
  rectify(subject: Subject, category: string, value: unknown, ctx?: PluginCallContext): Promise<void>;
};

/**
 * A data source for the orchestrator over a {@link @tactful/core!SubjectStore | SubjectStore}: provides `profile.preferences`,
 * `profile.attributes` (zero-party), `behavior.purchases`, `behavior.pageviews`, `behavior.cart`
 * (first-party, within retention) and `derived.segments`, and serves the person's rights (export,
 * erase, rectify). Loads only the categories a decision asks for, only for a known subject.
 *
 * @example
 * ```ts
 * const store = memorySubjectStore();
 * const orchestrator = createOrchestrator({ consent: [optInConsent({ store: consentStore })], sources: [subjectSource({ store })], strategies: [segments(...)] });
 * ```
 */
export function subjectSource(options: SubjectSourceOptions): SubjectSource {
  const opts = parseOrThrow(SubjectSourceOptionsSchema, options, {
    code: 'INVALID_OPTIONS',
    what: 'options',
    plugin: 'subjectSource',
  });
  const store = opts.store;
  const provided = new Set<SubjectCategory>(opts.categories ?? SUBJECT_CATEGORIES);
  const retention: Partial<Record<SubjectCategory, number>> = store.retention;

  const dataOf = (events: ReadonlyArray<{ data: unknown }>) => events.map((e) => e.data);
  /** One category's value from the store: a value when the store answers at once, else a promise. */
  const readCategory = (category: SubjectCategory, id: string, at: { now: number }): unknown => {
    switch (category) {
      case 'profile.preferences':
        return store.getPreferences(id);
      case 'profile.attributes':
        return store.getAttributes(id);
      case 'behavior.purchases':
      case 'behavior.pageviews': {
        const events = store.listEvents(id, category, at);
        return isThenable(events) ? Promise.resolve(events).then(dataOf) : dataOf(events);
      }
      case 'behavior.cart':
        return store.getCart(id, at);
      case 'derived.segments':
        return store.getSegments(id, at);
    }
  };

  const source = defineDataSource({
    manifest: {
      name: opts.name ?? 'tactful-subject',
      version,
      core: '^0.1.0',
      description: {
        en: 'What a person told us and did on our site, from the subject store.',
        vi: 'Dữ liệu khách hàng chủ động chia sẻ và hoạt động trên nền tảng của chúng tôi.',
      },
      provides: [...provided].map((category) => ({
        category,
        ...(retention[category] === undefined ? {} : { retentionDays: retention[category] }),
      })),
      requiresSubject: true,
      rights: { export: true, erase: true, rectify: true },
    },
    // Synchronous when the store answers synchronously (the in-memory store, a current read
    // cache): no promise per decision then; a store that waits is awaited, its reads concurrent.
    load(query, ctx) {
      const id = query.subject?.id;
      if (id === undefined) return {};
      const at = { now: query.now };
      const categories: SubjectCategory[] = [];
      const reads: unknown[] = [];
      let waiting = false;
      for (const category of query.categories) {
        if (isCallAborted(ctx)) {
          throw new TactfulError(
            'ABORTED',
            `${source.manifest.name}: load aborted (deadline passed or decision cancelled)`,
            {
              plugin: source.manifest.name,
            },
          );
        }
        if (!provided.has(category as SubjectCategory)) continue;
        const read = readCategory(category as SubjectCategory, id, at);
        if (isThenable(read)) waiting = true;
        categories.push(category as SubjectCategory);
        reads.push(read);
      }
      const collect = (values: readonly unknown[]): Record<string, unknown> => {
        const out: Record<string, unknown> = {};
        for (let i = 0; i < categories.length; i++) {
          if (values[i] !== undefined) out[categories[i]!] = values[i];
        }
        return out;
      };
      return waiting ? Promise.all(reads).then(collect) : collect(reads);
    },
    async export(subject) {
      const data = await store.exportSubject(subject.id);
      const all: Record<SubjectCategory, unknown> = {
        'profile.preferences': data.preferences,
        'profile.attributes': data.attributes,
        'behavior.purchases': data.purchases.map((e) => e.data),
        'behavior.pageviews': data.pageviews.map((e) => e.data),
        'behavior.cart': data.cart,
        'derived.segments': data.segments?.names ?? null,
      };
      const out: Record<string, unknown> = {};
      for (const c of provided) {
        const v = all[c];
        if (v !== null && !(Array.isArray(v) && v.length === 0)) out[c] = v;
      }
      return out;
    },
    async erase(subject) {
      return store.erase(subject.id);
    },
    async rectify(subject, category, value) {
      const parsed = parseRectification(category, value, ['rectify']);
      await rectifySubjectStore(store, subject.id, parsed.category, parsed.value);
    },
  });
  return Object.freeze({ ...source, store });
}
