import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { resolveEnvReferences } from '@tactful/config';
import { isTactfulError } from '@tactful/core';
import { loadValidConfig } from '../config-file.js';
import { CliError, EXIT_CODES, usageError } from '../exit-codes.js';
import { type CliIo, printJson, progress } from '../io.js';

/** Options of `tactful migrate`. */
export interface MigrateCommandOptions {
  config?: string;
  /** `sqlite`: also copy the records of a SQLite data folder into the (empty) PostgreSQL schema. */
  from?: string;
  /** The SQLite data folder (default `.tactful-data` next to the configuration). */
  data?: string;
  json?: boolean;
  quiet?: boolean;
}

/**
 * `tactful migrate`: applies every pending PostgreSQL migration of the configured `storage`
 * (idempotent; safe while servers run — each migration runs under an advisory lock). With
 * `--from sqlite`, first copies a SQLite installation's records into the empty schema, in one
 * transaction.
 */
export async function migrateCommand(io: CliIo, options: MigrateCommandOptions): Promise<number> {
  if (options.from !== undefined && options.from !== 'sqlite')
    throw usageError(`--from must be "sqlite", not "${options.from}"`, 'migrate');
  const say = progress(io, options.quiet || options.json);
  const { file, config } = await loadValidConfig(io, options.config);
  const storage = config.storage;
  if (storage.driver !== 'postgres') {
    throw new CliError(
      `storage.driver is "${storage.driver}": migrate works on PostgreSQL; set storage to { "driver": "postgres", "url": "\${env:DATABASE_URL}" }`,
      EXIT_CODES.invalid,
    );
  }
  const url = resolveEnvReferences(storage.url, ['storage', 'url'], io.env);
  const pg = await import('@tactful/store-postgres');
  const pool = pg.createPool(url, { max: 2 });
  try {
    let imported: Record<string, number> | undefined;
    if (options.from === 'sqlite') {
      const dir = options.data ?? '.tactful-data';
      const folder = isAbsolute(dir) ? dir : resolve(options.data ? io.cwd : file.baseDir, dir);
      const sqliteFile = join(folder, 'tactful.sqlite');
      if (!existsSync(sqliteFile))
        throw new CliError(`no SQLite database at ${sqliteFile}; pass --data <folder>`, EXIT_CODES.invalid);
      say(`copying ${sqliteFile} into schema "${storage.schema}"`);
      const { openDatabase } = await import('@tactful/store-sqlite');
      const db = openDatabase(sqliteFile, { readonly: true });
      try {
        imported = await pg.importFromSqlite(db, pool, storage.schema);
      } catch (error) {
        if (isTactfulError(error) && error.code === 'CONFLICT')
          throw new CliError(error.message, EXIT_CODES.invalid);
        throw error;
      } finally {
        db.close();
      }
      const secretFile = join(folder, 'secret.key');
      if (existsSync(secretFile) && io.env.TACTFUL_SECRET === undefined) {
        io.stderr(
          `› the SQLite server kept its secret in ${secretFile}: set TACTFUL_SECRET to its content on every server, or audit signatures and pseudonyms will not match\n`,
        );
      }
    }
    const results = await pg.migrateAll(pool, storage.schema);
    if (options.json)
      printJson(io, { schema: storage.schema, migrations: results, ...(imported ? { imported } : {}) });
    else {
      for (const r of results)
        say(
          `${r.component}: version ${r.version}${r.applied.length ? ` (applied ${r.applied.join(', ')})` : ' (up to date)'}`,
        );
      if (imported)
        say(
          `copied ${Object.entries(imported)
            .map(([t, n]) => `${n} ${t}`)
            .join(', ')}`,
        );
    }
    return EXIT_CODES.ok;
  } finally {
    await pool.end();
  }
}
