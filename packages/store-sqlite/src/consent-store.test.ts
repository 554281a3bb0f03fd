import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeConsentStoreConformance, consentGrant } from '@tactful/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, sqliteConsentStore } from '@tactful/store-sqlite';

const dir = mkdtempSync(join(tmpdir(), 'tactful-consent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeConsentStoreConformance({
  name: 'sqliteConsentStore (file)',
  create: ({ clock }) => sqliteConsentStore({ filename: join(dir, `conformance-${n++}.db`), clock }),
});

describeConsentStoreConformance({
  name: 'sqliteConsentStore (in-memory database)',
  create: ({ clock }) => sqliteConsentStore({ db: openDatabase(':memory:'), clock }),
});

describe('sqliteConsentStore', () => {
  it('keeps records across reopening the file, and refuses updates to them', async () => {
    const file = join(dir, 'reopen.db');
    const first = sqliteConsentStore({ filename: file });
    const record = await first.append(consentGrant());
    await first.close?.();
    const db = openDatabase(file);
    expect(() => db.prepare("UPDATE consent_records SET status = 'denied'").run()).toThrow(/append-only/);
    db.close();
    const second = sqliteConsentStore({ filename: file });
    expect(await second.history('subject-1')).toEqual([record]);
    await second.close?.();
  });

  it('shares one chain between two stores on the same file (two processes)', async () => {
    const file = join(dir, 'shared.db');
    const a = sqliteConsentStore({ filename: file });
    const b = sqliteConsentStore({ filename: file });
    await a.append(consentGrant());
    const second = await b.append(consentGrant({ purpose: 'measurement' }));
    expect(second.seq).toBe(2);
    expect((await a.latest('subject-1')).get('measurement')?.id).toBe(second.id);
    await a.close?.();
    await b.close?.();
  });

  it('serves latest() from memory yet sees every write at once: its own, another store on the connection, another connection', async () => {
    const file = join(dir, 'cached.db');
    const a = sqliteConsentStore({ filename: file });
    await a.append(consentGrant());
    const first = await a.latest('subject-1');
    expect(first.get('personalization.profile')?.status).toBe('granted');
    // The caller's map is its own: changing it changes nothing stored or cached.
    (first as Map<string, unknown>).delete('personalization.profile');
    expect((await a.latest('subject-1')).get('personalization.profile')?.status).toBe('granted');

    // A withdrawal through this store.
    await a.append(consentGrant({ status: 'withdrawn', notice: undefined }));
    expect((await a.latest('subject-1')).get('personalization.profile')?.status).toBe('withdrawn');

    // A grant through a second store sharing the connection.
    const db = openDatabase(file);
    const sameConnection = [sqliteConsentStore({ db }), sqliteConsentStore({ db })] as const;
    expect((await sameConnection[0].latest('subject-1')).get('personalization.profile')?.status).toBe(
      'withdrawn',
    );
    await sameConnection[1].append(consentGrant());
    expect((await sameConnection[0].latest('subject-1')).get('personalization.profile')?.status).toBe(
      'granted',
    );

    // An erasure through another connection (as another process would).
    expect((await a.latest('subject-1')).size).toBe(1);
    await sameConnection[1].eraseSubject('subject-1');
    expect((await a.latest('subject-1')).size).toBe(0);
    expect((await sameConnection[0].latest('subject-1')).size).toBe(0);
    db.close();
    await a.close?.();
  });

  it('sees a withdrawal committed by another process before its next read', async () => {
    const file = join(dir, 'other-process.db');
    const store = sqliteConsentStore({ filename: file });
    await store.append(consentGrant());
    expect((await store.latest('subject-1')).size).toBe(1);
    // Another process deletes the rows by hand: the cache must not answer from memory.
    execFileSync(
      process.execPath,
      [
        '-e',
        "const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.prepare('DELETE FROM consent_records').run(); db.close();",
        file,
      ],
      { cwd: dirname(fileURLToPath(import.meta.url)) },
    );
    expect((await store.latest('subject-1')).size).toBe(0);
    await store.close?.();
  });

  it('reads from SQLite every time with cacheSize 0, and rejects a bad cacheSize before opening anything', async () => {
    const store = sqliteConsentStore({ db: openDatabase(':memory:'), cacheSize: 0 });
    await store.append(consentGrant());
    expect((await store.latest('subject-1')).size).toBe(1);
    const file = join(dir, 'never-created.db');
    for (const cacheSize of [-1, 1.5, '10']) {
      expect(() => sqliteConsentStore({ filename: file, cacheSize: cacheSize as number })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTIONS', path: ['cacheSize'] }),
      );
    }
    expect(existsSync(file)).toBe(false);
  });

  it('reports a failing database as STORE_FAILED', async () => {
    const db = openDatabase(':memory:');
    const store = sqliteConsentStore({ db });
    await store.append(consentGrant());
    await store.latest('subject-1');
    db.close();
    await expect(store.history('subject-1')).rejects.toMatchObject({ code: 'STORE_FAILED' });
    // Not even a cached answer once the database is gone.
    await expect(store.latest('subject-1')).rejects.toMatchObject({ code: 'STORE_FAILED' });
  });

  it('rejects missing options with INVALID_OPTIONS', () => {
    expect(() => sqliteConsentStore({} as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIONS' }),
    );
  });
});
