/**
 * The part of better-sqlite3's API that Tactful's stores use, written out structurally so the
 * package's public types stand on their own: a project that installs `@tactful/store-sqlite` gets
 * real types without `@types/better-sqlite3` (which is only a dev dependency here). A database opened
 * with better-sqlite3 12 is assignable to {@link SqliteDatabase}; the package's tests check that.
 */

/** What `Statement.run` returns. */
export interface SqliteRunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
  /** The rowid of the last row inserted. */
  lastInsertRowid: number | bigint;
}

/** A prepared statement (better-sqlite3's `Statement`). */
export interface SqliteStatement<BindParameters extends unknown[] = unknown[], Result = unknown> {
  /** The SQL text. */
  readonly source: string;
  /** Whether the statement returns rows. */
  readonly reader: boolean;
  /** Runs the statement; for writes. */
  run(...params: BindParameters): SqliteRunResult;
  /** The first row, or `undefined`. */
  get(...params: BindParameters): Result | undefined;
  /** Every row. */
  all(...params: BindParameters): Result[];
  /** The rows one by one. */
  iterate(...params: BindParameters): IterableIterator<Result>;
  /** Return only the first column of each row. */
  pluck(toggleState?: boolean): this;
}

/** The parameters of a transaction's function (the same conditional type as better-sqlite3's). */
export type SqliteTransactionArgs<F> = F extends (...args: infer A) => unknown ? A : never;

/** A function wrapped in a transaction (better-sqlite3's `Transaction`). */
// biome-ignore lint/suspicious/noExplicitAny: the same bound as better-sqlite3's, so its Database is assignable
export interface SqliteTransaction<F extends (...params: any[]) => unknown> {
  (...params: SqliteTransactionArgs<F>): ReturnType<F>;
  /** Runs in a `BEGIN DEFERRED` transaction (the default). */
  deferred(...params: SqliteTransactionArgs<F>): ReturnType<F>;
  /** Runs in a `BEGIN IMMEDIATE` transaction: takes the write lock first. */
  immediate(...params: SqliteTransactionArgs<F>): ReturnType<F>;
  /** Runs in a `BEGIN EXCLUSIVE` transaction. */
  exclusive(...params: SqliteTransactionArgs<F>): ReturnType<F>;
}

/** Options of {@link SqliteDatabase.pragma}. */
export interface SqlitePragmaOptions {
  /** Return the first column of the first row only. */
  simple?: boolean;
}

/**
 * A better-sqlite3 database handle, as returned by `openDatabase`: the subset of better-sqlite3's
 * `Database` that the stores use. An interface (not an alias) so declarations that mention it stay
 * nameable in emitted `.d.ts` files.
 */
export interface SqliteDatabase {
  /** The file name given when it was opened. */
  readonly name: string;
  /** Whether the connection is open. */
  readonly open: boolean;
  /** Whether a transaction is in progress. */
  readonly inTransaction: boolean;
  /** Whether it was opened read-only. */
  readonly readonly: boolean;
  /** Whether it is an in-memory database. */
  readonly memory: boolean;
  /** Prepares a statement (parameters as a tuple, or one object of named parameters). */
  // biome-ignore lint/complexity/noBannedTypes: the same signature as better-sqlite3's, so its Database is assignable
  prepare<BindParameters extends unknown[] | {} = unknown[], Result = unknown>(
    source: string,
  ): BindParameters extends unknown[]
    ? SqliteStatement<BindParameters, Result>
    : SqliteStatement<[BindParameters], Result>;
  /** Wraps a function in a transaction. */
  // biome-ignore lint/suspicious/noExplicitAny: the same signature as better-sqlite3's, so its Database is assignable
  transaction<F extends (...params: any[]) => unknown>(fn: F): SqliteTransaction<F>;
  /** Runs SQL text (several statements, no parameters). */
  exec(source: string): this;
  /** Runs a PRAGMA. */
  pragma(source: string, options?: SqlitePragmaOptions): unknown;
  /** Closes the connection. */
  close(): this;
}

/** better-sqlite3's default export: the `Database` constructor. */
export type SqliteDriver = new (
  filename: string,
  options?: { readonly?: boolean; fileMustExist?: boolean; timeout?: number },
) => SqliteDatabase;
