import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSubjectStoreConformance } from '@tactful/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';
import { schemaVersion } from './migrate.js';
import { type SqliteSubjectStore, sqliteSubjectStore } from './subject-sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'tactful-subject-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

describeSubjectStoreConformance('sqliteSubjectStore (file)', {
  create: ({ now }) => sqliteSubjectStore({ filename: join(dir, `conf-${n++}.db`), now }),
  reopen: (store, { now }) => {
    const file = (store as SqliteSubjectStore).db.name;
    (store as SqliteSubjectStore).close();
    return sqliteSubjectStore({ filename: file, now });
  },
  dispose: (store) => (store as SqliteSubjectStore).close(),
});

describeSubjectStoreConformance('sqliteSubjectStore (shared :memory: database)', {
  create: ({ now }) => sqliteSubjectStore({ db: openDatabase(':memory:'), now }),
  dispose: (store) => {
    (store as SqliteSubjectStore).db.close();
  },
});

describe('sqliteSubjectStore', () => {
  it('creates its tables by a versioned migration and keeps a generated tombstone key', async () => {
    const file = join(dir, 'meta.db');
    const a = sqliteSubjectStore({ filename: file });
    expect(schemaVersion(a.db, 'subject')).toBe(1);
    await a.erase('u-1');
    a.close();
    const b = sqliteSubjectStore({ filename: file });
    expect(await b.isErased('u-1')).toBe(true);
    b.close();
  });

  it('keeps nothing but a keyed hash and a time for an erased subject', async () => {
    const s = sqliteSubjectStore({
      db: openDatabase(':memory:'),
      tombstoneKey: 'a-secret-key-of-32-characters!!',
    });
    await s.declarePreferences('person-7', { interests: ['kids'] });
    await s.erase('person-7');
    const rows = s.db.prepare('SELECT * FROM subject_tombstones').all() as Array<Record<string, string>>;
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0] ?? {}).sort()).toEqual(['erased_at', 'hash']);
    expect(JSON.stringify(rows)).not.toContain('person-7');
    const dump = s.db.prepare('SELECT group_concat(subject_id) AS ids FROM subject_profiles').get() as {
      ids: string | null;
    };
    expect(dump.ids).toBeNull();
    s.db.close();
  });

  it('needs exactly one of db or filename', () => {
    expect(() => sqliteSubjectStore({})).toThrow(/exactly one of "db"/);
  });
});
