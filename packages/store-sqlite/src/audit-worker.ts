// The worker thread of `sqliteAuditThreadStore`: its own SQLite connection to the database file,
// answering the AuditStore calls the main thread posts, so durable inserts and their fsyncs never
// block the main thread's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { isTactfulError } from '@tactful/core';
import { sqliteAuditStore } from './audit-sqlite-store.js';

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
    port.postMessage({ id, ok: true, value: await fn(...args) });
  } catch (error) {
    port.postMessage({
      id,
      ok: false,
      code: isTactfulError(error) ? error.code : 'STORE_FAILED',
      message: String((error as Error)?.message ?? error),
    });
  }
});
