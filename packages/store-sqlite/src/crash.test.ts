import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ConsentRecord, verifyConsentChain } from '@tactful/core';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, sqliteConsentStore } from '@tactful/store-sqlite';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
// Inside the package's node_modules so the bundle resolves better-sqlite3 like an installed app.
const outDir = join(pkg, 'node_modules', '.cache', `tactful-crash-${process.pid}`);
const dataDir = mkdtempSync(join(tmpdir(), 'tactful-crash-'));

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  await build({
    config: false,
    silent: true,
    entry: { 'crash-writer': join(here, 'fixtures', 'crash-writer.ts') },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    sourcemap: false,
    noExternal: [/^@tactful\//],
    external: ['better-sqlite3'],
    esbuildOptions(options) {
      options.alias = { '@tactful/core': join(pkg, '..', 'core', 'src', 'index.ts') };
    },
  });
}, 60_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the writer until it has acknowledged at least `minAcks` writes, then kill -9s it mid-stream. */
function runAndKill(
  file: string,
  run: number,
  minAcks: number,
): Promise<{ acked: string[][]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [join(outDir, 'crash-writer.js'), file, String(run)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acked: string[][] = [];
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
      for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4).split(','));
      if (!killed && acked.length >= minAcks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!killed) reject(new Error(`writer exited early (code ${code}): ${stderr}`));
      else resolve({ acked, signal });
    });
  });
}

describe('sqliteConsentStore survives kill -9', () => {
  it('loses no acknowledged write and leaves no half record or half batch', async () => {
    const file = join(dataDir, 'crash.db');
    let totalAcked = 0;
    for (const round of [1, 2, 3]) {
      const { acked, signal } = await runAndKill(file, round, 150 * round);
      expect(signal).toBe('SIGKILL');
      totalAcked += acked.length;

      const db = openDatabase(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set(
        db.prepare<[], { id: string }>('SELECT id FROM consent_records').pluck().all() as unknown as string[],
      );
      db.close();
      for (const ids of acked)
        for (const id of ids) expect(stored.has(id), `acknowledged record ${id} is missing`).toBe(true);

      const store = sqliteConsentStore({ filename: file });
      for (const subject of ['crash-0', 'crash-1', 'crash-2']) {
        const history: ConsentRecord[] = await store.history(subject);
        expect(await verifyConsentChain(history)).toMatchObject({ ok: true });
        const batches = new Map<string, number>();
        for (const r of history) {
          const m = /^batch-(\d+-\d+)-\d$/.exec(r.reason ?? '');
          if (m) batches.set(m[1]!, (batches.get(m[1]!) ?? 0) + 1);
        }
        for (const [batch, count] of batches) expect(count, `batch ${batch} is partial`).toBe(3);
      }
      await store.close?.();
    }
    expect(totalAcked).toBeGreaterThanOrEqual(900);
  }, 120_000);
});
