import type { DecisionRequest, DroppedPlugin, Subject } from '@tactful/core';
import { formatPath, inspectValue } from '@tactful/core';
import { type CallResult, callWithDeadline, describeError, isThenable } from './call.js';
import type { DecisionPlan } from './plan.js';

/**
 * Calls the sources a plan needs, concurrently, each with its deadline and an AbortSignal, and
 * puts the categories they return (frozen, P2) into `values`. The first source by name that returns
 * a category wins (the configuration's order never changes an outcome). Returns the sources that
 * failed, by name.
 */
export function loadSources(
  plan: DecisionPlan,
  request: DecisionRequest,
  now: number,
  deadline: number,
  traceId: string,
  values: Map<string, unknown>,
): DroppedPlugin[] | Promise<DroppedPlugin[]> {
  const calls = plan.sourceCalls;
  if (calls.length === 0) return [];
  const subject: Subject | undefined = request.subject;
  const pending: Array<CallResult<unknown> | Promise<CallResult<unknown>>> = new Array(calls.length);
  let async = false;
  for (let i = 0; i < calls.length; i++) {
    const { plan: source, categories } = calls[i]!;
    // Frozen (its parts already are): a source cannot rewrite what the next source is asked.
    const query = Object.freeze(
      subject === undefined
        ? { categories, context: request.context, now }
        : { subject, categories, context: request.context, now },
    );
    const call = callWithDeadline(
      'source',
      source.name,
      source.plugin,
      'load',
      query,
      source.timeoutMs,
      deadline,
      traceId,
      i > 0,
    );
    if (isThenable(call)) async = true;
    pending[i] = call;
  }
  const collect = (results: ReadonlyArray<CallResult<unknown>>): DroppedPlugin[] => {
    const failed: DroppedPlugin[] = [];
    // By source name: when two sources give a category, the first by name wins, whatever the
    // registration order. Failures are reported in the same order.
    const order = plan.sourceOrder;
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      const call = calls[i]!;
      const failure = readSource(results[i]!, call.categories, values);
      if (failure) failed.push({ plugin: call.plan.name, kind: 'source', outcome: 'failed', ...failure });
    }
    return failed;
  };
  return async ? Promise.all(pending).then(collect) : collect(pending as Array<CallResult<unknown>>);
}

/** Takes the requested categories from a source's answer; returns why it failed, if it did. */
function readSource(
  result: CallResult<unknown>,
  categories: readonly string[],
  values: Map<string, unknown>,
): { code: string; reason: string } | undefined {
  if (!result.ok) {
    return result.timedOut
      ? { code: 'PLUGIN_TIMEOUT', reason: describeError(result.error) }
      : { code: 'SOURCE_FAILED', reason: `load failed: ${describeError(result.error)}` };
  }
  const answer = result.value;
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    return { code: 'INVALID_OUTPUT', reason: 'load must return an object keyed by category' };
  }
  try {
    for (let i = 0; i < categories.length; i++) {
      const c = categories[i]!;
      // Only what it was asked for: a source cannot slip in other categories.
      if (values.has(c) || !Object.hasOwn(answer, c)) continue;
      const v = (answer as Record<string, unknown>)[c];
      if (v === undefined) continue;
      // Frozen all the way down (a shallow freeze by the source leaves children writable), and
      // refused with its path when it holds a forbidden key or nests without bound.
      const found = inspectValue(v, { freeze: true });
      if (found !== undefined)
        return {
          code: 'INVALID_OUTPUT',
          reason: `category "${c}" at ${formatPath(found.path)}: ${found.message}`,
        };
      values.set(c, v);
    }
  } catch (error) {
    return { code: 'INVALID_OUTPUT', reason: `its answer could not be read: ${describeError(error)}` };
  }
  return undefined;
}
