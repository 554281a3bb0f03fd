import type { AuditStore } from '@tactful/audit';
import {
  type ConsentRecord,
  type ConsentStore,
  type SubjectRetention,
  type SubjectStore,
  TactfulError,
  deepFreeze,
  isThenable,
  resolveRetention,
} from '@tactful/core';
import type { Versioned } from './db-thread.js';
import { FreshReads } from './fresh-reads.js';
import { MAIN_READS, MainReads } from './main-reads.js';
import { cacheSize } from './read-cache.js';
import { DEFAULT_RESTART, type RestartPolicy, SupervisedThread } from './thread-supervisor.js';
import { WRITES, type ThreadStore } from './worker-protocol.js';

/** Options of {@link openSqliteStores}. */
export interface SqliteStoresOptions {
  /** The database file (created if missing), shared by the consent, subject and audit stores. */
  filename: string;
  /** The clock (epoch ms) records are stamped with. Default `Date.now`. */
  clock?: () => number;
  /**
   * How many people's latest consent the reader thread keeps (see `sqliteConsentStore`), and how
   * many profile answers this thread keeps to answer a decision's profile read without asking the
   * reader thread, when a consent read of the same person in the same turn proved them current
   * (see `FreshReads`). Default 10,000; 0 turns both off.
   */
  cacheSize?: number;
  /** Options of the subject store (see `sqliteSubjectStore`): its name, retention and tombstone key. */
  subject?: { name?: string; retention?: Partial<SubjectRetention>; tombstoneKey?: string | Uint8Array };
  /**
   * Longest a read waits for the database, in milliseconds, before it fails with `STORE_FAILED`
   * (the thread may be stuck behind another process's lock). Default 2,000.
   */
  readTimeoutMs?: number;
  /**
   * Longest a write waits to start, in milliseconds (another process's write lock, a queue of
   * writes). A write that did not start in time fails with `STORE_FAILED` and is never done later;
   * one that started is always waited for, so its answer is the truth. Default 5,000.
   */
  writeTimeoutMs?: number;
  /** Most calls waiting per database thread; past it, calls fail at once with `STORE_FAILED`. Default 1,024. */
  maxPending?: number;
  /** `checkWritable()` reports not writable below this much free disk, in bytes. Default 1 MiB. */
  minFreeBytes?: number;
  /**
   * How a database thread that died (an exception, out of memory, terminated) is started again:
   * after `minDelayMs` (default 100), doubling up to `maxDelayMs` (default 5,000) while it keeps
   * failing. Meanwhile its calls fail at once with `STORE_FAILED` and `checkWritable()` says why.
   */
  restart?: Partial<RestartPolicy>;
  /**
   * Where reads run. `'thread'` (default): on the reader thread, so no read ever blocks the
   * caller's event loop, whatever lock another process holds. `'main-first'`: the reads of a
   * decision and the other reads (consent `latest`, `history`, `erasure`; subject `getPreferences`,
   * `getAttributes`, `listEvents`, `getCart`, `getSegments`, `isErased`) are first tried on the
   * caller's thread through a read-only connection that never waits for a lock (`busy_timeout` 0);
   * one that fails (a lock, a checkpoint or recovery under way, any error) is made on the reader
   * thread instead, with the same answer. Cheaper per decision (no message to a thread and back),
   * and a withdrawal is still seen by the very next read; but one wait is beyond SQLite's busy
   * timeout: another process holding the WAL index's read locks outside SQLite's protocol makes a
   * read start spin up to ~10 s. A read that failed, or two in a row slower than 50 ms, suspend main-thread
   * reads (1 s, doubling to 30 s, and until a reader-thread read succeeds), so that costs at most
   * one stall; choose `'main-first'` where no such process touches the file, and measure your load:
   * one decision at a time it is cheaper, but the decide route under 32 concurrent connections
   * measured slower with it. Writes always go to the writer thread.
   */
  reads?: 'thread' | 'main-first';
}

/** The outcome of {@link SqliteStores.checkWritable}. */
export interface Writability {
  readonly writable: boolean;
  /** Why not, when not writable. */
  readonly reason?: string;
}

/** A subject store served by a database thread. */
export interface ThreadedSubjectStore extends SubjectStore {
  close(): Promise<void>;
}

/** The stores of {@link openSqliteStores}, with their database threads. */
export interface SqliteStores {
  readonly consent: ConsentStore;
  readonly subject: ThreadedSubjectStore;
  readonly audit: AuditStore;
  /**
   * Whether the database accepts writes now: the writer thread answers within a second, the disk has
   * `minFreeBytes` free, and a real (tiny, durable) write succeeds.
   */
  checkWritable(): Promise<Writability>;
  /**
   * Calls waiting per thread and the age of the oldest, for metrics and load shedding; `restarts`:
   * how many times a database thread that died was started again; `mainReads` (with `reads:
   * 'main-first'`): reads answered on the caller's thread, attempts that went to the reader thread
   * instead, and whether main-thread reads are suspended now (after a slow or failed one).
   */
  stats(): {
    readonly pending: number;
    readonly oldestWaitMs: number;
    readonly restarts: number;
    readonly mainReads?: { readonly served: number; readonly fellBack: number; readonly suspended: boolean };
  };
  /** Waits for the calls in flight, closes the connections and ends the threads. */
  close(): Promise<void>;
}

const CONSENT_METHODS = ['append', 'appendAll', 'latest', 'history', 'eraseSubject', 'erasure'] as const;
const SUBJECT_METHODS = [
  'getPreferences',
  'declarePreferences',
  'getAttributes',
  'setAttributes',
  'recordEvents',
  'listEvents',
  'replaceEvents',
  'getCart',
  'setCart',
  'getSegments',
  'setSegments',
  'purgeExpired',
  'exportSubject',
  'erase',
  'isErased',
] as const;
const AUDIT_METHODS = [
  'append',
  'appendMany',
  'appendSealed',
  'tail',
  'list',
  'bySubject',
  'redactSubject',
  'purge',
  'anchor',
] as const;

const WHAT = 'openSqliteStores';

const isMainRead = (store: ThreadStore, method: string): boolean =>
  (MAIN_READS as Record<string, ReadonlySet<string>>)[store]?.has(method) === true;

/** `then(value)` now for a value, once settled for a promise. */
function thenOrNow<T, R>(value: T | Promise<T>, then: (value: T) => R): R | Promise<R> {
  return isThenable(value) ? (value as Promise<T>).then(then) : then(value as T);
}

function positive(value: number | undefined, fallback: number, path: string, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new TactfulError('INVALID_OPTIONS', `${WHAT}: ${path} must be a whole number from 1 to ${max}`, {
      path: [path],
    });
  }
  return value;
}

/** Freezes what a consent call returns, as the in-process store does (records are immutable). */
function frozenConsent(value: unknown): unknown {
  if (value instanceof Map) {
    for (const record of value.values()) deepFreeze(record as ConsentRecord);
    return value;
  }
  return value && typeof value === 'object' ? deepFreeze(value) : value;
}

/**
 * Opens the SQLite database `filename` on two database threads (a writer and a reader, each a
 * worker owning one connection) and returns the consent, subject and audit stores served by them.
 * Same schema, same guarantees as the in-process stores (`sqliteConsentStore` ...), but SQLite's
 * waits — another process holding the write lock or the WAL index (a backup, the CLI, a
 * migration), a slow fsync — block those threads, never the caller's event loop: a read past its
 * deadline fails fast with `STORE_FAILED`, and a write that could not start in time fails with
 * `STORE_FAILED` and is never done later.
 *
 * @example
 * ```ts
 * import { openSqliteStores } from '@tactful/store-sqlite';
 * const stores = await openSqliteStores({ filename: './tactful.sqlite' });
 * await stores.consent.latest('u-42');
 * await stores.close();
 * ```
 */
export async function openSqliteStores(options: SqliteStoresOptions): Promise<SqliteStores> {
  if (!options || typeof options.filename !== 'string' || options.filename.length === 0) {
    throw new TactfulError('INVALID_OPTIONS', `${WHAT}: pass { filename: "./tactful.sqlite" }`, {
      path: ['filename'],
    });
  }
  if (options.filename === ':memory:') {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${WHAT}: filename: an in-memory database cannot be shared by threads; use a file, or the in-process stores`,
      { path: ['filename'] },
    );
  }
  const clock = options.clock ?? Date.now;
  const readTimeoutMs = positive(options.readTimeoutMs, 2000, 'readTimeoutMs', 600_000);
  const writeTimeoutMs = positive(options.writeTimeoutMs, 5000, 'writeTimeoutMs', 600_000);
  const maxPending = positive(options.maxPending, 1024, 'maxPending', 1_000_000);
  const minFreeBytes = options.minFreeBytes ?? 1024 * 1024;
  const retention = resolveRetention(options.subject?.retention);
  const setup = {
    filename: options.filename,
    busyTimeoutMs: writeTimeoutMs,
    minFreeBytes,
    consent: options.cacheSize === undefined ? {} : { cacheSize: options.cacheSize },
    subject: { ...options.subject },
  };
  // The writer starts first and the reader only once it is ready: switching a new file to WAL
  // takes an exclusive lock that SQLite refuses at once ("database is locked", whatever the busy
  // timeout) while another connection is opening it, so two threads opening together could fail.
  // Each is restarted if it dies (see SupervisedThread); meanwhile its calls fail at once.
  const restart: RestartPolicy = {
    minDelayMs: positive(
      options.restart?.minDelayMs,
      DEFAULT_RESTART.minDelayMs,
      'restart.minDelayMs',
      600_000,
    ),
    maxDelayMs: positive(
      options.restart?.maxDelayMs,
      DEFAULT_RESTART.maxDelayMs,
      'restart.maxDelayMs',
      600_000,
    ),
  };
  const threadOptions = { clock, maxPending, name: WHAT };
  const writer = await SupervisedThread.start({ ...setup, role: 'writer' }, threadOptions, restart);
  let reader: SupervisedThread;
  try {
    reader = await SupervisedThread.start({ ...setup, role: 'reader' }, threadOptions, restart);
  } catch (error) {
    await writer.close();
    throw error;
  }

  if (options.reads !== undefined && options.reads !== 'thread' && options.reads !== 'main-first') {
    await Promise.all([reader.close(), writer.close()]);
    throw new TactfulError('INVALID_OPTIONS', `${WHAT}: reads must be "thread" or "main-first"`, {
      path: ['reads'],
    });
  }
  const maxCached = cacheSize(options.cacheSize, WHAT, 'cacheSize');
  const fresh = new FreshReads(maxCached);
  // Opened once both threads are up, so the file exists, is in WAL mode and is migrated.
  const main =
    options.reads === 'main-first'
      ? MainReads.open(options.filename, {
          cacheSize: maxCached,
          retention,
          clock,
          tombstoneKey: options.subject?.tombstoneKey,
        })
      : undefined;
  const wrote = (value: unknown) => {
    fresh.wrote();
    return value;
  };
  const threadRead = (store: ThreadStore, method: string, args: unknown[], versioned: boolean) => {
    const pending = reader.call(store, method, args, readTimeoutMs, false, versioned);
    if (main === undefined) return pending;
    return pending.then((value) => {
      main.threadReadSucceeded();
      return value;
    });
  };
  /** A read on this thread when it can be (`reads: 'main-first'`), else on the reader thread. */
  const read = (store: ThreadStore, method: string, args: unknown[]): Versioned | Promise<Versioned> =>
    main?.read(store, method, args) ?? (threadRead(store, method, args, true) as Promise<Versioned>);
  const call = (store: ThreadStore, method: string, args: unknown[]): unknown =>
    WRITES[store].has(method)
      ? writer.call(store, method, args, writeTimeoutMs, true).then(wrote, (error: unknown) => {
          // Failed or not, it may have committed: nothing validated before it holds.
          fresh.wrote();
          throw error;
        })
      : main !== undefined && isMainRead(store, method)
        ? thenOrNow(read(store, method, args), (answer) => answer.value)
        : threadRead(store, method, args, false);
  /** Methods whose answer is a promise by contract (`history`, `erasure`, `isErased`). */
  const promised = new Set(['consent.history', 'consent.erasure', 'subject.isErased']);
  const proxy = <M extends string>(store: ThreadStore, methods: ReadonlyArray<M>, post = (v: unknown) => v) =>
    Object.fromEntries(
      methods.map((m) => [
        m,
        (...args: unknown[]) => {
          const answer = thenOrNow(call(store, m, args), post);
          return isThenable(answer) || !promised.has(`${store}.${m}`) ? answer : Promise.resolve(answer);
        },
      ]),
    ) as Record<M, (...args: unknown[]) => Promise<unknown>>;
  // The consent read of a decision proves the profile answers held here current (see FreshReads);
  // the consent itself is always read from the database.
  const latest = (subject: unknown) =>
    thenOrNow(read('consent', 'latest', [subject]), ({ value, version }) => {
      fresh.consentRead(subject, version);
      return frozenConsent(value);
    });
  const profileRead = (method: 'getPreferences' | 'getAttributes') => (subject: unknown) => {
    const held = fresh.get(method, subject);
    if (held.hit) return held.value;
    return thenOrNow(read('subject', method, [subject]), ({ value, version }) =>
      fresh.keep(method, subject, version, value),
    );
  };

  let closing: Promise<void> | undefined;
  const close = () => {
    // This thread's connection first, so that it is never the file's last one (that one checkpoints).
    main?.close();
    closing ??= Promise.all([reader.close(), writer.close()]).then(() => {});
    return closing;
  };
  const consent = { ...proxy('consent', CONSENT_METHODS, frozenConsent), latest, close } as ConsentStore;
  // Plain objects like the in-process stores' (the facade itself is frozen).
  const subject = {
    name: options.subject?.name ?? 'sqlite-subject-store',
    kind: 'subject' as const,
    retention,
    ...proxy('subject', SUBJECT_METHODS),
    getPreferences: profileRead('getPreferences'),
    getAttributes: profileRead('getAttributes'),
    close,
  } as unknown as ThreadedSubjectStore;
  const audit = { ...proxy('audit', AUDIT_METHODS), close } as unknown as AuditStore;

  return Object.freeze({
    consent,
    subject,
    audit,
    async checkWritable(): Promise<Writability> {
      // A thread being restarted: reads or writes would fail at once, so not ready.
      const down = writer.down ?? reader.down;
      if (down !== undefined) return { writable: false, reason: down };
      try {
        return (await writer.call('health', 'probeWrite', [], 1000, true)) as Writability;
      } catch (error) {
        return { writable: false, reason: error instanceof Error ? error.message : String(error) };
      }
    },
    stats: () => ({
      pending: reader.pending + writer.pending,
      oldestWaitMs: Math.max(reader.oldestWaitMs(), writer.oldestWaitMs()),
      restarts: reader.restarts + writer.restarts,
      ...(main === undefined
        ? {}
        : { mainReads: { served: main.served, fellBack: main.fellBack, suspended: main.suspended } }),
    }),
    close,
  });
}
