import { TactfulError } from '@tactful/core';
import { DbThread, type DbThreadOptions } from './db-thread.js';
import type { WorkerSetup } from './sqlite-worker.js';
import type { ThreadStore } from './worker-protocol.js';

/** How a stopped database thread is restarted. */
export interface RestartPolicy {
  /** Wait before the first restart, in milliseconds (doubled after each failed or short-lived one). */
  readonly minDelayMs: number;
  /** Longest wait between restarts, in milliseconds. */
  readonly maxDelayMs: number;
}

/** The default {@link RestartPolicy}: 100 ms, doubling up to 5 s. */
export const DEFAULT_RESTART: RestartPolicy = Object.freeze({ minDelayMs: 100, maxDelayMs: 5000 });

/**
 * A database thread that is started again when it dies (an exception, `terminate()`, out of
 * memory). While it is down every call fails at once with `STORE_FAILED` (nothing done: no call
 * waits for a thread that is not there, and none is queued to run later), `down` says why (so
 * readiness reports not ready), and a restart is tried after a bounded, growing delay. Calls in
 * flight when it died are answered by {@link DbThread} (not done, or — for a write it had begun —
 * recorded whole or not at all). A restart that keeps failing keeps being retried at `maxDelayMs`.
 */
export class SupervisedThread {
  readonly #setup: Omit<WorkerSetup, 'slots'>;
  readonly #options: DbThreadOptions;
  readonly #policy: RestartPolicy;
  #current: DbThread;
  #down: string | undefined;
  #delay: number;
  #startedAt = Date.now();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  /** How many times the thread was restarted. */
  restarts = 0;

  private constructor(setup: Omit<WorkerSetup, 'slots'>, options: DbThreadOptions, policy: RestartPolicy) {
    this.#setup = setup;
    this.#options = options;
    this.#policy = policy;
    this.#delay = policy.minDelayMs;
    this.#current = this.#spawn();
  }

  /** Starts the thread; rejects (with the thread's own error) when it cannot open the database. */
  static async start(
    setup: Omit<WorkerSetup, 'slots'>,
    options: DbThreadOptions,
    policy: RestartPolicy = DEFAULT_RESTART,
  ): Promise<SupervisedThread> {
    const supervised = new SupervisedThread(setup, options, policy);
    try {
      await supervised.#current.ready;
    } catch (error) {
      await supervised.close();
      throw error;
    }
    return supervised;
  }

  #spawn(): DbThread {
    const thread: DbThread = new DbThread(this.#setup, {
      ...this.#options,
      onExit: (reason) => {
        if (this.#current === thread) this.#stopped(reason);
      },
    });
    return thread;
  }

  #stopped(reason: string): void {
    if (this.#closed) return;
    this.#down = `${reason}; restarting it`;
    // A thread that lived long is restarted quickly; one that keeps dying waits longer each time.
    if (Date.now() - this.#startedAt > 2 * this.#policy.maxDelayMs) this.#delay = this.#policy.minDelayMs;
    const delay = this.#delay;
    this.#delay = Math.min(this.#policy.maxDelayMs, this.#delay * 2);
    this.#timer = setTimeout(() => this.#restart(), delay);
    this.#timer.unref?.();
  }

  #restart(): void {
    this.#timer = undefined;
    if (this.#closed) return;
    const thread = this.#spawn();
    this.#current = thread;
    this.#startedAt = Date.now();
    thread.ready.then(
      () => {
        if (this.#current !== thread || this.#closed) return;
        this.#down = undefined;
        this.restarts++;
      },
      (error: unknown) => {
        if (this.#current !== thread) return;
        void thread.close();
        this.#stopped(
          `the database thread could not be restarted (${error instanceof Error ? error.message : String(error)})`,
        );
      },
    );
  }

  /** Why the thread is not serving now, or `undefined` when it is. */
  get down(): string | undefined {
    return this.#down;
  }

  /** Calls still waiting for an answer. */
  get pending(): number {
    return this.#current.pending;
  }

  /** How long the oldest call in flight has waited, in milliseconds. */
  oldestWaitMs(): number {
    return this.#current.oldestWaitMs();
  }

  /** {@link DbThread.call}, failing at once with `STORE_FAILED` while the thread is down. */
  call(
    store: ThreadStore,
    method: string,
    args: unknown[],
    timeoutMs: number,
    write: boolean,
    versioned = false,
  ): Promise<unknown> {
    if (this.#down !== undefined && !this.#closed) {
      return Promise.reject(
        new TactfulError(
          'STORE_FAILED',
          `${this.#options.name}: ${store}.${method} failed at once: ${this.#down}; nothing was done, retry shortly`,
        ),
      );
    }
    return this.#current.call(store, method, args, timeoutMs, write, versioned);
  }

  /** Stops restarting, lets calls in flight finish and ends the thread. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#current.close();
  }
}
