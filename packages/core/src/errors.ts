/**
 * Every error code Tactful raises. Codes are stable: tooling and callers may switch on them.
 *
 * - Configuration errors (thrown early, at definition or registration): `INVALID_OPTIONS`,
 *   `INVALID_MANIFEST`, `INVALID_CONFIG`, `INVALID_CONDITION`, `UNSUPPORTED_CORE_VERSION`,
 *   `DUPLICATE_PLUGIN`, `UNKNOWN_PURPOSE`, `UNKNOWN_CATEGORY`, `MISSING_CATEGORY_PROVIDER`,
 *   `MISSING_SIGNAL_PUBLISHER`, `DEPENDENCY_CYCLE`, `SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT`,
 *   `ERASURE_UNSUPPORTED`, `MISSING_DEPENDENCY` (an optional peer dependency that the configuration
 *   needs, such as better-sqlite3 for SQLite storage, is not installed).
 * - Input errors (untrusted data at a boundary): `INVALID_REQUEST`, `INVALID_INPUT`,
 *   `PAYLOAD_TOO_LARGE`, `CONSENT_NOT_AFFIRMATIVE`.
 * - Runtime faults (a plugin is dropped from one decision; never thrown out of `decide`):
 *   `PLUGIN_FAILED`, `PLUGIN_TIMEOUT`, `INVALID_OUTPUT`, `UNDECLARED_READ`, `ABORTED`,
 *   `CONSENT_UNAVAILABLE`, `SOURCE_FAILED`.
 * - Rights and access: `NOT_FOUND`, `FORBIDDEN`, `RATE_LIMITED`, `STORE_FAILED`, `CONFLICT`.
 * - Overload: `AUDIT_OVERLOADED` (the audit trail cannot take more recordings now).
 */
export const ERROR_CODES = [
  'INVALID_OPTIONS',
  'INVALID_MANIFEST',
  'INVALID_CONFIG',
  'INVALID_CONDITION',
  'UNSUPPORTED_CORE_VERSION',
  'DUPLICATE_PLUGIN',
  'UNKNOWN_PURPOSE',
  'UNKNOWN_CATEGORY',
  'MISSING_CATEGORY_PROVIDER',
  'MISSING_SIGNAL_PUBLISHER',
  'DEPENDENCY_CYCLE',
  'SENSITIVE_CATEGORY_WITHOUT_EXPLICIT_CONSENT',
  'ERASURE_UNSUPPORTED',
  'MISSING_DEPENDENCY',
  'INVALID_REQUEST',
  'INVALID_INPUT',
  'PAYLOAD_TOO_LARGE',
  'CONSENT_NOT_AFFIRMATIVE',
  'PLUGIN_FAILED',
  'PLUGIN_TIMEOUT',
  'INVALID_OUTPUT',
  'UNDECLARED_READ',
  'ABORTED',
  'CONSENT_UNAVAILABLE',
  'SOURCE_FAILED',
  'NOT_FOUND',
  'FORBIDDEN',
  'RATE_LIMITED',
  'STORE_FAILED',
  'CONFLICT',
  'AUDIT_OVERLOADED',
  'INVALID_PLAN',
  'PLAN_MISMATCH',
] as const;

/** A stable, UPPER_SNAKE error code. */
export type TactfulErrorCode = (typeof ERROR_CODES)[number];

const BRAND = Symbol.for('tactful.error');

/** One problem found in an input or a configuration, with the path of the offending value. */
export interface TactfulIssue {
  /** Where the problem is, e.g. `["segments", 2, "condition", "age", "$gt"]`. */
  path: ReadonlyArray<string | number>;
  /** What is wrong and how to fix it. */
  message: string;
}

/** Options of {@link TactfulError}. */
export interface TactfulErrorOptions {
  /** The plugin the error is about, when there is one. */
  plugin?: string;
  /** Where in the input or configuration the problem is. */
  path?: ReadonlyArray<string | number>;
  /** Every problem found, when the error reports several at once. */
  issues?: ReadonlyArray<TactfulIssue>;
  /** The underlying error (a zod error, a driver error ...). */
  cause?: unknown;
}

/**
 * The one error class of Tactful. Messages say what was wrong, where, and how to fix it.
 *
 * @example
 * ```ts
 * try { segments({ segments: [{ name: 'x' }] }); }
 * catch (e) { if (isTactfulError(e) && e.code === 'INVALID_OPTIONS') console.log(e.issues); }
 * ```
 */
export class TactfulError extends Error {
  /** The stable code. */
  readonly code: TactfulErrorCode;
  /** The plugin the error is about, if any. */
  readonly plugin: string | undefined;
  /** The path of the offending value, if any. */
  readonly path: ReadonlyArray<string | number> | undefined;
  /** Every problem found (at least one entry when the error came from validation). */
  readonly issues: ReadonlyArray<TactfulIssue>;
  declare readonly [BRAND]: true;

  constructor(code: TactfulErrorCode, message: string, options: TactfulErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TactfulError';
    this.code = code;
    this.plugin = options.plugin;
    this.path = options.path;
    this.issues = options.issues ?? (options.path ? [{ path: options.path, message }] : []);
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** A plain, serialisable form (for logs, HTTP bodies and decisions). */
  toJSON(): { code: TactfulErrorCode; message: string; plugin?: string; issues: TactfulIssue[] } {
    return {
      code: this.code,
      message: this.message,
      ...(this.plugin === undefined ? {} : { plugin: this.plugin }),
      issues: this.issues.map((i) => ({ path: [...i.path], message: i.message })),
    };
  }
}

/**
 * True for a {@link TactfulError}, also one created by another copy of `@tactful/core`
 * (the check uses a global symbol brand, not `instanceof`).
 */
export function isTactfulError(value: unknown): value is TactfulError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** True when `code` is one of the {@link ERROR_CODES}. */
export function isTactfulErrorCode(code: unknown): code is TactfulErrorCode {
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

/** Formats a path as `a.b[2].c` for messages. */
export function formatPath(path: ReadonlyArray<string | number | symbol | PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}
