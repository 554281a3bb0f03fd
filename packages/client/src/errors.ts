/** Codes the client itself gives, besides the server's own (`INVALID_REQUEST`, `RATE_LIMITED` ...). */
export type ClientErrorCode =
  | 'TIMEOUT'
  | 'NETWORK_ERROR'
  | 'MALFORMED_RESPONSE'
  | 'HTTP_ERROR'
  | 'ABORTED'
  | 'INVALID_OPTIONS'
  | 'SUBJECT_TOKEN_MISSING'
  | 'SUBJECT_MISMATCH';

/** One problem the server named in a request, with where it is. */
export interface ClientErrorIssue {
  path: Array<string | number>;
  message: string;
}

/**
 * Why a call to the decision server failed. `code` is the server's stable UPPER_SNAKE code
 * (`INVALID_REQUEST`, `UNKNOWN_PURPOSE`, `NO_SUBJECT`, `RATE_LIMITED`, `STORE_FAILED`,
 * `FORBIDDEN`, `SUBJECT_TOKEN_EXPIRED` ...) when it answered with one, else one of {@link ClientErrorCode}.
 */
export class TactfulClientError extends Error {
  override readonly name = 'TactfulClientError';
  /** The stable code, e.g. `RATE_LIMITED`. */
  readonly code: string;
  /** The HTTP status, or 0 when no answer came (timeout, network error). */
  readonly status: number;
  /** Each problem the server found, with its path. */
  readonly issues: readonly ClientErrorIssue[];
  /** Seconds the server asked to wait (`Retry-After`), when it did. */
  readonly retryAfter: number | undefined;
  /** A consent write answered 503: `true` when it was recorded (only the read-back failed), `false` when nothing was. */
  readonly recorded: boolean | undefined;

  constructor(
    code: string,
    message: string,
    details: {
      status?: number;
      issues?: readonly ClientErrorIssue[];
      retryAfter?: number | undefined;
      recorded?: boolean | undefined;
    } = {},
  ) {
    super(message);
    this.code = code;
    this.status = details.status ?? 0;
    this.issues = details.issues ?? [];
    this.retryAfter = details.retryAfter;
    this.recorded = details.recorded;
  }
}

/** True when `error` is a {@link TactfulClientError} (also across bundle copies). */
export function isTactfulClientError(error: unknown): error is TactfulClientError {
  return (
    error instanceof TactfulClientError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { name?: unknown }).name === 'TactfulClientError' &&
      typeof (error as { code?: unknown }).code === 'string')
  );
}
