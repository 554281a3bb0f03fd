import {
  type AtTime,
  type EventCategory,
  isTactfulError,
  type SubjectRetention,
  hmacSha256Hex,
  parseEventCategory,
  parseSubjectId,
} from '@tactful/core';
import { parseConsentSubjectId } from '@tactful/core/store';
import { type ConsentReads, consentReads } from './consent-reads.js';
import { type SqliteDatabase, loadSqliteDriver } from './database.js';
import type { Versioned } from './db-thread.js';
import { type SubjectReads, subjectReads } from './subject-reads.js';

/** The methods {@link MainReads} answers, per store; every other call goes to a database thread. */
export const MAIN_READS = Object.freeze({
  consent: new Set(['latest', 'history', 'erasure']),
  subject: new Set(['getPreferences', 'getAttributes', 'listEvents', 'getCart', 'getSegments', 'isErased']),
} as const);

/**
 * Two main-thread reads in a row slower than this (ms) suspend main-thread reads, as a failed one does. Well
 * above a read's own time (tens of µs) and the pauses a busy machine adds (a preempted thread, a
 * garbage collection: ~20 ms seen on 2 shared cores), so that only a wait for a lock trips it.
 */
export const MAIN_READ_SLOW_MS = 50;
/** How long main-thread reads stay suspended after the first trip (ms); doubled while they keep tripping. */
const SUSPEND_MIN_MS = 1000;
const SUSPEND_MAX_MS = 30_000;

let nextGeneration = 1;

/**
 * Reads of `openSqliteStores` answered on the caller's own thread, through a read-only connection
 * of its own (`PRAGMA query_only`, `busy_timeout = 0`: SQLite never waits for a lock here, it
 * fails at once with `SQLITE_BUSY`). An attempt that fails for any reason, or throws for a bad
 * input, answers {@link MainReads.read} with `undefined`: the caller then makes the same call on
 * the reader thread, which gives the answer (or the error) the stores always gave.
 *
 * One wait SQLite does not bound by `busy_timeout`: starting a read while another process holds
 * the WAL index's read locks outside SQLite's protocol spins for up to ~10 s before failing with
 * `SQLITE_PROTOCOL` (see `walTryBeginRead` in SQLite's source). That is why this is not the
 * default: an attempt that failed, or two in a row that took longer than {@link MAIN_READ_SLOW_MS} (50 ms), suspends
 * main-thread reads (for 1 s, doubling to 30 s while it keeps happening) and until a read on the
 * reader thread has succeeded since, so such a lock costs the event loop at most one stall.
 *
 * @internal
 */
export class MainReads {
  readonly #db: SqliteDatabase;
  readonly #consent: ConsentReads;
  readonly #subject: SubjectReads | undefined;
  readonly #clock: () => number;
  readonly #version: { get(): unknown };
  readonly #generation = nextGeneration++;
  #suspendedUntil = 0;
  #delay = SUSPEND_MIN_MS;
  #lastTrip = Number.NEGATIVE_INFINITY;
  /** Slow reads in a row (one is a busy machine's pause as often as a lock; two are not). */
  #slowInRow = 0;
  /** Suspended until a reader-thread read succeeds after the trip. */
  #awaitThread = false;
  /** Why main-thread reads are suspended now (or were last). */
  lastTrip: string | undefined;
  /** Reads answered here, and reads sent to the reader thread instead (suspended, or the attempt failed). */
  served = 0;
  fellBack = 0;

  private constructor(db: SqliteDatabase, options: MainReadsOptions) {
    this.#db = db;
    this.#clock = options.clock;
    this.#version = db.prepare('PRAGMA data_version').pluck();
    this.#consent = consentReads(db, options.cacheSize);
    const key =
      options.tombstoneKey ??
      (db.prepare("SELECT value FROM subject_meta WHERE key = 'tombstone_key'").pluck().get() as
        | string
        | undefined);
    this.#subject =
      key === undefined ? undefined : subjectReads(db, options.retention, (id) => hmacSha256Hex(key, id));
  }

  /**
   * Opens the read-only connection to `filename` (already created and migrated by the writer
   * thread). Returns `undefined` when it cannot (then every read goes to the reader thread).
   */
  static open(filename: string, options: MainReadsOptions): MainReads | undefined {
    let db: SqliteDatabase | undefined;
    try {
      const Database = loadSqliteDriver();
      db = new Database(filename, { fileMustExist: true, timeout: 0 });
      db.pragma('busy_timeout = 0');
      db.pragma('query_only = 1');
      return new MainReads(db, options);
    } catch {
      if (db?.open) db.close();
      return undefined;
    }
  }

  /** Whether main-thread reads are suspended now (after a slow or failed one). */
  get suspended(): boolean {
    return this.#awaitThread || performance.now() < this.#suspendedUntil;
  }

  /** A read on the reader thread succeeded: main-thread reads may resume once the suspension ends. */
  threadReadSucceeded(): void {
    this.#awaitThread = false;
  }

  /**
   * `store.method(...args)` read here, with the data version it saw (see {@link Versioned}), or
   * `undefined` when it must go to the reader thread (suspended, not a method answered here, or
   * the attempt failed).
   */
  read(store: string, method: string, args: unknown[]): Versioned | undefined {
    const run = this.#method(store, method, args);
    if (run === undefined) return undefined;
    if (this.suspended || !this.#db.open) {
      this.fellBack++;
      return undefined;
    }
    const started = performance.now();
    let answer: Versioned | undefined;
    let failure: string | undefined;
    try {
      this.#db.exec('BEGIN');
      try {
        // As on the reader thread: the version first, in the read's own transaction.
        const version = `m${this.#generation}:${this.#version.get()}`;
        answer = { value: run(), version };
      } finally {
        if (this.#db.inTransaction) this.#db.exec('COMMIT');
      }
    } catch (error) {
      answer = undefined;
      if (this.#db.inTransaction) {
        try {
          this.#db.exec('ROLLBACK');
        } catch {
          // It only read: nothing to lose.
        }
      }
      // A bad input is the caller's: the reader thread answers it with the same error, and the
      // connection is fine. Anything else (the driver's error) suspends main-thread reads.
      if (!isTactfulError(error) || error.code === 'STORE_FAILED') failure = sqliteFailure(error);
    }
    const took = performance.now() - started;
    this.#slowInRow = took > MAIN_READ_SLOW_MS ? this.#slowInRow + 1 : 0;
    if (failure !== undefined) this.#trip(failure);
    else if (this.#slowInRow >= 2) this.#trip(`two reads in a row took over ${MAIN_READ_SLOW_MS} ms`);
    if (answer === undefined) this.fellBack++;
    else this.served++;
    return answer;
  }

  #method(store: string, method: string, args: unknown[]): (() => unknown) | undefined {
    if (store === 'consent') {
      if (!MAIN_READS.consent.has(method as never)) return undefined;
      const reads = this.#consent;
      return () => {
        const id = parseConsentSubjectId(args[0], 'sqliteConsentStore');
        return method === 'latest'
          ? reads.latest(id)
          : method === 'history'
            ? reads.history(id)
            : reads.erasure(id);
      };
    }
    if (store !== 'subject' || !MAIN_READS.subject.has(method as never)) return undefined;
    const reads = this.#subject;
    if (reads === undefined) return undefined;
    return () => {
      const id = parseSubjectId(args[0]);
      const now = (args[1] as AtTime | undefined)?.now ?? this.#clock();
      switch (method) {
        case 'getPreferences':
          return reads.preferences(id);
        case 'getAttributes':
          return reads.attributes(id);
        case 'listEvents': {
          const c: EventCategory = parseEventCategory(args[1]);
          return reads.listEvents(id, c, (args[2] as AtTime | undefined)?.now ?? this.#clock());
        }
        case 'getCart':
          return reads.cart(id, now);
        case 'getSegments':
          return reads.segments(id, now);
        default:
          return reads.isErased(id);
      }
    };
  }

  #trip(reason: string): void {
    const now = performance.now();
    // Tripping again soon after the last suspension: wait longer; after a quiet minute, start over.
    this.#delay = now - this.#lastTrip < 60_000 ? Math.min(SUSPEND_MAX_MS, this.#delay * 2) : SUSPEND_MIN_MS;
    this.#lastTrip = now;
    this.#suspendedUntil = now + this.#delay;
    this.#awaitThread = true;
    this.#slowInRow = 0;
    this.lastTrip = reason;
  }

  /** Closes the connection. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

/** Options of {@link MainReads.open}. */
export interface MainReadsOptions {
  readonly cacheSize: number;
  readonly retention: SubjectRetention;
  readonly clock: () => number;
  readonly tombstoneKey?: string | Uint8Array | undefined;
}

/** Why an attempt failed: a SQLite error's code (`SQLITE_BUSY` ...) or `error`. */
function sqliteFailure(error: unknown): string {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return 'error';
}
