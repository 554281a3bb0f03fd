import { isTactfulError, isTactfulErrorCode } from '@tactful/core';

/** How a plugin call ended, and how long it took. */
export type Settlement<T> =
  | { readonly status: 'fulfilled'; readonly value: T; readonly elapsedMs: number }
  | { readonly status: 'rejected'; readonly error: unknown; readonly elapsedMs: number }
  | { readonly status: 'pending'; readonly elapsedMs: number };

const now = (): number => (typeof performance === 'undefined' ? Date.now() : performance.now());

/**
 * Runs a plugin call (sync or async, throwing or rejecting) and reports how it ended. With
 * `withinMs`, a call still running after that long is reported as `pending` (it is left to finish
 * in the background).
 */
export async function settle<T>(run: () => T | PromiseLike<T>, withinMs?: number): Promise<Settlement<T>> {
  const start = now();
  let promise: Promise<T>;
  try {
    promise = Promise.resolve(run());
  } catch (error) {
    return { status: 'rejected', error, elapsedMs: now() - start };
  }
  const outcome = promise.then(
    (value): Settlement<T> => ({ status: 'fulfilled', value, elapsedMs: now() - start }),
    (error: unknown): Settlement<T> => ({ status: 'rejected', error, elapsedMs: now() - start }),
  );
  if (withinMs === undefined) return outcome;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<Settlement<T>>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'pending', elapsedMs: now() - start }), withinMs);
  });
  try {
    return await Promise.race([outcome, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Why `error` is not an acceptable error from a plugin, or `undefined` when it is: a
 * `TactfulError` (checked by brand) whose code is one of core's known codes.
 */
export function errorProblem(error: unknown): string | undefined {
  if (!isTactfulError(error)) {
    const what =
      error instanceof Error ? `${error.name}: ${error.message}` : `a non-error value (${typeof error})`;
    return `threw ${what}; throw a TactfulError with a known code instead (or return an empty output)`;
  }
  if (!isTactfulErrorCode(error.code)) {
    return `threw a TactfulError with unknown code "${String(error.code)}"; use one of core's ERROR_CODES`;
  }
  return undefined;
}

/** True when `error` looks like the TypeError a runtime throws on writing to a frozen object. */
export function isFrozenWriteError(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /read.only|not extensible|Cannot (assign|add|delete|define|redefine)|frozen|non-writable|'set' on proxy|'deleteProperty' on proxy|'defineProperty' on proxy/i.test(
      error.message,
    )
  );
}
