import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type {
  AuditAnchor,
  AuditEntry,
  AuditListOptions,
  AuditSealBatch,
  AuditSealResult,
  AuditStore,
} from '@tactful/audit';
import { payloadText } from './audit-sqlite-store.js';
import { TactfulError } from '@tactful/core';
import { type SerializedError, deserializeError } from './worker-protocol.js';

/** Options of {@link sqliteAuditThreadStore}. */
export interface SqliteAuditThreadStoreOptions {
  /** The database file (created if missing; the `audit` tables are migrated by the thread). */
  filename: string;
}

/** An `AuditStore` whose SQLite connection lives in a worker thread; `close()` ends the thread. */
export interface SqliteAuditThreadStore extends AuditStore {
  appendSealed(batch: AuditSealBatch): Promise<AuditSealResult>;
  close(): Promise<void>;
}

/**
 * An entry as posted to the worker: the payload as its JSON text (the trail's canonical JSON when
 * it gave one), which is much cheaper to post than the nested object.
 */
function posted(entry: AuditEntry): PostedEntry {
  const { payload, ...rest } = entry;
  return {
    ...rest,
    payload: null,
    payloadText: payload === null ? null : (payloadText(entry) ?? JSON.stringify(payload)),
  };
}

/** What the worker receives for an entry. */
export interface PostedEntry extends Omit<AuditEntry, 'payload'> {
  payload: null;
  payloadText: string | null;
}

/** The worker's file: next to this module once built, or the built one when run from source. */
function workerFile(): URL {
  for (const candidate of ['./audit-worker.js', '../dist/audit-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(url)) return url;
  }
  throw new TactfulError(
    'STORE_FAILED',
    'sqliteAuditThreadStore: the worker file audit-worker.js is missing; build @tactful/store-sqlite',
  );
}

/**
 * The SQLite audit store of {@link sqliteAuditStore} in a worker thread with its own connection to
 * `filename`: the main thread only posts entries and receives answers, so the durable insert, the
 * commit and its fsync (group commit: one per batch) never block the event loop. With
 * `appendSealed` (which the trail uses when the store has it) the main thread posts only each
 * batch's payload texts, in one message, and the thread also digests and links them. Same contract
 * and conformance as `sqliteAuditStore` (errors keep their codes, e.g. `CONFLICT` when another
 * writer appended first). The thread keeps the process alive only while calls are pending.
 *
 * @example
 * ```ts
 * const store = sqliteAuditThreadStore({ filename: './tactful.sqlite' });
 * const audit = createAuditTrail({ store, key: process.env.AUDIT_KEY!, hashing: nodeAuditHashing() });
 * // ... on shutdown
 * await audit.flush();
 * await store.close();
 * ```
 */
export function sqliteAuditThreadStore(options: SqliteAuditThreadStoreOptions): SqliteAuditThreadStore {
  if (typeof options?.filename !== 'string' || options.filename === '') {
    throw new TactfulError('INVALID_OPTIONS', 'sqliteAuditThreadStore: filename: give the database file', {
      path: ['filename'],
    });
  }
  const worker = new Worker(workerFile(), { workerData: { filename: options.filename } });
  worker.unref();
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  let next = 0;
  let failure: TactfulError | undefined;
  let closed: Promise<void> | undefined;

  const failAll = (error: TactfulError) => {
    failure ??= error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    worker.unref();
  };
  worker.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: SerializedError }) => {
    const p = pending.get(m.id);
    if (p === undefined) return;
    pending.delete(m.id);
    if (pending.size === 0) worker.unref();
    if (m.ok) p.resolve(m.value);
    else p.reject(deserializeError(m.error ?? { message: 'failed' }, 'sqliteAuditThreadStore'));
  });
  worker.on('error', (error) =>
    failAll(
      new TactfulError('STORE_FAILED', `sqliteAuditThreadStore: the worker failed: ${error.message}`, {
        cause: error,
      }),
    ),
  );
  worker.on('exit', (code) =>
    failAll(new TactfulError('STORE_FAILED', `sqliteAuditThreadStore: the worker exited (${code})`)),
  );

  const call = <T>(method: string, ...args: unknown[]): Promise<T> => {
    if (failure !== undefined) return Promise.reject(failure);
    if (closed !== undefined) {
      return Promise.reject(new TactfulError('STORE_FAILED', 'sqliteAuditThreadStore: the store is closed'));
    }
    const id = next++;
    if (pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, method, args });
    });
  };

  return {
    append: (entry: AuditEntry) => call<void>('appendMany', [posted(entry)]),
    appendMany: (entries: ReadonlyArray<AuditEntry>) => call<void>('appendMany', entries.map(posted)),
    // One message per batch: the texts go to the thread, which digests, links and stores them.
    appendSealed: (batch: AuditSealBatch) => call<AuditSealResult>('appendSealed', batch),
    tail: () => call<AuditEntry | undefined>('tail'),
    list: (listOptions?: AuditListOptions) => call<AuditEntry[]>('list', listOptions),
    bySubject: (subject: string) => call<AuditEntry[]>('bySubject', subject),
    redactSubject: (subject: string, redactedAt: string) =>
      call<number>('redactSubject', subject, redactedAt),
    purge: (throughSeq: number, anchor: AuditAnchor) => call<number>('purge', throughSeq, anchor),
    anchor: () => call<AuditAnchor | undefined>('anchor'),
    close() {
      closed ??= (async () => {
        if (failure === undefined) {
          const id = next++;
          worker.ref();
          await new Promise<void>((resolve) => {
            pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
            worker.postMessage({ id, method: 'close', args: [] });
          });
        }
        await worker.terminate();
      })();
      return closed;
    },
  };
}
