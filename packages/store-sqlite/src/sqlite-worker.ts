/**
 * The database thread of `openSqliteStores`: owns one better-sqlite3 connection and runs the
 * package's stores on it, one call at a time, so that SQLite's waits (another process's write
 * lock, a locked WAL index, a slow fsync) block this thread and never the caller's event loop.
 *
 * @internal
 */
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { sqliteAuditStore } from './audit-sqlite-store.js';
import { sqliteConsentStore } from './consent-store.js';
import { openDatabase } from './database.js';
import { migrate } from './migrate.js';
import { sqliteSubjectStore } from './subject-sqlite-store.js';
import {
  type CallBatch,
  type CallMessage,
  type ReplyBatch,
  type ReplyMessage,
  SLOT,
  serializeError,
} from './worker-protocol.js';

/** What the caller gives the thread. */
export interface WorkerSetup {
  readonly filename: string;
  readonly role: 'reader' | 'writer';
  readonly slots: SharedArrayBuffer;
  readonly busyTimeoutMs: number;
  readonly minFreeBytes: number;
  readonly consent: { cacheSize?: number };
  readonly subject: { name?: string; retention?: unknown; tombstoneKey?: string | Uint8Array };
}

const HEALTH_MIGRATIONS = [
  {
    version: 1,
    up: 'CREATE TABLE tactful_health (id INTEGER PRIMARY KEY CHECK (id = 1), probed_at TEXT NOT NULL) STRICT',
  },
];

function start(setup: WorkerSetup): void {
  const port = parentPort;
  if (!port) return;
  const slots = new Int32Array(setup.slots);
  let now = Date.now();
  const clock = () => now;
  let busy = setup.busyTimeoutMs;
  let db: ReturnType<typeof openDatabase>;
  let stores: Record<string, Record<string, (...args: unknown[]) => unknown>>;
  let dataVersion: { get(): number };
  try {
    db = openDatabase(setup.filename, { busyTimeoutMs: setup.busyTimeoutMs });
    migrate(db, 'health', HEALTH_MIGRATIONS);
    dataVersion = db.prepare('PRAGMA data_version').pluck() as unknown as { get(): number };
    const probe = db.prepare(
      `INSERT INTO tactful_health (id, probed_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at`,
    );
    const folder = dirname(setup.filename);
    stores = {
      consent: sqliteConsentStore({ db, clock, ...setup.consent }) as never,
      subject: sqliteSubjectStore({ db, now: clock, ...(setup.subject as object) }) as never,
      audit: sqliteAuditStore({ db }) as never,
      health: {
        /** Enough free disk, and a real durable write (the smallest one) succeeds. */
        probeWrite() {
          const fs = statfsSync(folder);
          const free = Number(fs.bavail) * Number(fs.bsize);
          if (free < setup.minFreeBytes) {
            return { writable: false, reason: `only ${free} bytes free on the database's disk` };
          }
          probe.run(new Date(now).toISOString());
          return { writable: true, freeBytes: free };
        },
      },
    };
  } catch (error) {
    port.postMessage({ ready: false, error: serializeError(error) });
    return;
  }
  port.postMessage({ ready: true });

  /** Ends a versioned read's transaction (it only read, so nothing is lost if it must roll back). */
  const endRead = () => {
    try {
      db.exec('COMMIT');
    } catch {
      if (db.inTransaction) db.exec('ROLLBACK');
    }
  };

  /** Runs one call now (unless cancelled or past its deadline) and gives its answer. */
  const run = (message: CallMessage): ReplyMessage | Promise<ReplyMessage> => {
    const { id } = message;
    const slot = id % slots.length;
    // Only one side moves a call out of PENDING: the caller (cancelled on its deadline) or here.
    const left = message.deadline - Date.now();
    if (left <= 0) {
      Atomics.compareExchange(slots, slot, SLOT.PENDING, SLOT.CANCELLED);
      return { id, skipped: true };
    }
    if (Atomics.compareExchange(slots, slot, SLOT.PENDING, SLOT.RUNNING) !== SLOT.PENDING) {
      return { id, skipped: true };
    }
    // A write waits for another process's lock no longer than the caller is willing to.
    const wait = Math.max(1, Math.min(setup.busyTimeoutMs, Math.floor(left)));
    if (wait !== busy) {
      db.pragma(`busy_timeout = ${wait}`);
      busy = wait;
    }
    now = message.now;
    const fn = stores[message.store]?.[message.method];
    if (typeof fn !== 'function') {
      return { id, ok: false, error: { message: `no method ${message.store}.${message.method}` } };
    }
    let result: unknown;
    let version: number | undefined;
    // A versioned read runs in one read transaction that starts with the data version, so the
    // version names exactly the data the read saw (the store's work is synchronous, so the
    // transaction ends before anything else runs on this connection).
    const own = message.versioned === true && !db.inTransaction;
    try {
      if (own) db.exec('BEGIN');
      if (message.versioned === true) version = dataVersion.get();
      result = fn(...message.args);
    } catch (error) {
      return { id, ok: false, error: serializeError(error) };
    } finally {
      if (own && db.inTransaction) endRead();
    }
    // The stores' methods are async in form but do their work synchronously: the promise is settled.
    return Promise.resolve(result).then(
      (value): ReplyMessage =>
        version === undefined ? { id, ok: true, value } : { id, ok: true, value, version },
      (error: unknown): ReplyMessage => ({ id, ok: false, error: serializeError(error) }),
    );
  };

  /** Marks each answered call's slot (a skipped one is free again), then posts the answers as one message. */
  const reply = (answers: ReplyMessage[]) => {
    for (const answer of answers) {
      Atomics.store(slots, answer.id % slots.length, 'skipped' in answer ? SLOT.FREE : SLOT.DONE);
    }
    try {
      port.postMessage(answers satisfies ReplyBatch);
    } catch {
      // A value that cannot be sent back (never from the stores' own results): each alone, so only
      // the one at fault is answered with its error.
      for (const answer of answers) {
        try {
          port.postMessage([answer] satisfies ReplyBatch);
        } catch (error) {
          port.postMessage([{ id: answer.id, ok: false, error: serializeError(error) }] satisfies ReplyBatch);
        }
      }
    }
  };

  port.on('message', async (message: CallBatch | { close: true }) => {
    if ('close' in message) {
      db.close();
      port.postMessage({ closed: true });
      port.close();
      return;
    }
    // One at a time, in order: each call starts only after the one before it has finished.
    const answers: ReplyMessage[] = [];
    for (const call of message) {
      const answer = run(call);
      answers.push(answer instanceof Promise ? await answer : answer);
    }
    reply(answers);
  });
}

start(workerData as WorkerSetup);
