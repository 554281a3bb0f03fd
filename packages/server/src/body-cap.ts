import type { Context, MiddlewareHandler, Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorResponse } from './errors.js';
import { requestHeader } from './runtime.js';

/**
 * Refuses bodies larger than `maxBytes` with 413. A body with a `Content-Length` is judged by it
 * (Node's parser never delivers more bytes than it announces), without touching the stream, which
 * keeps the adapter's fast path; a chunked body is counted as it streams in.
 */
export function bodyCap(maxBytes: number): MiddlewareHandler {
  const tooLarge = (c: Context) =>
    errorResponse(c, 413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`);
  const streaming = bodyLimit({ maxSize: maxBytes, onError: tooLarge });
  return async (c: Context, next: Next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const chunked = requestHeader(c, 'transfer-encoding') !== undefined;
    const length = requestHeader(c, 'content-length');
    if (!chunked) {
      if (length === undefined) return next();
      const bytes = Number(length);
      return Number.isSafeInteger(bytes) && bytes >= 0 && bytes <= maxBytes ? next() : tooLarge(c);
    }
    return streaming(c, next);
  };
}
