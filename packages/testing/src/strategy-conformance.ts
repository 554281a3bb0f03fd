import type { Strategy, StrategyOutput } from '@tactful/core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ArbitraryOverrides,
  arbitraryCategoryValue,
  arbitrarySignalValue,
  arbitraryStrategyInput,
} from './arbitraries.js';
import {
  abortedSignal,
  callContext,
  type RecordingStrategyInput,
  recordingStrategyInput,
  type StrategyInputInit,
} from './builders.js';
import { isFallbackOutput, strategyOutputProblems } from './output-checks.js';
import { expectNoProblems } from './expect-no-problems.js';
import {
  type PluginConformanceBaseOptions,
  describeManifestCases,
  expectSettlesWhenAbortedMidCall,
  isAbortRejection,
  suiteParameters,
} from './plugin-suite.js';
import { errorProblem, isFrozenWriteError, type Settlement, settle } from './settle.js';

/** Options of {@link describeStrategyConformance}. */
export interface StrategyConformanceOptions<S extends Strategy = Strategy>
  extends PluginConformanceBaseOptions {
  /** Makes the strategy under test (called once per suite). */
  create: () => S | Promise<S>;
  /**
   * A typical input for the strategy. Missing fields are filled in: every purpose the manifest
   * mentions granted, one generated value for every declared category and signal, slot `home.hero`.
   * Give the slots your strategy fills and data that makes it propose something.
   */
  sampleInput?: StrategyInputInit;
  /** Slot ids the generated inputs draw from (defaults to the sample's slots plus a few common ones). */
  slots?: ReadonlyArray<string>;
  /** Generators for vendor categories and signals (or narrower shapes of built-in ones). */
  arbitraries?: { categories?: ArbitraryOverrides; signals?: ArbitraryOverrides };
  /** Your own cases, registered after the kit's, inside the same `describe` block. */
  additionalTests?: (ctx: StrategyConformanceContext<S>) => void;
}

/** What `additionalTests` receives: the strategy, once created. */
export interface StrategyConformanceContext<S extends Strategy = Strategy> {
  readonly plugin: S;
}

const GENERIC_SLOTS = ['home.hero', 'home.banner', 'email.header'];

function sampleOf<T>(arb: fc.Arbitrary<T>, seed: number): T {
  const [value] = fc.sample(arb, { seed, numRuns: 1 });
  return value as T;
}

/** The sample input, completed from the manifest. */
function completeSample<S extends Strategy>(
  plugin: S,
  options: StrategyConformanceOptions<S>,
): StrategyInputInit {
  const m = plugin.manifest;
  const given = options.sampleInput ?? {};
  const purposes = [...new Set([...m.purposes, ...m.reads.map((r) => r.purpose)])];
  const data =
    given.data ??
    Object.fromEntries(
      [...new Set(m.reads.map((r) => r.category))].map((c, i) => [
        c,
        sampleOf(arbitraryCategoryValue(c, options.arbitraries?.categories), 7 + i),
      ]),
    );
  const signals =
    given.signals ??
    Object.fromEntries(
      m.signals.reads.map((s, i) => [
        s,
        sampleOf(arbitrarySignalValue(s, options.arbitraries?.signals), 11 + i),
      ]),
    );
  return {
    ...given,
    slots: given.slots ?? ['home.hero'],
    granted: given.granted ?? purposes,
    data,
    signals,
  };
}

function slotIds(init: StrategyInputInit): string[] {
  return (init.slots ?? ['home.hero']).map((s) => (typeof s === 'string' ? s : s.id));
}

/** One recorded call of `decide`. */
interface Call {
  readonly rec: RecordingStrategyInput;
  readonly result: Settlement<StrategyOutput>;
}

function allow(plugin: Strategy) {
  return { categories: plugin.manifest.reads.map((r) => r.category), signals: plugin.manifest.signals.reads };
}

async function call(plugin: Strategy, init: StrategyInputInit, signal?: AbortSignal): Promise<Call> {
  const rec = recordingStrategyInput(init, allow(plugin));
  const ctx = callContext(signal ? { signal } : {});
  const result = await settle(() => plugin.decide(rec.input, ctx));
  return { rec, result };
}

function outputProblems(plugin: Strategy, init: StrategyInputInit, output: unknown): string[] {
  return strategyOutputProblems(output, plugin.manifest, {
    slots: slotIds(init),
    provided: Object.keys(init.data ?? {}).filter((c) => plugin.manifest.reads.some((r) => r.category === c)),
  });
}

function describeInput(init: StrategyInputInit): string {
  return JSON.stringify({
    ...init,
    data: Object.keys(init.data ?? {}),
    signals: Object.keys(init.signals ?? {}),
  });
}

/**
 * Registers the strategy conformance suite: a vitest `describe` block whose cases, in order,
 * prove that a strategy keeps the contract of `@tactful/core`:
 *
 * 1. its manifest re-validates with core's schema, and names only known purposes and categories;
 * 2. its `core` range accepts the installed `@tactful/core`;
 * 3. it reads only the categories and signals it declared (on the sample and on generated inputs,
 *    through recording projections);
 * 4. it treats its input as read-only (everything is deeply frozen; attempts are reported);
 * 5. its output is valid: proposals for requested slots only, scores in [0, 1], a reason each,
 *    JSON content, only declared signals published, only given categories cited;
 * 6. with every purpose denied (no data, no signals, `granted: []`) it returns a valid fallback
 *    (no proposal citing a category) without throwing;
 * 7. it is deterministic: the same input gives deep-equal outputs;
 * 8. given an already aborted signal it settles within `abortGraceMs`, either rejecting with the
 *    signal's reason or a `TactfulError` `ABORTED`, or returning an output with no proposals;
 * 9. aborted mid-call it settles within `abortGraceMs` (with an abort error or a valid output);
 * 10. whatever it throws is a `TactfulError` with a known code.
 *
 * @example
 * ```ts
 * import { describeStrategyConformance } from '@tactful/testing';
 * import { happyHour } from '../src/index.js';
 *
 * describeStrategyConformance('happy hour', {
 *   create: () => happyHour({ slot: 'home.hero', startHour: 17, endHour: 19, content: { text: '2 for 1' } }),
 *   sampleInput: { slots: ['home.hero'], data: { 'context.time': { now: '2026-01-15T17:30:00+07:00', timeZone: 'Asia/Ho_Chi_Minh' } } },
 * });
 * ```
 */
export function describeStrategyConformance<S extends Strategy>(
  name: string,
  options: StrategyConformanceOptions<S>,
): void {
  const { runParams, grace } = suiteParameters(options, 30);

  describe(`${name}: strategy conformance`, () => {
    const ctx = {} as { plugin: S; sample: StrategyInputInit; inputs: fc.Arbitrary<StrategyInputInit> };

    beforeAll(async () => {
      ctx.plugin = await options.create();
      ctx.sample = completeSample(ctx.plugin, options);
      const pool = [...new Set([...(options.slots ?? []), ...slotIds(ctx.sample), ...GENERIC_SLOTS])];
      ctx.inputs = arbitraryStrategyInput(ctx.plugin.manifest, {
        slots: pool,
        ...(options.arbitraries?.categories ? { categories: options.arbitraries.categories } : {}),
        ...(options.arbitraries?.signals ? { signals: options.arbitraries.signals } : {}),
      });
    });

    const forAll = (check: (init: StrategyInputInit) => Promise<void>) =>
      fc.assert(fc.asyncProperty(ctx.inputs, check), runParams);

    describeManifestCases('strategy', 'decide', ctx, options);

    it('reads only the categories and signals it declared', async () => {
      const check = async (init: StrategyInputInit) => {
        const { rec } = await call(ctx.plugin, init);
        const undeclared = [
          ...rec.data.undeclared.map((c) => `category "${c}"`),
          ...rec.signals.undeclared.map((s) => `signal "${s}"`),
        ];
        expect(
          undeclared,
          `read undeclared ${undeclared.join(', ')}; declare them in manifest.reads / manifest.signals.reads`,
        ).toEqual([]);
      };
      await check(ctx.sample);
      await forAll(check);
    });

    it('treats its input as read-only', async () => {
      const check = async (init: StrategyInputInit) => {
        const { rec, result } = await call(ctx.plugin, init);
        const attempts = rec.allMutations().map((m) => `${m.operation} ${m.key}`);
        if (result.status === 'rejected' && isFrozenWriteError(result.error)) {
          attempts.push(`write to a frozen value (${(result.error as Error).message})`);
        }
        expect(attempts, 'the input is a frozen projection: copy what you need to change').toEqual([]);
      };
      await check(ctx.sample);
      await forAll(check);
    });

    it('returns valid output', async () => {
      const { result } = await call(ctx.plugin, ctx.sample);
      if (result.status === 'rejected') throw result.error;
      expect(result.status).toBe('fulfilled');
      if (result.status === 'fulfilled')
        expectNoProblems(outputProblems(ctx.plugin, ctx.sample, result.value));
      await forAll(async (init) => {
        const generated = await call(ctx.plugin, init);
        if (generated.result.status === 'fulfilled') {
          expectNoProblems(outputProblems(ctx.plugin, init, generated.result.value), describeInput(init));
        }
      });
    });

    it('returns its fallback without throwing when every purpose is denied', async () => {
      const denied: StrategyInputInit = { ...ctx.sample, data: {}, signals: {}, granted: [] };
      const { rec, result } = await call(ctx.plugin, denied);
      if (result.status === 'rejected') throw result.error;
      expect(rec.data.undeclared, 'read undeclared categories').toEqual([]);
      expect(rec.signals.undeclared, 'read undeclared signals').toEqual([]);
      if (result.status === 'fulfilled') {
        expectNoProblems(outputProblems(ctx.plugin, denied, result.value));
        expect(isFallbackOutput(result.value), 'with no data, no proposal may cite a category').toBe(true);
      }
    });

    it('is deterministic: the same input gives the same output', async () => {
      const same = async (init: StrategyInputInit, times: number) => {
        const first = await call(ctx.plugin, init);
        for (let i = 1; i < times; i++) {
          const next = await call(ctx.plugin, init);
          expect(next.result.status, describeInput(init)).toBe(first.result.status);
          if (first.result.status === 'fulfilled' && next.result.status === 'fulfilled') {
            expect(next.result.value, `call ${i + 1} differs from call 1 on ${describeInput(init)}`).toEqual(
              first.result.value,
            );
          }
          if (first.result.status === 'rejected' && next.result.status === 'rejected') {
            expect((next.result.error as { code?: unknown }).code).toEqual(
              (first.result.error as { code?: unknown }).code,
            );
          }
        }
      };
      await same(ctx.sample, 3);
      await forAll((init) => same(init, 2));
    });

    it('returns promptly, with nothing or an ABORTED error, when the signal is already aborted', async () => {
      const signal = abortedSignal();
      const rec = recordingStrategyInput(ctx.sample, allow(ctx.plugin));
      const result = await settle(() => ctx.plugin.decide(rec.input, callContext({ signal })), grace);
      expect(result.status, `still running ${grace} ms after being called with an aborted signal`).not.toBe(
        'pending',
      );
      if (result.status === 'rejected') {
        expect(
          isAbortRejection(result.error, signal),
          `rejected with ${String(result.error)}; reject with signal.reason (signal.throwIfAborted()) or a TactfulError "ABORTED"`,
        ).toBe(true);
      }
      if (result.status === 'fulfilled') {
        expectNoProblems(outputProblems(ctx.plugin, ctx.sample, result.value));
        expect(result.value.proposals, 'an aborted call must not propose anything').toEqual([]);
      }
    });

    it('settles promptly when aborted mid-call', async () => {
      const rec = recordingStrategyInput(ctx.sample, allow(ctx.plugin));
      const result = await expectSettlesWhenAbortedMidCall(
        (signal) => ctx.plugin.decide(rec.input, callContext({ signal })),
        grace,
        'running',
      );
      if (result?.status === 'fulfilled')
        expectNoProblems(outputProblems(ctx.plugin, ctx.sample, result.value));
    });

    it('throws only TactfulErrors with known codes', async () => {
      const check = async (init: StrategyInputInit, signal?: AbortSignal) => {
        const { result } = await call(ctx.plugin, init, signal);
        if (result.status === 'rejected')
          expect(errorProblem(result.error), describeInput(init)).toBeUndefined();
      };
      await check(ctx.sample);
      await check({ ...ctx.sample, data: {}, signals: {}, granted: [] });
      await forAll((init) => check(init));
    });

    options.additionalTests?.(ctx);
  });
}
