import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTactfulError } from '@tactful/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type SqliteDatabase, migrate, openDatabase, schemaVersion } from '@tactful/store-sqlite';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tactful-migrate-'));
  dirs.push(dir);
  return join(dir, 'test.db');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tables(db: SqliteDatabase): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all()
    .map((r) => r.name);
}

describe('openDatabase', () => {
  it('opens a file database with WAL, synchronous=FULL and foreign keys on', () => {
    const db = openDatabase(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('opens an in-memory database with synchronous=FULL and foreign keys on', () => {
    const db = openDatabase(':memory:');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});

describe('migrate', () => {
  const migrations = [
    { version: 1, up: 'CREATE TABLE a (id INTEGER PRIMARY KEY)' },
    { version: 2, up: (db: SqliteDatabase) => db.exec('CREATE TABLE b (id INTEGER PRIMARY KEY)') },
  ];

  it('applies pending migrations in order, records them, and is idempotent', () => {
    const db = openDatabase(':memory:');
    expect(migrate(db, 'demo', [...migrations].reverse())).toEqual({
      component: 'demo',
      applied: [1, 2],
      version: 2,
    });
    expect(tables(db)).toEqual(['a', 'b', 'tactful_migrations']);
    expect(migrate(db, 'demo', migrations)).toEqual({ component: 'demo', applied: [], version: 2 });
    const rows = db.prepare('SELECT component, version FROM tactful_migrations ORDER BY version').all();
    expect(rows).toEqual([
      { component: 'demo', version: 1 },
      { component: 'demo', version: 2 },
    ]);
    expect(schemaVersion(db, 'demo')).toBe(2);
    expect(schemaVersion(db, 'other')).toBe(0);
    db.close();
  });

  it('applies only the new migrations when the list grows, per component', () => {
    const db = openDatabase(':memory:');
    migrate(db, 'demo', migrations.slice(0, 1));
    migrate(db, 'other', [{ version: 1, up: 'CREATE TABLE c (id INTEGER)' }]);
    expect(migrate(db, 'demo', migrations).applied).toEqual([2]);
    expect(schemaVersion(db, 'other')).toBe(1);
    db.close();
  });

  it('applies nothing when one migration fails, and names the failing version', () => {
    const db = openDatabase(':memory:');
    const bad = [...migrations, { version: 3, up: 'CREATE TABLE c (id INTEGER); THIS IS NOT SQL' }];
    let caught: unknown;
    try {
      migrate(db, 'demo', bad);
    } catch (error) {
      caught = error;
    }
    expect(isTactfulError(caught) && caught.code).toBe('STORE_FAILED');
    expect((caught as Error).message).toContain('migration 3 failed');
    expect(tables(db)).toEqual(['tactful_migrations']);
    expect(schemaVersion(db, 'demo')).toBe(0);
    db.close();
  });

  it('refuses a database newer than the code (a downgrade)', () => {
    const db = openDatabase(':memory:');
    migrate(db, 'demo', migrations);
    expect(() => migrate(db, 'demo', migrations.slice(0, 1))).toThrow(
      /schema version 2 but this code knows only up to 1/,
    );
    db.close();
  });

  it('rejects duplicate or non-positive versions and bad component names', () => {
    const db = openDatabase(':memory:');
    expect(() => migrate(db, 'demo', [migrations[0]!, migrations[0]!])).toThrow(/listed twice/);
    expect(() => migrate(db, 'demo', [{ version: 0, up: '' }])).toThrow(/positive integer/);
    expect(() => migrate(db, 'Bad Name', migrations)).toThrow(/component "Bad Name"/);
    db.close();
  });

  it('keeps migrations durable across reopening a file database', () => {
    const file = tempFile();
    const first = openDatabase(file);
    migrate(first, 'demo', migrations);
    first.close();
    const second = openDatabase(file);
    expect(migrate(second, 'demo', migrations).applied).toEqual([]);
    expect(tables(second)).toContain('b');
    second.close();
  });
});
