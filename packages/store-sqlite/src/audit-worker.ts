// The worker thread of `sqliteAuditThreadStore`: its own SQLite connection to the database file,
// answering the AuditStore calls the main thread posts, so durable inserts and their fsyncs never
// block the main thread's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { AUDIT_PAYLOAD_TEXT, type AuditEntry } from '@tactful/audit';
import { sqliteAuditStore } from './audit-sqlite-store.js';
import type { PostedEntry } from './audit-thread-store.js';
import { serializeError } from './worker-protocol.js';

/** An entry back from its posted form: the payload's text under the trail's symbol. */
function received(e: PostedEntry): AuditEntry {
  const { payloadText, ...rest } = e;
  if (payloadText === null) return rest;
  const entry: AuditEntry = { ...rest, payload: {} as AuditEntry['payload'] };
  Object.defineProperty(entry, AUDIT_PAYLOAD_TEXT, { value: payloadText });
  return entry;
}

interface Call {
  id: number;
  method: string;
  args: unknown[];
}

const port = parentPort;
if (port === null) throw new Error('audit-worker: run me as a worker thread');
const store = sqliteAuditStore({ filename: (workerData as { filename: string }).filename });
const methods = store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;

port.on('message', async ({ id, method, args }: Call) => {
  if (method === 'close') {
    store.close();
    port.postMessage({ id, ok: true });
    port.close();
    return;
  }
  try {
    const fn = methods[method];
    if (typeof fn !== 'function') throw new Error(`unknown method ${method}`);
    const given = method === 'appendMany' ? [(args[0] as PostedEntry[]).map(received)] : args;
    port.postMessage({ id, ok: true, value: await fn(...given) });
  } catch (error) {
    // Code, message, path and issues cross the thread (a refused input names its field).
    port.postMessage({ id, ok: false, error: serializeError(error) });
  }
});
