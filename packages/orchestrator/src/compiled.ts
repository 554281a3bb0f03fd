/**
 * `@tactful/orchestrator/compiled`: the engine for pages, started from a plan that `compilePlan`
 * (`@tactful/orchestrator/compile`) checked and wrote at build time. It ships the decision path
 * only — consent gating, projection, deadlines, the output checks, merging and explanations — and
 * none of the registration checks, which already ran on the same configuration.
 *
 * @packageDocumentation
 */
import {
  CORE_VERSION,
  type ConsentProvider,
  type DataSource,
  type Strategy,
  TactfulError,
  type TactfulIssue,
  deepFreeze,
} from '@tactful/core';
import type { DecisionHooks, MergeFunction, MergePolicy } from './options.js';
import { type Orchestrator, startOrchestrator } from './orchestrator.js';
import {
  type CompiledPlan,
  PLAN_FORMAT,
  type PlanBody,
  manifestFingerprint,
  planStamp,
} from './plan-format.js';
import { registryFromPlan } from './plan-registry.js';

export type { CompiledPlan } from './plan-format.js';
export type { DecideOptions, Orchestrator } from './orchestrator.js';

/** Options of {@link createCompiledOrchestrator}. */
export interface CompiledOrchestratorOptions {
  /** The plan `compilePlan` wrote (parsed JSON or an imported module's value). */
  plan: CompiledPlan;
  /** The consent providers, sources and strategies compiled, in the same order. */
  consent: ReadonlyArray<ConsentProvider>;
  sources?: ReadonlyArray<DataSource>;
  strategies: ReadonlyArray<Strategy>;
  /**
   * The merge function, when the plan was compiled with one (the plan says `merge: "custom"`). A
   * policy name is accepted when it is the plan's, so the options compiled can be passed as they are.
   */
  merge?: MergeFunction | MergePolicy;
  /** Hooks around every decision. */
  hooks?: ReadonlyArray<DecisionHooks>;
  /** Called when a listener or hook throws. Defaults to `console.warn`. */
  onListenerError?: (error: unknown, where: string) => void;
  /** The clock consent and every plugin's `now` follow (default `Date.now`). */
  clock?: () => number;
  /** The `@tactful/core` version the plan must have been compiled for (defaults to the installed one). */
  coreVersion?: string;
}

const invalid = (message: string, path: Array<string | number>) =>
  new TactfulError('INVALID_PLAN', `compiled plan: ${message}`, { path });

/**
 * Starts the engine from a compiled plan. Before anything runs it checks that the plan is one this
 * engine reads (its format and the core version it was compiled for), that it is unchanged since it
 * was compiled (its stamp), and that the plugins given are the ones compiled: same kinds, count,
 * order and names, and manifests with the same fingerprint. A plan that fails any of these is
 * refused — nothing of it is trusted.
 *
 * @throws TactfulError `INVALID_PLAN` (not a plan of this format, or changed after compiling) or
 *   `PLAN_MISMATCH` (compiled for another core, or for other plugins: every difference is in `issues`).
 * @example
 * ```ts
 * import { createCompiledOrchestrator } from '@tactful/orchestrator/compiled';
 * import plan from './tactful-plan.json';
 * import { pagePlugins } from './tactful.page.js';
 *
 * const tactful = createCompiledOrchestrator({ plan, ...pagePlugins() });
 * const decision = await tactful.decide({ slots: [{ id: 'home.hero', default: 'Welcome' }] });
 * ```
 */
export function createCompiledOrchestrator(options: CompiledOrchestratorOptions): Orchestrator {
  if (options === null || typeof options !== 'object')
    throw new TactfulError(
      'INVALID_OPTIONS',
      'createCompiledOrchestrator: pass { plan, consent, strategies }',
    );
  const body = verifyPlan(options.plan, options.coreVersion ?? CORE_VERSION);
  const plugins = {
    consent: options.consent ?? [],
    sources: options.sources ?? [],
    strategies: options.strategies ?? [],
  };
  const issues: TactfulIssue[] = [];
  for (const kind of ['consent', 'sources', 'strategies'] as const) {
    const compiled =
      kind === 'strategies' ? [...body.strategies].sort((a, b) => a.order - b.order) : body[kind];
    const given = plugins[kind];
    if (!Array.isArray(given)) {
      issues.push({ path: [kind], message: `${kind} must be an array of plugins` });
      continue;
    }
    if (given.length !== compiled.length) {
      issues.push({
        path: [kind],
        message: `${given.length} ${kind} given, ${compiled.length} compiled (${compiled.map((c) => c.name).join(', ') || 'none'}); pass the same plugins, or compile again`,
      });
      continue;
    }
    given.forEach((plugin: unknown, i) => {
      const want = compiled[i]!;
      let manifest: unknown;
      let name: unknown;
      let print: string | undefined;
      try {
        manifest = (plugin as { manifest?: unknown } | null)?.manifest;
        name = (manifest as { name?: unknown } | null)?.name;
        print = manifestFingerprint(manifest);
      } catch {}
      // Its functions are not read here: registration checked them on the instances compiled, and
      // one missing or throwing here is dropped from each decision it would be in (P8).
      if (name !== want.name) {
        issues.push({
          path: [kind, i, 'manifest', 'name'],
          message: `is "${String(name)}", the plan compiled "${want.name}" here; pass the plugins in the order compiled`,
        });
      } else if (print !== want.fingerprint) {
        issues.push({
          path: [kind, i, 'manifest'],
          message: `the manifest of "${want.name}" differs from the one compiled (a newer or changed plugin); compile the plan again`,
        });
      }
    });
  }
  // The gate (P1, P2) rests on the plugins' own manifests, never on the plan alone: what a
  // strategy needs granted and may read must be what its manifest (matched above) declares.
  if (issues.length === 0) {
    for (const s of body.strategies) {
      const m = plugins.strategies[s.order]?.manifest as
        | { purposes?: unknown; reads?: Array<{ category?: unknown; purpose?: unknown }> }
        | undefined;
      const purposes = new Set(Array.isArray(m?.purposes) ? m.purposes : []);
      const reads = new Set(
        (Array.isArray(m?.reads) ? m.reads : []).map((r) => `${r?.category}\n${r?.purpose}`),
      );
      const planned = new Set(s.reads.map((r) => `${r.category}\n${r.purpose}`));
      if (!sameSet(purposes, new Set(s.purposes)) || !sameSet(reads, planned))
        issues.push({
          path: ['strategies', s.order, 'manifest'],
          message: `the plan's purposes or reads for "${s.name}" are not its manifest's; compile the plan again`,
        });
    }
  }
  for (const [i, s] of plugins.sources.entries()) {
    const m = body.sources[i]?.manifest;
    for (const right of ['export', 'erase', 'rectify'] as const) {
      if (!m?.rights[right]) continue;
      let fn: unknown;
      try {
        fn = (s as unknown as Record<string, unknown>)[right];
      } catch {}
      if (typeof fn !== 'function')
        issues.push({
          path: ['sources', i, right],
          message: `declares rights.${right} but has no "${right}" function`,
        });
    }
  }
  if (body.merge === 'custom' && typeof options.merge !== 'function')
    issues.push({
      path: ['merge'],
      message: 'the plan was compiled with a merge function; pass it as merge',
    });
  if (body.merge !== 'custom' && options.merge !== undefined && options.merge !== body.merge)
    issues.push({
      path: ['merge'],
      message: `the plan was compiled with merge "${body.merge}"; compile with the merge function instead`,
    });
  if (issues.length > 0) {
    const detail = issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ');
    throw new TactfulError('PLAN_MISMATCH', `compiled plan does not match the plugins given: ${detail}`, {
      issues,
      path: issues[0]!.path,
    });
  }
  const registry = registryFromPlan(body, plugins);
  return startOrchestrator(registry, {
    timeouts: Object.freeze({ ...body.timeouts }),
    limits: Object.freeze({ ...body.limits }),
    merge: body.merge === 'custom' ? (options.merge as MergeFunction) : body.merge,
    hooks: options.hooks ?? [],
    consentChangeMemory: body.consentChangeMemory,
    onListenerError: options.onListenerError,
    clock: options.clock,
  });
}

function sameSet(a: ReadonlySet<unknown>, b: ReadonlySet<unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** The body of a plan this engine can trust, or a typed error saying why not. */
function verifyPlan(plan: unknown, core: string): PlanBody {
  if (plan === null || typeof plan !== 'object')
    throw invalid('expected the object compilePlan wrote', ['plan']);
  const { format, stamp, body } = plan as Partial<CompiledPlan>;
  if (format !== PLAN_FORMAT)
    throw invalid(
      `format is ${JSON.stringify(format)}, this engine reads "${PLAN_FORMAT}"; compile the plan with the same @tactful/orchestrator version as the page`,
      ['plan', 'format'],
    );
  if (body === null || typeof body !== 'object') throw invalid('has no body', ['plan', 'body']);
  // The engine runs on its own frozen copy, which must stamp the same (a getter answering
  // differently the second time is caught): what was stamped is what runs, whatever the page
  // does to the object it passed afterwards.
  let own: PlanBody;
  let actual: string;
  try {
    actual = planStamp(body);
    own = deepFreeze(JSON.parse(JSON.stringify(body)) as PlanBody);
    if (planStamp(own) !== actual) actual = '';
  } catch (error) {
    throw new TactfulError('INVALID_PLAN', 'compiled plan: its body is not plain JSON data', {
      path: ['plan', 'body'],
      cause: error,
    });
  }
  if (actual !== stamp)
    throw invalid(
      'its stamp does not match its body: it was changed after it was compiled; compile it again',
      ['plan', 'stamp'],
    );
  if (own.core !== core)
    throw new TactfulError(
      'PLAN_MISMATCH',
      `compiled plan: compiled for @tactful/core ${own.core}, this page runs ${core}; compile the plan again`,
      { path: ['plan', 'body', 'core'] },
    );
  return own;
}
