import { describe, expect, it } from 'vitest';
import { TactfulError as TactfulErrorClass } from '@tactful/core';
import {
  checkMigrations,
  guardStore,
  guardStoreAsync,
  migrationFailed,
  pendingMigrations,
  storeFailed,
} from '@tactful/core/store';

describe('checkMigrations', () => {
  it('sorts the list and gives the newest version', () => {
    const { sorted, known } = checkMigrations('demo', [
      { version: 2, up: 'B' },
      { version: 1, up: 'A' },
    ]);
    expect(sorted.map((m) => m.version)).toEqual([1, 2]);
    expect(known).toBe(2);
  });

  it.each([
    ['a bad component', 'Bad Name', [], ['component'], /lowercase/],
    ['version 0', 'demo', [{ version: 0, up: '' }], ['migrations', 0, 'version'], /positive integer/],
    [
      'a fractional version',
      'demo',
      [{ version: 1.5, up: '' }],
      ['migrations', 0, 'version'],
      /positive integer/,
    ],
    [
      'a version listed twice',
      'demo',
      [
        { version: 1, up: 'A' },
        { version: 1, up: 'B' },
      ],
      ['migrations', 1, 'version'],
      /listed twice/,
    ],
    [
      'an up that is neither SQL nor a function',
      'demo',
      [{ version: 1, up: 3 }],
      ['migrations', 0, 'up'],
      /needs "up"/,
    ],
  ])('refuses %s with INVALID_CONFIG naming the field', (_, component, migrations, path, message) => {
    expect(() => checkMigrations(component, migrations as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', path, message: expect.stringMatching(message) }),
    );
  });
});

describe('pendingMigrations', () => {
  const sorted = [
    { version: 1, up: 'A' },
    { version: 2, up: 'B' },
    { version: 3, up: 'C' },
  ];
  it('gives what is newer than the database', () => {
    expect(pendingMigrations('demo', sorted, 1).map((m) => m.version)).toEqual([2, 3]);
    expect(pendingMigrations('demo', sorted, 3)).toEqual([]);
  });
  it('refuses a downgrade with STORE_FAILED saying to upgrade', () => {
    expect(() => pendingMigrations('demo', sorted, 4)).toThrow(
      expect.objectContaining({
        code: 'STORE_FAILED',
        message: expect.stringMatching(/version 4 .* only up to 3; upgrade/),
      }),
    );
  });
});

describe('store failures', () => {
  it('names the store, the operation and the driver message; a TactfulError passes through', () => {
    const driver = new Error('SQLITE_BUSY: database is locked');
    expect(storeFailed('demoStore', 'append', driver)).toMatchObject({
      code: 'STORE_FAILED',
      message: 'demoStore: append failed: SQLITE_BUSY: database is locked',
      cause: driver,
    });
    const own = new TactfulErrorClass('INVALID_INPUT', 'bad');
    expect(storeFailed('demoStore', 'append', own)).toBe(own);
    expect(() => guardStore('demoStore', 'read', () => JSON.parse('{'))).toThrow(
      expect.objectContaining({
        code: 'STORE_FAILED',
        message: expect.stringMatching(/^demoStore: read failed: /),
      }),
    );
    expect(guardStore('demoStore', 'read', () => 7)).toBe(7);
  });

  it('does the same for an async operation', async () => {
    await expect(
      guardStoreAsync('demoStore', 'write', async () => {
        throw new Error('connection reset');
      }),
    ).rejects.toMatchObject({ code: 'STORE_FAILED', message: 'demoStore: write failed: connection reset' });
  });

  it('names the running migration, or the migration table before any', () => {
    expect(migrationFailed('demo', 2, new Error('syntax error')).message).toBe(
      'migrate(demo): migration 2 failed and nothing was applied: syntax error',
    );
    expect(migrationFailed('demo', 0, new Error('locked')).message).toMatch(/the migration table failed/);
  });
});
