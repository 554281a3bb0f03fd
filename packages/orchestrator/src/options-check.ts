import {
  type Check,
  anything,
  arr,
  custom,
  looseObject,
  num,
  obj,
  optional,
  str,
  withDefault,
} from '@tactful/core';
import type { OrchestratorOptionsSchema } from './options-schema.js';

/** True for a plugin object: a manifest object and the function `fn` (shared with the schema). */
export function isPluginShape(v: unknown, fn: string): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { manifest?: unknown }).manifest === 'object' &&
    (v as { manifest?: unknown }).manifest !== null &&
    typeof (v as Record<string, unknown>)[fn] === 'function'
  );
}

/** What a value that is not a plugin is told (shared with the schema). */
export function pluginShapeMessage(kind: string, fn: string): string {
  return `expected a ${kind} (a plugin object with a manifest and a "${fn}" function, e.g. made with define${kind[0]?.toUpperCase()}${kind.slice(1)}())`;
}

const plugin = (kind: string, fn: string) =>
  custom<unknown>((v) => isPluginShape(v, fn), pluginShapeMessage(kind, fn));
const timeout = optional(num({ int: true, positive: true, lte: 60_000 }));
const isFunction = (v: unknown) => typeof v === 'function';
const POLICIES: ReadonlySet<unknown> = new Set(['priority', 'score', 'weighted']);

type Options = ReturnType<(typeof OrchestratorOptionsSchema)['parse']>;

/**
 * The options check of `createOrchestrator`: accepts exactly what `OrchestratorOptionsSchema`
 * accepts, returns the same options and names the same first field (proven by
 * `test/options-check.test.ts`), without zod in a page. Manifests are checked during registration.
 */
export const checkOrchestratorOptions = obj({
  consent: arr(plugin('consentProvider', 'resolve')),
  sources: withDefault(arr(plugin('dataSource', 'load')), () => []),
  strategies: arr(plugin('strategy', 'decide'), { min: 1, minMessage: 'register at least one strategy' }),
  merge: withDefault(
    custom<unknown>(
      (v) => POLICIES.has(v) || isFunction(v),
      'use "priority", "score" or "weighted", or pass a merge function',
    ),
    () => 'priority',
  ),
  taxonomy: optional(obj({ purposes: optional(arr(anything)), categories: optional(arr(anything)) })),
  timeouts: withDefault(
    obj({ consentMs: timeout, sourceMs: timeout, strategyMs: timeout, decisionMs: timeout }),
    () => ({}),
  ),
  allowSourcesWithoutErasure: withDefault(arr(str()), () => []),
  limits: withDefault(
    obj({
      maxOutputBytes: optional(num({ int: true, positive: true })),
      maxProposals: optional(num({ int: true, positive: true })),
      maxDepth: optional(num({ int: true, positive: true, lte: 256 })),
    }),
    () => ({}),
  ),
  hooks: withDefault(arr(looseObject), () => []),
  consentChangeMemory: withDefault(num({ int: true, gte: 0, lte: 1_000_000 }), () => 1000),
  onListenerError: optional(
    custom<(error: unknown, where: string) => void>(isFunction, 'expected a function'),
  ),
  coreVersion: optional(str()),
  clock: optional(custom<() => number>(isFunction, 'expected a function')),
}) as unknown as Check<Options>;
