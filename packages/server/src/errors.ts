import { TactfulError, type TactfulErrorCode, isTactfulError } from '@tactful/core';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    issues?: Array<{ path: Array<string | number>; message: string }>;
  };
}

const STATUS: Partial<Record<TactfulErrorCode, ContentfulStatusCode>> = {
  INVALID_REQUEST: 400,
  INVALID_INPUT: 400,
  UNKNOWN_PURPOSE: 400,
  UNKNOWN_CATEGORY: 400,
  CONSENT_NOT_AFFIRMATIVE: 400,
  PAYLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  STORE_FAILED: 503,
  CONSENT_UNAVAILABLE: 503,
  AUDIT_OVERLOADED: 503,
};

/** The HTTP status of an error thrown while answering. */
export function statusOf(error: unknown): ContentfulStatusCode {
  return isTactfulError(error) ? (STATUS[error.code] ?? 500) : 500;
}

/** Answers with the error body (the person's own input may be echoed; nothing is logged from it). */
export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  issues?: ErrorBody['error']['issues'],
): Response {
  const body: ErrorBody = { error: { code, message, ...(issues && issues.length > 0 ? { issues } : {}) } };
  return c.json(body, status);
}

/** Turns an error thrown by Tactful into an answer; anything else is a 500 without details. */
export function answerError(c: Context, error: unknown): Response {
  const status = statusOf(error);
  if (isTactfulError(error) && status < 500) {
    return errorResponse(
      c,
      status,
      error.code,
      error.message,
      error.issues.map((i) => ({ path: [...i.path], message: i.message })),
    );
  }
  if (status === 503) {
    c.header('Retry-After', '5');
    return errorResponse(
      c,
      503,
      isTactfulError(error) ? error.code : 'UNAVAILABLE',
      'a store is unavailable; try again shortly',
    );
  }
  return errorResponse(
    c,
    500,
    'INTERNAL',
    'the server failed to answer; the failure was logged without personal data',
  );
}

/**
 * Runs a store operation; an error that is not a `TactfulError` (a driver failing, a locked
 * database) becomes `STORE_FAILED`, answered as 503 with `Retry-After`, never as a guess.
 */
export async function fromStore<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (isTactfulError(error)) throw error;
    throw new TactfulError('STORE_FAILED', 'a store could not be read or written', { cause: error });
  }
}
