import { type TaxonomyExtension, isTactfulError } from '@tactful/core';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { abortReason } from './builders.js';
import { expectNoProblems } from './expect-no-problems.js';
import { type PluginKind, coreRangeProblem, manifestProblems } from './manifest-checks.js';
import { type Settlement, settle, sleep } from './settle.js';

/** The options every plugin conformance kit takes (strategies, data sources, consent providers). */
export interface PluginConformanceBaseOptions {
  /** Taxonomy the plugin relies on beyond its manifest's own. */
  taxonomy?: TaxonomyExtension;
  /** The core version to check the manifest's range against; defaults to the installed `CORE_VERSION`. */
  coreVersion?: string;
  /** Generated inputs per property (default: strategies 30, data sources 25, consent providers 50). */
  numRuns?: number;
  /** Seed of the generated inputs, to replay a failure (fast-check prints it). */
  propertySeed?: number;
  /** How long an aborted call may take to settle, in milliseconds (default 100). */
  abortGraceMs?: number;
}

/** The fast-check parameters of a kit's properties, and the abort grace. */
export function suiteParameters(
  options: PluginConformanceBaseOptions,
  defaultRuns: number,
): { runParams: { numRuns: number; seed?: number }; grace: number } {
  return {
    runParams: {
      numRuns: options.numRuns ?? defaultRuns,
      ...(options.propertySeed === undefined ? {} : { seed: options.propertySeed }),
    },
    grace: options.abortGraceMs ?? 100,
  };
}

/** Makes a fresh plugin before every case and releases it after (inside the kit's `describe`). */
export function freshPluginPerCase<P>(
  ctx: { plugin: P },
  options: { create: () => P | Promise<P>; dispose?: (plugin: P) => void | Promise<void> },
): void {
  beforeEach(async () => {
    ctx.plugin = await options.create();
  });
  afterEach(async () => {
    if (ctx.plugin && options.dispose) await options.dispose(ctx.plugin);
  });
}

/**
 * The first two cases of every kit: the plugin has its entry function and a manifest that
 * validates against core (known purposes and categories), and its core range accepts the
 * installed `@tactful/core`.
 */
export function describeManifestCases(
  kind: PluginKind,
  entry: string,
  ctx: { plugin: { manifest: { name: string; core: string } } },
  options: PluginConformanceBaseOptions,
): void {
  it('has a manifest that validates against core', () => {
    expect(typeof (ctx.plugin as Record<string, unknown>)[entry], `${entry} must be a function`).toBe(
      'function',
    );
    expectNoProblems(manifestProblems(kind, ctx.plugin.manifest, options.taxonomy));
  });

  it('supports the installed @tactful/core', () => {
    expect(coreRangeProblem(ctx.plugin.manifest, options.coreVersion)).toBeUndefined();
  });
}

/** Whether a rejection is an abort: the signal's own reason, or a `TactfulError` with code `ABORTED`. */
export function isAbortRejection(error: unknown, signal: AbortSignal): boolean {
  return error === signal.reason || (isTactfulError(error) && error.code === 'ABORTED');
}

/**
 * Starts `call` with a signal, aborts the signal a moment later (when the call has not settled
 * yet), and expects the call to settle within `grace` ms, rejecting (if it does) with an abort
 * ({@link isAbortRejection}). Gives what it settled with, for the kit's own checks of a result.
 */
export async function expectSettlesWhenAbortedMidCall<T>(
  call: (signal: AbortSignal) => T | PromiseLike<T>,
  grace: number,
  doing: string,
): Promise<Settlement<T> | undefined> {
  const controller = new AbortController();
  let done = false;
  const pending = settle(() => call(controller.signal)).then((r) => {
    done = true;
    return r;
  });
  await sleep(1);
  if (!done) controller.abort(abortReason());
  const result = await Promise.race([pending, sleep(grace).then(() => undefined)]);
  expect(result, `still ${doing} ${grace} ms after its signal was aborted`).toBeDefined();
  if (result?.status === 'rejected') {
    expect(
      isAbortRejection(result.error, controller.signal),
      `rejected with ${String(result.error)}; reject with signal.reason or a TactfulError "ABORTED"`,
    ).toBe(true);
  }
  return result;
}
