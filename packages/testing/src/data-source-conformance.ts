import { type DataSource, isTactfulError, type Subject } from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abortedSignal, callContext, dataSourceQuery, type DataSourceQueryInit } from './builders.js';
import { isEmptyValue, jsonProblem } from './output-checks.js';
import {
  type PluginConformanceBaseOptions,
  describeManifestCases,
  expectSettlesWhenAbortedMidCall,
  freshPluginPerCase,
  suiteParameters,
} from './plugin-suite.js';
import { errorProblem, settle } from './settle.js';

/** Options of {@link describeDataSourceConformance}. */
export interface DataSourceConformanceOptions<D extends DataSource = DataSource>
  extends PluginConformanceBaseOptions {
  /** Makes a fresh, empty data source; called before every case. */
  create: () => D | Promise<D>;
  /** Releases a source after each case (close a database …). */
  dispose?: (source: D) => void | Promise<void>;
  /**
   * Puts data about `subject` in the source, in at least one provided category. Without it the
   * rights cases can only check an empty source; with it they prove export finds the data and
   * erase removes it (and only it).
   */
  seed?: (source: D, subject: Subject) => void | Promise<void>;
  /** Request context for the queries (for contextual sources such as weather). */
  context?: DataSourceQueryInit['context'];
  additionalTests?: (ctx: DataSourceConformanceContext<D>) => void;
}

/** What `additionalTests` receives: the fresh source of the running case. */
export interface DataSourceConformanceContext<D extends DataSource = DataSource> {
  readonly plugin: D;
}

const SUBJECT_A: Subject = { id: 'conformance-subject-a' };
const SUBJECT_B: Subject = { id: 'conformance-subject-b' };
/** Categories no conformance-tested source is expected to provide unless it declares them. */
const PROBE_CATEGORIES = ['health', 'finances', 'profile.contact', 'behavior.cart', 'derived.interests'];

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function heldCategories(data: Record<string, unknown>): string[] {
  return Object.entries(data)
    .filter(([, v]) => !isEmptyValue(v))
    .map(([c]) => c);
}

/**
 * Registers the data source conformance suite. Cases, in order: the manifest validates and names
 * known categories; its core range accepts the installed core; rights declared ⇔ functions
 * present; `load` returns only categories it provides *and* was asked for (a property over random
 * subsets, including categories it does not provide), as JSON; `load` is deterministic; `export`
 * holds only provided categories (and, with `seed`, finds the data); `erase` is idempotent (the
 * second call erases 0), leaves nothing for the subject in `export` or `load`, and leaves other
 * subjects alone; `rectify` replaces a value; an already aborted signal makes `load` settle
 * within `abortGraceMs` with an abort error or nothing, and so does an abort mid-load; errors are TactfulErrors with known codes.
 *
 * "Nothing" means a value that is `undefined`, `null`, `[]` or `{}` (best: the key is absent).
 *
 * @example
 * ```ts
 * describeDataSourceConformance('loyalty source', {
 *   create: () => loyaltySource({ db: openDatabase(':memory:') }),
 *   seed: (source, subject) => source.recordPurchase(subject, { at: '2026-01-02T10:00:00Z', amount: 120000 }),
 * });
 * ```
 */
export function describeDataSourceConformance<D extends DataSource>(
  name: string,
  options: DataSourceConformanceOptions<D>,
): void {
  const { runParams, grace } = suiteParameters(options, 25);
  const query = (init: DataSourceQueryInit) =>
    dataSourceQuery({ ...init, ...(options.context === undefined ? {} : { context: options.context }) });

  describe(`${name}: data source conformance`, () => {
    const ctx = {} as { plugin: D };
    const provided = () => ctx.plugin.manifest.provides.map((p) => p.category);
    const load = (subject: Subject | undefined, categories: string[], signal?: AbortSignal) =>
      settle(() =>
        ctx.plugin.load(
          query({ ...(subject ? { subject } : {}), categories }),
          callContext(signal ? { signal } : {}),
        ),
      );
    const seeded = async (subject: Subject) => {
      if (!options.seed) return false;
      await options.seed(ctx.plugin, subject);
      return true;
    };

    freshPluginPerCase(ctx, options);

    describeManifestCases('source', 'load', ctx, options);

    it('implements exactly the rights it declares', () => {
      const { rights } = ctx.plugin.manifest;
      for (const right of ['export', 'erase', 'rectify'] as const) {
        expect(
          typeof ctx.plugin[right] === 'function',
          rights[right]
            ? `declares rights.${right} but has no ${right}() function`
            : `has ${right}() but does not declare rights.${right}: declare it so the notice and rights requests know`,
        ).toBe(rights[right]);
      }
    });

    it('loads only categories it provides and was asked for', async () => {
      await seeded(SUBJECT_A);
      const universe = [...new Set([...provided(), ...PROBE_CATEGORIES])];
      await fc.assert(
        fc.asyncProperty(fc.subarray(universe), fc.boolean(), async (asked, withSubject) => {
          const result = await load(withSubject ? SUBJECT_A : undefined, asked);
          if (result.status === 'rejected') {
            expect(errorProblem(result.error)).toBeUndefined();
            return;
          }
          expect(result.status).toBe('fulfilled');
          if (result.status !== 'fulfilled') return;
          expect(isPlainRecord(result.value), 'load must return a plain object of category → value').toBe(
            true,
          );
          const allowed = new Set(asked.filter((c) => provided().includes(c)));
          const extra = Object.keys(result.value).filter((c) => !allowed.has(c));
          expect(
            extra,
            `returned categories it was not asked for or does not provide (asked: ${asked.join(', ')})`,
          ).toEqual([]);
          expect(jsonProblem(result.value, 'loaded')).toBeUndefined();
          if (!withSubject && ctx.plugin.manifest.requiresSubject) {
            expect(
              heldCategories(result.value),
              'requires a subject, yet returned data for an anonymous query',
            ).toEqual([]);
          }
        }),
        runParams,
      );
    });

    it('is deterministic: the same query gives the same data', async () => {
      await seeded(SUBJECT_A);
      const first = await load(SUBJECT_A, provided());
      const second = await load(SUBJECT_A, provided());
      expect(second.status).toBe(first.status);
      if (first.status === 'fulfilled' && second.status === 'fulfilled')
        expect(second.value).toEqual(first.value);
    });

    it('exports only provided categories, and finds seeded data', async () => {
      if (!ctx.plugin.manifest.rights.export) {
        expect(ctx.plugin.export, 'rights.export is false: export() must be absent').toBeUndefined();
        return;
      }
      const hasSeed = await seeded(SUBJECT_A);
      const exported = await ctx.plugin.export!(SUBJECT_A, callContext());
      expect(isPlainRecord(exported), 'export must return a plain object of category → value').toBe(true);
      expect(Object.keys(exported).filter((c) => !provided().includes(c))).toEqual([]);
      expect(jsonProblem(exported, 'exported')).toBeUndefined();
      if (hasSeed) expect(heldCategories(exported), 'seeded data is missing from export').not.toEqual([]);
    });

    it('erases idempotently, leaving nothing for the subject and other subjects untouched', async () => {
      if (!ctx.plugin.manifest.rights.erase) {
        expect(ctx.plugin.erase, 'rights.erase is false: erase() must be absent').toBeUndefined();
        return;
      }
      const hasSeed = (await seeded(SUBJECT_A)) && (await seeded(SUBJECT_B));
      const first = await ctx.plugin.erase!(SUBJECT_A, callContext());
      expect(
        Number.isInteger(first.erased) && first.erased >= 0,
        'erase must return { erased: a count ≥ 0 }',
      ).toBe(true);
      if (hasSeed) expect(first.erased, 'erased nothing although data was seeded').toBeGreaterThan(0);
      const second = await ctx.plugin.erase!(SUBJECT_A, callContext());
      expect(second, 'a second erase must find nothing left').toEqual({ erased: 0 });
      if (ctx.plugin.export) {
        const after = await ctx.plugin.export(SUBJECT_A, callContext());
        expect(heldCategories(after), 'export after erase still holds data').toEqual([]);
      }
      const loaded = await load(SUBJECT_A, provided());
      if (loaded.status === 'fulfilled')
        expect(heldCategories(loaded.value), 'load after erase still returns data').toEqual([]);
      if (hasSeed) {
        const other = ctx.plugin.export
          ? await ctx.plugin.export(SUBJECT_B, callContext())
          : await ctx.plugin.load(query({ subject: SUBJECT_B, categories: provided() }), callContext());
        expect(heldCategories(other), "erasing one subject removed another subject's data").not.toEqual([]);
      }
    });

    it('rectifies: a replaced value is what it loads next', async () => {
      if (!ctx.plugin.manifest.rights.rectify) {
        expect(ctx.plugin.rectify, 'rights.rectify is false: rectify() must be absent').toBeUndefined();
        return;
      }
      if (!(await seeded(SUBJECT_A))) {
        expect(typeof ctx.plugin.rectify).toBe('function');
        return;
      }
      const before = await ctx.plugin.load(
        query({ subject: SUBJECT_A, categories: provided() }),
        callContext(),
      );
      const [category, value] = Object.entries(before).find(([, v]) => !isEmptyValue(v)) ?? [];
      expect(category, 'seed left nothing to rectify').toBeDefined();
      if (category === undefined) return;
      await ctx.plugin.rectify!(SUBJECT_A, category, value, callContext());
      const after = await ctx.plugin.load(
        query({ subject: SUBJECT_A, categories: [category] }),
        callContext(),
      );
      expect(after[category]).toEqual(value);
    });

    it('returns promptly, with nothing or an ABORTED error, when the signal is already aborted', async () => {
      await seeded(SUBJECT_A);
      const signal = abortedSignal();
      const result = await settle(
        () => ctx.plugin.load(query({ subject: SUBJECT_A, categories: provided() }), callContext({ signal })),
        grace,
      );
      expect(result.status, `still running ${grace} ms after being called with an aborted signal`).not.toBe(
        'pending',
      );
      if (result.status === 'rejected') {
        expect(
          result.error === signal.reason || (isTactfulError(result.error) && result.error.code === 'ABORTED'),
          `rejected with ${String(result.error)}; reject with signal.reason or a TactfulError "ABORTED"`,
        ).toBe(true);
      }
      if (result.status === 'fulfilled')
        expect(heldCategories(result.value), 'an aborted load must return nothing').toEqual([]);
    });

    it('settles promptly when aborted mid-load', async () => {
      await seeded(SUBJECT_A);
      await expectSettlesWhenAbortedMidCall(
        (signal) =>
          ctx.plugin.load(query({ subject: SUBJECT_A, categories: provided() }), callContext({ signal })),
        grace,
        'loading',
      );
    });

    it('throws only TactfulErrors with known codes', async () => {
      await seeded(SUBJECT_A);
      await fc.assert(
        fc.asyncProperty(
          fc.subarray([...provided(), ...PROBE_CATEGORIES]),
          fc.option(fc.stringMatching(/^[a-z0-9-]{1,24}$/), { nil: undefined }),
          async (categories, id) => {
            const result = await load(id === undefined ? undefined : { id }, categories);
            if (result.status === 'rejected') expect(errorProblem(result.error)).toBeUndefined();
          },
        ),
        runParams,
      );
    });

    options.additionalTests?.(ctx);
  });
}
