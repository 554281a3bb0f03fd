import { TactfulError, isTactfulError } from './errors.js';

/**
 * Turns a storage driver's failure into `STORE_FAILED` naming the store and the operation
 * (`sqliteSubjectStore: erase failed: SQLITE_BUSY ...`); a {@link TactfulError} passes through
 * unchanged, so a validation error thrown inside a store keeps its own code.
 */
export function storeFailed(store: string, what: string, error: unknown): TactfulError {
  if (isTactfulError(error)) return error;
  return new TactfulError(
    'STORE_FAILED',
    `${store}: ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}

/** Runs a synchronous store operation, mapping a driver failure to `STORE_FAILED` ({@link storeFailed}). */
export function guardStore<T>(store: string, what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw storeFailed(store, what, error);
  }
}

/** Runs an asynchronous store operation, mapping a driver failure to `STORE_FAILED` ({@link storeFailed}). */
export async function guardStoreAsync<T>(store: string, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw storeFailed(store, what, error);
  }
}
