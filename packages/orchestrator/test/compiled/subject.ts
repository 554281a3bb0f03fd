// The orchestrator's decision tests, run against the compiled path: `createOrchestrator` here
// compiles the options into a plan, sends the plan through JSON (as a build step would write it)
// and starts the page engine from it with the same plugin instances. Registration errors come
// from `compilePlan`, which runs the same checks. `vitest.compiled.config.ts` points the tests'
// `../src/index.js` here.
import { compilePlan } from '../../src/compile.js';
import { createCompiledOrchestrator } from '../../src/compiled.js';
import type { MergeFunction, Orchestrator, OrchestratorOptions } from '../../src/index.js';

export * from '../../src/index.js';

export function createOrchestrator(options: OrchestratorOptions): Orchestrator {
  const plan = JSON.parse(JSON.stringify(compilePlan(options)));
  return createCompiledOrchestrator({
    plan,
    consent: options.consent,
    ...(options.sources === undefined ? {} : { sources: options.sources }),
    strategies: options.strategies,
    ...(typeof options.merge === 'function' ? { merge: options.merge as MergeFunction } : {}),
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    ...(options.onListenerError === undefined ? {} : { onListenerError: options.onListenerError }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.coreVersion === undefined ? {} : { coreVersion: options.coreVersion }),
  });
}
