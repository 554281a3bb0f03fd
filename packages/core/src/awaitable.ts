/** A value, or a promise of it: what a contract returns when an in-memory implementation answers at once and a remote one (Redis, a database) cannot. Await it either way. */
export type Awaitable<T> = T | Promise<T>;

/**
 * True for a promise or any other thenable. Lets a caller of an {@link Awaitable} go on
 * synchronously when the value is already there (no promise, no microtask per call).
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
