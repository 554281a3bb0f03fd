import {
  BUILTIN_PURPOSES,
  type ConsentProvider,
  type ConsentState,
  createTaxonomy,
  isTactfulError,
  type TaxonomyExtension,
} from '@tactful/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abortedSignal, callContext, consentQuery, type ConsentQueryInit } from './builders.js';
import { consentStateProblems, grantedPurposes } from './output-checks.js';
import { expectNoProblems } from './expect-no-problems.js';
import {
  type PluginConformanceBaseOptions,
  describeManifestCases,
  freshPluginPerCase,
  suiteParameters,
} from './plugin-suite.js';
import { errorProblem, settle } from './settle.js';

/** Options of {@link describeConsentProviderConformance}. */
export interface ConsentProviderConformanceOptions<C extends ConsentProvider = ConsentProvider>
  extends PluginConformanceBaseOptions {
  /** Makes a fresh provider; called before every case. */
  create: () => C | Promise<C>;
  /** Releases a provider after each case. */
  dispose?: (provider: C) => void | Promise<void>;
  /**
   * Arranges for the provider to grant something (records a consent, sets a cookie value …) and
   * returns the query that should now be granted at least one purpose. Makes the determinism and
   * abort cases meaningful; a provider that can never grant (`canGrant: false`) leaves it out,
   * or gives a query it must still not grant.
   */
  grantingQuery?: (provider: C) => ConsentQueryInit | Promise<ConsentQueryInit>;
  additionalTests?: (ctx: ConsentProviderConformanceContext<C>) => void;
}

/** What `additionalTests` receives: the fresh provider of the running case. */
export interface ConsentProviderConformanceContext<C extends ConsentProvider = ConsentProvider> {
  readonly plugin: C;
}

const boolOrAbsent = fc.option(fc.boolean(), { nil: undefined });

/** Random request contexts that carry consent signals (GPC, DNT) but no TCF string. */
const signalContext = fc
  .record({
    gpc: boolOrAbsent,
    dnt: boolOrAbsent,
    locale: fc.option(fc.constantFrom('en', 'vi-VN'), { nil: undefined }),
  })
  .map((c) => Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)));

function purposeIds(extra: TaxonomyExtension | undefined): string[] {
  return extra ? [...createTaxonomy([extra]).purposes.keys()] : BUILTIN_PURPOSES.map((p) => p.id);
}

/**
 * Registers the consent provider conformance suite. Cases, in order: the manifest validates; its
 * core range accepts the installed core; for random queries it returns a valid `ConsentState`
 * answering only the purposes asked, statuses only `granted`/`denied`; with `canGrant: false` it
 * never grants (property over random subjects, contexts and purposes); it grants nothing that
 * needs consent to subjects it has no record of, nor to anonymous visitors, when the request
 * carries no TCF string; the granting query grants (when given); it is deterministic; an already
 * aborted signal makes it settle within `abortGraceMs` with an abort error or no grant (fail
 * closed, P8); errors are TactfulErrors with known codes.
 *
 * @example
 * ```ts
 * describeConsentProviderConformance('opt-in records', {
 *   create: () => optIn({ store: memoryConsentStore() }),
 *   grantingQuery: async (provider) => {
 *     await provider.store.append(consentGrant({ subject: 'u-1', purpose: 'personalization.profile' }));
 *     return { subject: 'u-1', purposes: ['personalization.profile'] };
 *   },
 * });
 * ```
 */
export function describeConsentProviderConformance<C extends ConsentProvider>(
  name: string,
  options: ConsentProviderConformanceOptions<C>,
): void {
  const { runParams, grace } = suiteParameters(options, 50);
  const purposes = purposeIds(options.taxonomy);
  const needsConsent = new Set(
    options.taxonomy
      ? [...createTaxonomy([options.taxonomy]).purposes.values()]
          .filter((p) => p.requiresConsent)
          .map((p) => p.id)
      : BUILTIN_PURPOSES.filter((p) => p.requiresConsent).map((p) => p.id),
  );

  const queries = fc.record({
    subject: fc.option(fc.stringMatching(/^[a-z0-9-]{1,24}$/), { nil: undefined }),
    purposes: fc.subarray(purposes),
    context: signalContext,
    now: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 11, 31) }),
  });
  const toInit = (q: {
    subject: string | undefined;
    purposes: string[];
    context: object;
    now: number;
  }): ConsentQueryInit => ({
    ...(q.subject === undefined ? {} : { subject: `unknown-${q.subject}` }),
    purposes: q.purposes,
    context: q.context,
    now: q.now,
  });

  describe(`${name}: consent provider conformance`, () => {
    const ctx = {} as { plugin: C };
    const resolve = (init: ConsentQueryInit, signal?: AbortSignal) =>
      settle(() => ctx.plugin.resolve(consentQuery(init), callContext(signal ? { signal } : {})));
    const granting = async (): Promise<ConsentQueryInit | undefined> =>
      options.grantingQuery ? await options.grantingQuery(ctx.plugin) : undefined;

    freshPluginPerCase(ctx, options);

    describeManifestCases('consent', 'resolve', ctx, options);

    it('answers with valid statuses, only about the purposes asked', async () => {
      const arranged = await granting();
      const check = async (init: ConsentQueryInit) => {
        const result = await resolve(init);
        if (result.status === 'rejected') {
          expect(errorProblem(result.error)).toBeUndefined();
          return;
        }
        if (result.status === 'fulfilled')
          expectNoProblems(consentStateProblems(result.value, init.purposes ?? []));
      };
      if (arranged) await check(arranged);
      await fc.assert(
        fc.asyncProperty(queries, (q) => check(toInit(q))),
        runParams,
      );
    });

    it('never grants when its manifest says canGrant: false', async () => {
      if (ctx.plugin.manifest.canGrant) {
        expect(ctx.plugin.manifest.canGrant).toBe(true);
        return;
      }
      const arranged = await granting();
      const check = async (init: ConsentQueryInit) => {
        const result = await resolve(init);
        if (result.status === 'fulfilled') {
          expect(grantedPurposes(result.value), 'a provider with canGrant: false granted').toEqual([]);
        }
      };
      if (arranged) await check(arranged);
      await fc.assert(
        fc.asyncProperty(queries, fc.option(fc.constant('CO_dummy_tc_string'), { nil: undefined }), (q, tc) =>
          check({ ...toInit(q), context: { ...q.context, ...(tc ? { tcString: tc } : {}) } }),
        ),
        runParams,
      );
    });

    it('grants nothing to unknown subjects or anonymous visitors', async () => {
      await granting();
      const check = async (q: Parameters<typeof toInit>[0]) => {
        const result = await resolve(toInit(q));
        if (result.status === 'fulfilled') {
          const granted = grantedPurposes(result.value).filter((p) => needsConsent.has(p));
          expect(
            granted,
            `granted without any record to ${q.subject ? 'an unknown subject' : 'an anonymous visitor'}`,
          ).toEqual([]);
        }
      };
      // Every purpose, no signal: the plainest query a granting provider answers wrongly, checked
      // every run (the random ones below may, by chance, ask only for what needs no consent).
      const now = Date.UTC(2026, 0, 1);
      await check({ subject: undefined, purposes, context: {}, now });
      await check({ subject: 'nobody', purposes, context: {}, now });
      await fc.assert(fc.asyncProperty(queries, check), runParams);
    });

    it('grants what it has a record of (the granting query)', async () => {
      const arranged = await granting();
      if (!arranged) {
        expect(options.grantingQuery).toBeUndefined();
        return;
      }
      const result = await resolve(arranged);
      if (result.status === 'rejected') throw result.error;
      if (result.status === 'fulfilled') {
        const granted = grantedPurposes(result.value);
        if (ctx.plugin.manifest.canGrant)
          expect(granted, 'the granting query granted nothing').not.toEqual([]);
        else expect(granted).toEqual([]);
      }
    });

    it('is deterministic: the same query gives the same answer', async () => {
      const arranged = await granting();
      const same = async (init: ConsentQueryInit) => {
        const first = await resolve(init);
        const second = await resolve(init);
        expect(second.status).toBe(first.status);
        if (first.status === 'fulfilled' && second.status === 'fulfilled')
          expect(second.value).toEqual(first.value);
      };
      if (arranged) await same(arranged);
      await fc.assert(
        fc.asyncProperty(queries, (q) => same(toInit(q))),
        runParams,
      );
    });

    it('fails closed, promptly, when the signal is already aborted', async () => {
      const arranged = (await granting()) ?? { subject: 'conformance-subject-a', purposes };
      const signal = abortedSignal();
      const result = await settle(
        () => ctx.plugin.resolve(consentQuery(arranged), callContext({ signal })),
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
      if (result.status === 'fulfilled') {
        expect(grantedPurposes(result.value as ConsentState), 'an aborted call must not grant').toEqual([]);
      }
    });

    it('throws only TactfulErrors with known codes', async () => {
      await fc.assert(
        fc.asyncProperty(queries, async (q) => {
          const result = await resolve(toInit(q));
          if (result.status === 'rejected') expect(errorProblem(result.error)).toBeUndefined();
        }),
        runParams,
      );
    });

    options.additionalTests?.(ctx);
  });
}
