import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuditTrail } from '@tactful/audit';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteAuditStore } from './audit-sqlite-store.js';
import { openDatabase } from './database.js';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'tactful-audit-crash-'));
const KEY = 'audit-crash-test-key-0123456789abcdef0123456789';
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Acked {
  /** trace id → seq, for record() calls that resolved. */
  recorded: Map<string, number>;
  /** trace ids recorded through the hooks whose flush() resolved. */
  flushed: string[];
}

/** Runs the writer until it has acknowledged at least `minAcks` recordings, then kill -9s it mid-burst. */
function runAndKill(file: string, run: number, minAcks: number): Promise<Acked & { signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [join(here, 'fixtures', 'audit-crash-writer.mjs'), file, String(run), KEY],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const acked: Acked = { recorded: new Map(), flushed: [] };
    let buffer = '';
    let stderr = '';
    let killed = false;
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, ids, seq] = line.split(' ');
        if (kind === 'ack') acked.recorded.set(ids!, Number(seq));
        if (kind === 'flushed') acked.flushed.push(...ids!.split(','));
      }
      if (!killed && acked.recorded.size + acked.flushed.length >= minAcks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!killed) reject(new Error(`writer exited early (code ${code}): ${stderr}`));
      else resolve({ ...acked, signal });
    });
  });
}

describe('the audit trail on the database threads survives kill -9', () => {
  it('loses no entry acknowledged as durable (record() resolved, or flush() after attach), and the chain verifies', async () => {
    const file = join(dataDir, 'audit-crash.db');
    let total = 0;
    for (const run of [1, 2, 3]) {
      const acked = await runAndKill(file, run, 300 * run);
      expect(acked.signal).toBe('SIGKILL');
      total += acked.recorded.size + acked.flushed.length;
      const db = openDatabase(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
      const store = sqliteAuditStore({ filename: file });
      try {
        const entries = await store.list();
        const seqOf = new Map(
          entries.flatMap((e) => (e.payload ? [[(e.payload as { traceId: string }).traceId, e.seq]] : [])),
        );
        for (const [id, seq] of acked.recorded) expect(seqOf.get(id), `acknowledged entry ${id}`).toBe(seq);
        for (const id of acked.flushed) expect(seqOf.has(id), `flushed entry ${id} is missing`).toBe(true);
        // Whole batches only: the chain has no hole, no broken link, and every entry is signed.
        const report = await createAuditTrail({ store, key: KEY }).verify();
        expect(report).toMatchObject({ ok: true, checked: entries.length, problems: [] });
      } finally {
        store.close();
      }
    }
    expect(total).toBeGreaterThanOrEqual(1800);
  }, 120_000);
});
