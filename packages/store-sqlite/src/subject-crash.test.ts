import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { sqliteSubjectStore } from './subject-sqlite-store.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const outDir = join(pkg, 'node_modules', '.cache', `tactful-subject-crash-${process.pid}`);
const dataDir = mkdtempSync(join(tmpdir(), 'tactful-subject-crash-'));

beforeAll(async () => {
  mkdirSync(outDir, { recursive: true });
  await build({
    config: false,
    silent: true,
    entry: { 'subject-crash-writer': join(here, 'fixtures', 'subject-crash-writer.ts') },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    sourcemap: false,
    noExternal: [/^@tactful\//, 'zod'],
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

function runAndKill(
  file: string,
  run: number,
  minAcks: number,
): Promise<{ events: string[]; erased: string[] }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [join(outDir, 'subject-crash-writer.js'), file, String(run)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const events: string[] = [];
    const erased: string[] = [];
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
        const [, kind, id] = line.split(' ');
        if (kind === 'events' && id) events.push(id);
        if (kind === 'erase' && id) erased.push(id);
      }
      if (!killed && events.length + erased.length >= minAcks) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      killed
        ? resolve({ events, erased })
        : reject(new Error(`writer exited early (code ${code}): ${stderr}`)),
    );
  });
}

describe('sqliteSubjectStore survives kill -9', () => {
  it('loses no acknowledged write or erasure and leaves no half batch or half erasure', async () => {
    const file = join(dataDir, 'subject-crash.db');
    let acks = 0;
    for (const run of [1, 2, 3]) {
      const { events, erased } = await runAndKill(file, run, 60 * run);
      acks += events.length + erased.length;
      const db = openDatabase(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const perSubject = db
        .prepare<[], { subject_id: string; n: number }>(
          'SELECT subject_id, COUNT(*) AS n FROM subject_events GROUP BY subject_id',
        )
        .all();
      db.close();
      for (const row of perSubject) expect(row.n, `events of ${row.subject_id} are a half batch`).toBe(3);

      const store = sqliteSubjectStore({
        filename: file,
        tombstoneKey: 'crash-test-tombstone-key-0123456789',
      });
      const erasedSet = new Set(erased);
      for (const id of erased) {
        expect(await store.isErased(id), `acknowledged erasure of ${id} is missing`).toBe(true);
        expect((await store.exportSubject(id)).preferences).toBeNull();
        expect(await store.listEvents(id, 'behavior.pageviews')).toEqual([]);
      }
      for (const id of events.filter((e) => !erasedSet.has(e))) {
        if (await store.isErased(id)) continue; // erased after the ack of its events, before the kill
        expect(
          await store.listEvents(id, 'behavior.pageviews'),
          `acknowledged events of ${id} are missing`,
        ).toHaveLength(3);
      }
      // Whatever was in flight at the kill: either fully erased (tombstone, no data) or untouched.
      const maxIndex = events.length + 2;
      for (let i = 0; i <= maxIndex; i++) {
        const id = `c-${run}-${i}`;
        if (await store.isErased(id))
          expect(await store.exportSubject(id)).toMatchObject({ preferences: null, pageviews: [] });
      }
      store.close();
    }
    expect(acks).toBeGreaterThanOrEqual(360);
  }, 120_000);
});
