import { TactfulError, type TactfulErrorCode, isTactfulError, isTactfulErrorCode } from '@tactful/core';

/** The stores a database thread serves. */
export type ThreadStore = 'consent' | 'subject' | 'audit' | 'health';

/** A call sent to a database thread. */
export interface CallMessage {
  readonly id: number;
  readonly store: ThreadStore;
  readonly method: string;
  readonly args: unknown[];
  /** The caller's clock (epoch ms) at the call: the store stamps records with it. */
  readonly now: number;
  /** Epoch ms after which the call must not start (it is then answered `expired`, not run). */
  readonly deadline: number;
  /**
   * Run in one read transaction with SQLite's `PRAGMA data_version` read first, answered with it
   * (`version`): two answers of the same connection with the same version saw the same data.
   */
  readonly versioned?: true;
}

/** The calls posted to a database thread together (those made in one turn of the caller's event loop), in order. */
export type CallBatch = ReadonlyArray<CallMessage>;

/** A database thread's answers to one {@link CallBatch}, in the calls' order. */
export type ReplyBatch = ReadonlyArray<ReplyMessage>;

/** A database thread's answer to one call. */
export type ReplyMessage =
  | { readonly id: number; readonly ok: true; readonly value: unknown; readonly version?: number }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError }
  /** Not run: cancelled by the caller, or its deadline passed before it could start. */
  | { readonly id: number; readonly skipped: true };

/** What the thread says once its database is open and migrated (or why it could not be). */
export type ReadyMessage =
  | { readonly ready: true }
  | { readonly ready: false; readonly error: SerializedError };

/** A TactfulError (or any error) as it crosses a thread. */
export interface SerializedError {
  readonly code?: string;
  readonly message: string;
  readonly path?: ReadonlyArray<string | number>;
  readonly issues?: ReadonlyArray<{ path: ReadonlyArray<string | number>; message: string }>;
  readonly plugin?: string;
  /** The SQLite error code of the driver's error (`SQLITE_BUSY`, `SQLITE_FULL` ...), when there was one. */
  readonly sqlite?: string;
}

/**
 * States of a call's slot in the shared ring: only one side may move a call out of `PENDING`.
 * `DONE`: the thread ran it (its answer is on its way), so a thread that dies before the answer
 * arrives leaves a write's outcome to be read back, never reported as "not done".
 */
export const SLOT = Object.freeze({ FREE: 0, PENDING: 1, RUNNING: 2, CANCELLED: 3, DONE: 4 });

/** Methods that write, per store: they go to the writer thread; everything else is a read. */
export const WRITES: Readonly<Record<ThreadStore, ReadonlySet<string>>> = Object.freeze({
  consent: new Set(['append', 'appendAll', 'eraseSubject']),
  subject: new Set([
    'declarePreferences',
    'setAttributes',
    'recordEvents',
    'replaceEvents',
    'setCart',
    'setSegments',
    'purgeExpired',
    'erase',
  ]),
  audit: new Set(['append', 'appendMany', 'appendSealed', 'redactSubject', 'purge']),
  health: new Set(['probeWrite']),
});

/** Turns an error into its cross-thread form. */
export function serializeError(error: unknown): SerializedError {
  const sqlite = sqliteCode(error);
  if (isTactfulError(error)) {
    return {
      code: error.code,
      message: error.message,
      ...(error.path === undefined ? {} : { path: [...error.path] }),
      issues: error.issues.map((i) => ({ path: [...i.path], message: i.message })),
      ...(error.plugin === undefined ? {} : { plugin: error.plugin }),
      ...(sqlite === undefined ? {} : { sqlite }),
    };
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    ...(sqlite === undefined ? {} : { sqlite }),
  };
}

/** The SQLite code of a driver error, or of the cause of a TactfulError wrapping one. */
function sqliteCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return undefined;
}

/** Rebuilds a thrown error on the caller's side: a TactfulError with its code, path and issues. */
export function deserializeError(error: SerializedError, what: string): TactfulError {
  const code: TactfulErrorCode = isTactfulErrorCode(error.code) ? error.code : 'STORE_FAILED';
  const message = error.code === undefined ? `${what} failed: ${error.message}` : error.message;
  const rebuilt = new TactfulError(code, message, {
    ...(error.path === undefined ? {} : { path: error.path }),
    ...(error.issues === undefined ? {} : { issues: error.issues }),
    ...(error.plugin === undefined ? {} : { plugin: error.plugin }),
  });
  if (error.sqlite !== undefined) Object.defineProperty(rebuilt, 'sqliteCode', { value: error.sqlite });
  return rebuilt;
}
