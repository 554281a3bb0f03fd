import { type PluginCallContext, TactfulError, isThenable } from '@tactful/core';

/** The outcome of one plugin call. */
export type CallResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly timedOut: boolean; readonly error: unknown };

/**
 * The context a plugin call receives. The `AbortSignal` is created only when the plugin reads it
 * (creating one costs several microseconds in Node), so plugins that never look at it, or poll the
 * `aborted` flag instead, cost nothing; one read after the deadline gets an aborted signal.
 */
class CallContext implements PluginCallContext {
  readonly traceId: string;
  #controller: AbortController | undefined;
  #reason: unknown;

  constructor(traceId: string) {
    this.traceId = traceId;
  }

  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}

/** True for a promise or any other thenable (one implementation, in core). */
export { isThenable };

/** Every supported runtime (Node 20, browsers, workers) has `performance.now`. */
const now = (): number => performance.now();

/** The reading the last plugin call ended with (see `chained`); -1 when plugin code may have run since. */
let last = 0;

/** The monotonic clock the orchestrator measures deadlines with, in milliseconds. */
export const clock = now;

/** The error of a call that ran out of time (`timeoutMs` ≤ 0: it was never started). */
function timeoutError(kind: string, name: string, timeoutMs: number): TactfulError {
  return new TactfulError(
    'PLUGIN_TIMEOUT',
    timeoutMs > 0
      ? `${kind} "${name}" did not answer within ${Math.max(1, Math.round(timeoutMs))} ms`
      : `${kind} "${name}" was not called: the decision's deadline had already passed`,
    { plugin: name },
  );
}

/**
 * Calls a plugin function with a deadline (its own timeout, capped by the decision's absolute
 * `deadline`) and an AbortSignal: `target[method](arg, ctx)`, so the hot path makes no closure
 * per call (the method is read inside the guard: a throwing getter is the plugin's fault). Never throws, never waits past the deadline. A synchronous result is returned
 * synchronously (no timer is armed for it), but a synchronous call that ran past its deadline
 * still counts as timed out.
 *
 * `chained`: this call follows another in the same synchronous loop with only the engine's own
 * work between them (no plugin code, no wait), so it starts at the clock reading that call ended
 * with: one reading per call instead of two. Its time then includes those few engine
 * microseconds, never less than its own.
 */
export function callWithDeadline<A, T>(
  kind: string,
  name: string,
  target: object,
  method: string,
  arg: A,
  pluginTimeoutMs: number,
  deadline: number,
  traceId: string,
  chained?: boolean,
): CallResult<T> | Promise<CallResult<T>> {
  const ctx = new CallContext(traceId);
  if (!chained || last < 0) last = now();
  const started = last;
  const timeoutMs = Math.min(pluginTimeoutMs, deadline - started);
  // The message never gives a negative time: a call whose deadline had passed was never started.
  if (timeoutMs <= 0) {
    ctx.abort(timeoutError(kind, name, timeoutMs));
    return { ok: false, timedOut: true, error: timeoutError(kind, name, timeoutMs) };
  }
  let result: T | PromiseLike<T>;
  try {
    result = (target as Record<string, (arg: A, ctx: PluginCallContext) => T | PromiseLike<T>>)[method]!(
      arg,
      ctx,
    );
  } catch (error) {
    last = now();
    return { ok: false, timedOut: false, error };
  }
  if (!isThenable(result)) {
    last = now();
    if (last - started > timeoutMs) {
      const error = timeoutError(kind, name, timeoutMs);
      // Its abort listeners run now: the next call reads the clock afresh.
      last = -1;
      ctx.abort(error);
      return { ok: false, timedOut: true, error };
    }
    return { ok: true, value: result };
  }
  // A thenable's own `then` runs below: the next call reads the clock afresh.
  last = -1;
  const remaining = timeoutMs - (now() - started);
  return new Promise<CallResult<T>>((resolve) => {
    let done = false;
    const timer = setTimeout(
      () => {
        if (done) return;
        done = true;
        const error = timeoutError(kind, name, timeoutMs);
        ctx.abort(error);
        resolve({ ok: false, timedOut: true, error });
      },
      Math.max(0, remaining),
    );
    try {
      result.then(
        (value) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve({ ok: true, value });
        },
        (error: unknown) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          resolve({ ok: false, timedOut: false, error });
        },
      );
    } catch (error) {
      // A hostile thenable whose `then` throws.
      done = true;
      clearTimeout(timer);
      resolve({ ok: false, timedOut: false, error });
    }
  });
}

/** A short, safe description of what a plugin threw. */
export function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return error.message.slice(0, 500) || error.name;
    if (typeof error === 'string') return error.slice(0, 500);
    return `threw a non-error value (${typeof error})`;
  } catch {
    return 'threw an unreadable value';
  }
}
