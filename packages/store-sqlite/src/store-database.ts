import { TactfulError } from '@tactful/core';
import { type SqliteDatabase, openDatabase } from './database.js';
import { type Migration, migrate } from './migrate.js';

/**
 * The database a store works on: the one given (`db`, shared with other stores) or one it opens
 * itself (`filename`, which the store then owns and closes), migrated to the store's schema.
 *
 * @throws TactfulError `INVALID_OPTIONS` unless exactly one of `db` and `filename` is given.
 */
export function storeDatabase(
  store: string,
  options: { db?: SqliteDatabase | undefined; filename?: string | undefined },
  component: string,
  migrations: ReadonlyArray<Migration>,
): { db: SqliteDatabase; owned: boolean } {
  if ((options.db === undefined) === (options.filename === undefined)) {
    throw new TactfulError(
      'INVALID_OPTIONS',
      `${store}: give exactly one of "db" (an open database) or "filename"`,
      {
        path: ['db'],
      },
    );
  }
  const owned = options.db === undefined;
  const db = options.db ?? openDatabase(options.filename as string);
  try {
    migrate(db, component, migrations);
  } catch (error) {
    if (owned) db.close();
    throw error;
  }
  return { db, owned };
}
