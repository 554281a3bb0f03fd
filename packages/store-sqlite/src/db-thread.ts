import { channel } from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { TactfulError } from '@tactful/core';
import type { WorkerSetup } from './sqlite-worker.js';
import {
  type CallBatch,
  type CallMessage,
  type ReadyMessage,
  type ReplyBatch,
  type ReplyMessage,
  SLOT,
  type ThreadStore,
  deserializeError,
} from './worker-protocol.js';

/** What a versioned read resolves with: its value and the data version it saw (see {@link DbThread.call}). */
export interface Versioned {
  readonly value: unknown;
  /** Equal for two reads only when they ran on the same connection with no commit in between. */
  readonly version: string;
}

let nextGeneration = 1;

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly what: string;
  readonly write: boolean;
  /** Resolve with `{ value, version }` (a versioned read) rather than the value alone. */
  readonly versioned: boolean;
  readonly sentAt: number;
  readonly slot: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  settled: boolean;
}

/** Where the database thread's script is: beside this file once built, else the package's `dist`. */
function workerScript(): URL {
  for (const candidate of ['./sqlite-worker.js', '../dist/sqlite-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  throw new TactfulError(
    'STORE_FAILED',
    'openSqliteStores: the database thread script (sqlite-worker.js) is missing from @tactful/store-sqlite; reinstall or rebuild the package',
  );
}

/** How a database thread is set up, beyond the worker's own setup. */
export interface DbThreadOptions {
  readonly clock: () => number;
  readonly maxPending: number;
  readonly name: string;
  /**
   * Called once when the thread, after it got ready, ends on its own (it crashed, ran out of
   * memory, was terminated), not when closed.
   */
  readonly onExit?: (reason: string) => void;
}

/**
 * Where each database thread is announced as it starts (`{ worker, role }`), for diagnostics and
 * fault tests (a subscriber can watch it, or end it to see the stores recover).
 */
export const THREAD_CHANNEL = 'tactful:store-sqlite:thread';
const announce = channel(THREAD_CHANNEL);
/** A batch of calls goes to the thread once its oldest call is this old (ms) ... */
const FLUSH_AFTER_MS = 5;
/** ... or once it holds this many calls, even if the event loop's turn has not ended. */
const FLUSH_AT = 64;

/**
 * One database thread (a worker owning one connection) and the calls in flight to it. Calls are
 * answered in the order they were sent; each has a deadline after which it is no longer started
 * (a shared slot per call decides, atomically, whether the caller cancelled it or the thread began
 * it, so a write the caller was told "not done" is never done later).
 */
export class DbThread {
  readonly #worker: Worker;
  readonly #slots: Int32Array;
  readonly #pending = new Map<number, Pending>();
  readonly #options: DbThreadOptions;
  #nextId = 1;
  /** Tells this thread's connection from the ones before and after it (data versions are per connection). */
  readonly #generation = nextGeneration++;
  /** Calls made since the last flush: posted together, as one message, at the end of this turn. */
  #outbox: CallMessage[] = [];
  /** When the oldest call in the outbox was made (`performance.now()`). */
  #outboxSince = 0;
  #stopped: string | undefined;
  readonly ready: Promise<void>;
  #closed: Promise<void> | undefined;

  constructor(setup: Omit<WorkerSetup, 'slots'>, options: DbThreadOptions) {
    this.#options = options;
    const slots = new SharedArrayBuffer(4 * options.maxPending);
    this.#slots = new Int32Array(slots);
    this.#worker = new Worker(workerScript(), { workerData: { ...setup, slots } satisfies WorkerSetup });
    if (announce.hasSubscribers) announce.publish({ worker: this.#worker, role: setup.role });
    let crash = '';
    let served = false;
    // Kept for the thread's whole life: an error it throws is the reason it exited, never the caller's crash.
    this.#worker.on('error', (error) => {
      crash = `: ${error.message}`;
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const onExit = (code: number) => reject(this.#fail(`the database thread exited (code ${code})`));
      this.#worker.once('exit', onExit);
      this.#worker.once('error', (error) =>
        reject(this.#fail(`the database thread failed: ${error.message}`)),
      );
      this.#worker.once('message', (message: ReadyMessage) => {
        if (message.ready) {
          served = true;
          // Answers come in batches; the thread's last word on close is `{ closed: true }`.
          this.#worker.on('message', (replies: ReplyBatch | { closed: true }) => {
            if (Array.isArray(replies)) for (const reply of replies) this.#answer(reply);
            // Calls made while this turn's poll phase runs on go now if they have waited long enough.
            if (this.#outbox.length > 0 && performance.now() - this.#outboxSince >= FLUSH_AFTER_MS)
              this.#flush();
          });
          resolve();
        } else {
          reject(deserializeError(message.error, options.name));
        }
      });
    });
    // Keep the rejection observed; callers await `ready` themselves.
    this.ready.catch(() => {});
    this.#worker.on('exit', (code) => {
      if (this.#closed) {
        this.#fail('the stores are closed');
        return;
      }
      const reason = `the database thread stopped (exit code ${code}${crash})`;
      this.#fail(reason);
      // A thread that never got ready is reported by `ready`'s rejection instead.
      if (served) options.onExit?.(reason);
    });
  }

  /** Calls still waiting for an answer (including cancelled ones the thread has not yet skipped). */
  get pending(): number {
    return this.#pending.size;
  }

  /** How long the oldest call in flight has waited, in milliseconds (0 when none). */
  oldestWaitMs(): number {
    const first = this.#pending.values().next();
    return first.done ? 0 : Math.max(0, Date.now() - first.value.sentAt);
  }

  /**
   * Runs `store.method(...args)` on the thread. Rejects with `STORE_FAILED` (nothing done) when the
   * call could not start within `timeoutMs` or too many calls are waiting; a read that started but
   * did not finish in time is rejected too (its answer is dropped); a write that started is
   * waited for, so its answer is the truth. A `versioned` read resolves with {@link Versioned}.
   */
  call(
    store: ThreadStore,
    method: string,
    args: unknown[],
    timeoutMs: number,
    write: boolean,
    versioned = false,
  ): Promise<unknown> {
    const what = `${this.#options.name}: ${store}.${method}`;
    if (this.#stopped !== undefined) {
      return Promise.reject(new TactfulError('STORE_FAILED', `${what} failed: ${this.#stopped}`));
    }
    if (this.#pending.size >= this.#options.maxPending) {
      return Promise.reject(
        new TactfulError(
          'STORE_FAILED',
          `${what} refused: ${this.#pending.size} calls are already waiting for the database (is another process holding its lock?); nothing was done, retry shortly`,
        ),
      );
    }
    const id = this.#nextId++;
    const slot = id % this.#slots.length;
    Atomics.store(this.#slots, slot, SLOT.PENDING);
    const message: CallMessage = {
      id,
      store,
      method,
      args,
      now: this.#options.clock(),
      deadline: Date.now() + timeoutMs,
      ...(versioned ? { versioned: true as const } : {}),
    };
    // Calls made in the same turn of the event loop (the decisions of every request read in it)
    // go to the thread as one message, and it answers them with one: fewer cross-thread messages
    // and wake-ups under load, the same calls in the same order, each still run when it arrives.
    // A turn can be long: with more than 1,024 sockets readable, Node's poll phase runs up to 48
    // rounds of them before `setImmediate` callbacks run (seconds under a flood). So a batch also
    // goes once it is FLUSH_AFTER_MS old or FLUSH_AT calls long, here or when answers come in.
    if (this.#outbox.push(message) === 1) {
      this.#outboxSince = performance.now();
      setImmediate(this.#flush);
    } else if (this.#outbox.length >= FLUSH_AT || performance.now() - this.#outboxSince >= FLUSH_AFTER_MS) {
      this.#flush();
    }
    return new Promise((resolve, reject) => {
      const entry: Pending = {
        resolve,
        reject,
        what,
        write,
        versioned,
        sentAt: Date.now(),
        slot,
        timer: undefined,
        settled: false,
      };
      entry.timer = setTimeout(() => this.#timeout(id, slot, entry, timeoutMs), timeoutMs);
      this.#pending.set(id, entry);
    });
  }

  /** Posts the calls made since the last flush, as one message. */
  readonly #flush = (): void => {
    const batch = this.#outbox;
    this.#outbox = [];
    if (batch.length === 0 || this.#stopped !== undefined) return;
    try {
      this.#worker.postMessage(batch satisfies CallBatch);
      return;
    } catch {
      // Something in the batch cannot cross a thread (nothing of it was sent): each call alone,
      // so only the one(s) at fault fail, as if they had been posted by themselves.
    }
    for (const call of batch) {
      try {
        this.#worker.postMessage([call] satisfies CallBatch);
      } catch (error) {
        this.#refuse(call.id, error);
      }
    }
  };

  /** Answers a call whose input could not be sent to the thread (it was never run). */
  #refuse(id: number, error: unknown): void {
    Atomics.store(this.#slots, id % this.#slots.length, SLOT.FREE);
    const entry = this.#pending.get(id);
    if (!entry) return;
    this.#pending.delete(id);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    if (entry.settled) return;
    entry.settled = true;
    entry.reject(
      new TactfulError(
        'INVALID_INPUT',
        `${entry.what}: the input cannot be stored (${error instanceof Error ? error.message : String(error)}); pass plain JSON-like data`,
        { cause: error },
      ),
    );
  }

  #timeout(id: number, slot: number, entry: Pending, timeoutMs: number): void {
    entry.timer = undefined;
    if (entry.settled) return;
    if (Atomics.compareExchange(this.#slots, slot, SLOT.PENDING, SLOT.CANCELLED) === SLOT.PENDING) {
      entry.settled = true;
      entry.reject(
        new TactfulError(
          'STORE_FAILED',
          `${entry.what} did not start within ${timeoutMs} ms (the database is busy or locked by another process); nothing was done, retry shortly`,
        ),
      );
      return;
    }
    // Started: a write's outcome is coming and is the truth; a read's answer is no longer wanted.
    if (!entry.write && this.#pending.has(id)) {
      entry.settled = true;
      entry.reject(
        new TactfulError(
          'STORE_FAILED',
          `${entry.what} did not finish within ${timeoutMs} ms (the database is locked by another process?)`,
        ),
      );
    }
  }

  #answer(reply: ReplyMessage): void {
    const entry = this.#pending.get(reply.id);
    if (!entry) return;
    this.#pending.delete(reply.id);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    if (entry.settled) return;
    entry.settled = true;
    if ('skipped' in reply) {
      entry.reject(
        new TactfulError(
          'STORE_FAILED',
          `${entry.what} did not start before its deadline (the database is busy or locked); nothing was done, retry shortly`,
        ),
      );
    } else if (reply.ok) {
      entry.resolve(
        entry.versioned
          ? ({ value: reply.value, version: `${this.#generation}:${reply.version}` } satisfies Versioned)
          : reply.value,
      );
    } else {
      entry.reject(deserializeError(reply.error, entry.what));
    }
  }

  #fail(reason: string): TactfulError {
    this.#stopped ??= reason;
    const error = new TactfulError('STORE_FAILED', `${this.#options.name}: ${this.#stopped}`);
    for (const [id, entry] of this.#pending) {
      this.#pending.delete(id);
      if (entry.timer !== undefined) clearTimeout(entry.timer);
      if (entry.settled) continue;
      entry.settled = true;
      // The shared slot tells which: a call the thread never began was not done; a write it had
      // begun may have committed before the thread died (SQLite keeps it whole or not at all).
      const state = Atomics.load(this.#slots, entry.slot);
      const began = state === SLOT.RUNNING || state === SLOT.DONE;
      entry.reject(
        began && entry.write
          ? new TactfulError(
              'STORE_FAILED',
              `${entry.what}: ${this.#stopped} while this write ran; it was recorded whole or not at all — read it back before retrying`,
            )
          : new TactfulError(
              'STORE_FAILED',
              `${entry.what} failed: ${this.#stopped}; nothing was done, retry shortly`,
            ),
      );
    }
    return error;
  }

  /** Lets the calls in flight finish, closes the connection and ends the thread. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.ready.catch(() => {});
      if (this.#stopped === undefined) {
        // In-flight calls finish first (a stuck one is cut after 15 s).
        const until = Date.now() + 15_000;
        while (this.#pending.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
        const closed = new Promise<void>((done) => {
          const finish = () => {
            clearTimeout(timer);
            done();
          };
          const timer = setTimeout(done, 2000);
          this.#worker.once('message', finish);
          this.#worker.once('exit', finish);
        });
        this.#worker.postMessage({ close: true });
        await closed;
      }
      this.#stopped ??= 'the stores are closed';
      await this.#worker.terminate();
    })();
    return this.#closed;
  }
}
