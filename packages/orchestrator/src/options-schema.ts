import * as z from 'zod/mini';
import { pluginShapeMessage, isPluginShape } from './options-check.js';
import type { MergeFunction } from './options.js';

const plugin = (kind: string, fn: string) =>
  z.custom<unknown>((v) => isPluginShape(v, fn), pluginShapeMessage(kind, fn));

const timeout = z.number().check(z.int(), z.positive(), z.lte(60_000));

/**
 * The options of `createOrchestrator`, as a zod schema. Manifests are checked separately
 * (and all problems reported together) during registration.
 */
export const OrchestratorOptionsSchema = z.object({
  /** Consent providers. A purpose is granted only when some provider grants it and none denies it. */
  consent: z.array(plugin('consentProvider', 'resolve')),
  /** Data sources, asked only for categories some permitted strategy needs. */
  sources: z._default(z.array(plugin('dataSource', 'load')), []),
  /** Strategies, run on frozen projections of the data they declared. */
  strategies: z.array(plugin('strategy', 'decide')).check(z.minLength(1, 'register at least one strategy')),
  /** How proposals for one slot are merged: a policy name or a function. */
  merge: z._default(
    z.union([
      z.enum(['priority', 'score', 'weighted']),
      z.custom<MergeFunction>((v) => typeof v === 'function', 'expected a merge function'),
    ]),
    'priority',
  ),
  /** Purposes and categories added to the built-in taxonomy. */
  taxonomy: z.optional(
    z.object({ purposes: z.optional(z.array(z.unknown())), categories: z.optional(z.array(z.unknown())) }),
  ),
  timeouts: z._default(
    z.object({
      consentMs: z.optional(timeout),
      sourceMs: z.optional(timeout),
      strategyMs: z.optional(timeout),
      decisionMs: z.optional(timeout),
    }),
    {},
  ),
  /** Names of sources allowed to hold personal data without supporting erasure (P6). Avoid. */
  allowSourcesWithoutErasure: z._default(z.array(z.string()), []),
  limits: z._default(
    z.object({
      maxOutputBytes: z.optional(z.number().check(z.int(), z.positive())),
      maxProposals: z.optional(z.number().check(z.int(), z.positive())),
      maxDepth: z.optional(z.number().check(z.int(), z.positive(), z.lte(256))),
    }),
    {},
  ),
  /** Hooks around every decision. */
  hooks: z._default(z.array(z.looseObject({})), []),
  /**
   * How many recent subjects (and anonymous sessions) to remember a consent fingerprint for, to
   * emit `consent:changed`. The fingerprint is never used to decide; 0 turns the event off.
   */
  consentChangeMemory: z._default(z.number().check(z.int(), z.nonnegative(), z.lte(1_000_000)), 1000),
  /** Called when a listener or hook throws (the decision carries on). Defaults to `console.warn`. */
  onListenerError: z.optional(
    z.custom<(error: unknown, where: string) => void>((v) => typeof v === 'function'),
  ),
  /** The `@tactful/core` version plugins are checked against (defaults to the installed one). */
  coreVersion: z.optional(z.string()),
  /** The server's clock, in epoch milliseconds (default `Date.now`): the only clock consent obeys. */
  clock: z.optional(z.custom<() => number>((v) => typeof v === 'function', 'expected a function')),
});
