import { TactfulError } from './errors.js';

/**
 * One versioned schema change of a store's component, whatever the engine: `up` is what the engine
 * runs (SQL text, or a function given the engine's connection).
 */
export interface StoreMigration<Up = unknown> {
  /** A positive integer; a component's migrations run in ascending order, each once. */
  readonly version: number;
  /** What the engine runs to apply it. */
  readonly up: Up;
}

/** A component name as stores record it: lowercase, starting with a letter, at most 64 characters. */
const COMPONENT = /^[a-z][a-z0-9_.-]{0,63}$/;

/**
 * Checks a component's name and migration list before anything touches the database, and returns
 * the list in ascending version order with the newest version the code knows.
 *
 * @throws TactfulError `INVALID_CONFIG` naming the field: a component name that is not lowercase
 *   letters, digits, `_`, `.` or `-`; a version that is not a positive integer or is listed twice;
 *   an `up` that is neither SQL text nor a function.
 */
export function checkMigrations<M extends StoreMigration>(
  component: string,
  migrations: ReadonlyArray<M>,
): { sorted: M[]; known: number } {
  if (typeof component !== 'string' || !COMPONENT.test(component)) {
    throw new TactfulError(
      'INVALID_CONFIG',
      `migrate: component "${String(component)}" must be lowercase letters, digits, "_", "." or "-" (at most 64), e.g. "consent"`,
      { path: ['component'] },
    );
  }
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (!Number.isSafeInteger(m.version) || m.version < 1) {
      throw new TactfulError(
        'INVALID_CONFIG',
        `migrate(${component}): version ${m.version} must be a positive integer`,
        { path: ['migrations', i, 'version'] },
      );
    }
    if (i > 0 && sorted[i - 1]?.version === m.version) {
      throw new TactfulError(
        'INVALID_CONFIG',
        `migrate(${component}): version ${m.version} is listed twice`,
        {
          path: ['migrations', i, 'version'],
        },
      );
    }
    if (typeof m.up !== 'string' && typeof m.up !== 'function') {
      throw new TactfulError(
        'INVALID_CONFIG',
        `migrate(${component}): version ${m.version} needs "up" (SQL or a function)`,
        { path: ['migrations', i, 'up'] },
      );
    }
  });
  return { sorted, known: sorted.at(-1)?.version ?? 0 };
}

/**
 * The migrations still to apply when the database records version `from` of the component.
 *
 * @throws TactfulError `STORE_FAILED` when the database is newer than the code (a downgrade).
 */
export function pendingMigrations<M extends StoreMigration>(
  component: string,
  sorted: ReadonlyArray<M>,
  from: number,
): M[] {
  const known = sorted.at(-1)?.version ?? 0;
  if (from > known) {
    throw new TactfulError(
      'STORE_FAILED',
      `migrate(${component}): the database is at schema version ${from} but this code knows only up to ${known}; upgrade the package instead of downgrading`,
      { path: ['migrations'] },
    );
  }
  return sorted.filter((m) => m.version > from);
}

/**
 * The error of a migration run that failed and was rolled back: `STORE_FAILED` naming the version
 * that was running (`running` 0: the failure came before any, at the migration table).
 */
export function migrationFailed(component: string, running: number, error: unknown): TactfulError {
  return new TactfulError(
    'STORE_FAILED',
    `migrate(${component}): ${running ? `migration ${running}` : 'the migration table'} failed and nothing was applied: ${error instanceof Error ? error.message : String(error)}`,
    { path: ['migrations'], cause: error },
  );
}
